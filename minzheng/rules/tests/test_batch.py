"""The batch entry point: input schema, output shape, and agreement on a small household."""

import datetime as dt

import polars as pl
import pytest

from minzheng.rules import (
    HOUSEHOLD_PROGRAMS,
    MEMBER_PROGRAMS,
    BatchInputError,
    FactsValidationError,
    evaluate_batch,
    evaluate_batch_kept,
    facts_to_frames,
    parse_household_facts,
)
from minzheng.rules.tests.samples import SAMPLE_HOUSEHOLD_DATA as VALID


def _frames():
    return facts_to_frames([parse_household_facts(VALID)], [42])


def test_result_is_long_with_a_row_per_program_and_subject():
    households, members = _frames()

    result = evaluate_batch(households, members, "2024-10")

    frame = result.results
    assert frame.schema == pl.Schema(
        {"program": pl.Utf8, "household_id": pl.Int64, "member_id": pl.Utf8, "eligible": pl.Boolean, "amount_fen": pl.Int64}
    )
    assert frame.height == len(HOUSEHOLD_PROGRAMS) + len(MEMBER_PROGRAMS)
    household_rows = frame.filter(pl.col("member_id").is_null())
    assert sorted(household_rows["program"]) == sorted(p.name for p in HOUSEHOLD_PROGRAMS)
    # The sample's one member qualifies for 特困: supported as 特困, not also counted for 低保.
    dibao = result.program("dibao").row(0, named=True)
    assert dibao == {"program": "dibao", "household_id": 42, "member_id": None, "eligible": False, "amount_fen": 0}
    tekun = result.program("tekun").row(0, named=True)
    assert tekun == {"program": "tekun", "household_id": 42, "member_id": "m1", "eligible": True, "amount_fen": 127500}
    assert result.parameters["dibao.standard.urban"]["value"] == "750.00"


def test_integer_member_ids_and_narrow_types_are_accepted():
    households, members = _frames()
    members = members.with_columns(
        pl.lit(7, pl.Int32).alias("member_id"),
        pl.col("income_wage_fen").cast(pl.Int32),
        pl.col("self_care").cast(pl.Categorical),
    )

    frame = evaluate_batch(households, members, "2024-10").results

    assert frame.schema["member_id"] == pl.Int64
    assert frame.filter(pl.col("program") == "tekun")["member_id"].to_list() == [7]


def test_reports_every_schema_problem():
    households, members = _frames()
    households = households.drop("zone")
    members = members.with_columns(pl.col("birth_date").cast(pl.Utf8))

    with pytest.raises(BatchInputError) as raised:
        evaluate_batch(households, members, "2024-10")

    problems = raised.value.problems
    assert any("households.zone" in problem for problem in problems)
    assert any("members.birth_date" in problem for problem in problems)


def test_reports_bad_values_nulls_and_orphan_rows():
    households, members = _frames()
    households = pl.concat([households, households.with_columns(pl.lit(43, pl.Int64).alias("household_id"))])
    members = pl.concat(
        [
            members.with_columns(pl.lit("sometimes").alias("self_care"), pl.lit(None, pl.Boolean).alias("student")),
            members.with_columns(pl.lit(99, pl.Int64).alias("household_id")),
        ]
    )

    with pytest.raises(BatchInputError) as raised:
        evaluate_batch(households, members, "2024-10")

    text = " ".join(raised.value.problems)
    assert "self_care" in text
    assert "student" in text
    assert "没有成员" in text
    assert "household_id 不在 households 中" in text


def test_period_outside_coverage_is_rejected():
    households, members = _frames()
    with pytest.raises(FactsValidationError):
        evaluate_batch(households, members, "2027-01")


def test_age_is_taken_on_the_first_day_of_the_period():
    households, members = _frames()
    members = pl.concat(
        [
            members.with_columns(pl.lit("a").alias("member_id"), pl.lit(dt.date(1954, 10, 1)).alias("birth_date")),
            members.with_columns(pl.lit("b").alias("member_id"), pl.lit(dt.date(1954, 10, 2)).alias("birth_date")),
        ]
    ).with_columns(
        pl.lit(0, pl.Int8).alias("disability_grade"),
        pl.lit(None, pl.Utf8).alias("disability_category"),
        pl.lit(True).alias("has_capable_supporter"),  # not 特困, so counted for 低保
    )

    addon = evaluate_batch(households, members, "2024-10").program("dibao_addon").sort("member_id")

    # Aged 70 on 2024-10-01 gets the 60-yuan add-on; a day younger gets none.
    assert addon["amount_fen"].to_list() == [6000, 0]


def test_kept_in_chunks_equals_one_batch_and_refuses_members_of_no_household():
    """evaluate_batch_kept: households 42, 43, 44 in chunks of one give the rows one batch
    gives (kept by the filter); a member of household 99 is refused, not left between chunks."""
    households, members = _frames()
    households = pl.concat([households.with_columns(pl.lit(i, pl.Int64).alias("household_id")) for i in (44, 42, 43)])
    members = pl.concat([members.with_columns(pl.lit(i, pl.Int64).alias("household_id")) for i in (42, 43, 44)])

    def keep(results: pl.DataFrame) -> pl.DataFrame:
        return results.filter(pl.col("eligible"))

    whole = keep(evaluate_batch(households, members, "2024-10").results)
    chunked = evaluate_batch_kept(households, members, "2024-10", keep=keep, chunk_households=1)
    assert whole.height > 3
    assert chunked.results.sort(pl.all()).equals(whole.sort(pl.all()))
    assert chunked.parameters == evaluate_batch(households, members, "2024-10").parameters

    stray = pl.concat([members, members.head(1).with_columns(pl.lit(99, pl.Int64).alias("household_id"))])
    with pytest.raises(BatchInputError) as raised:
        evaluate_batch_kept(households, stray, "2024-10", keep=keep, chunk_households=1)
    assert "1名成员的 household_id 不在 households 中" in " ".join(raised.value.problems)
