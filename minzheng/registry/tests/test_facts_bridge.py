"""The registry → rules bridge: per-case facts and batch frames say the same thing.

The headline test generates a district (scale 0.02, ≈ 23,000 people, ≈ 9,000 households),
evaluates every household one by one through ``household_facts`` + ``evaluate_household``
and all of them at once through ``load_facts_frames`` + ``evaluate_batch``, and requires the
same eligibility and the same amount in fen for every program and every subject.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest

from minzheng.registry import facts
from minzheng.registry.actions import do_add_household_member, do_create_household
from minzheng.registry.facts import NoMembersInPeriod, current_memberships, household_facts, load_facts_frames
from minzheng.registry.generate import generate_district
from minzheng.registry.models import Household, Person
from minzheng.rules import HOUSEHOLD_SCHEMA, MEMBER_SCHEMA, evaluate_batch, evaluate_household, load_parameters
from minzheng.core.money import yuan_to_fen
from minzheng.rules.facts import parse_household_facts

SEED = 20260311
KEYS = ["program", "household_id", "member_id"]


def _per_case_frame(period: str) -> tuple[pl.DataFrame, set[int]]:
    parameters = load_parameters()
    rows = []
    skipped = set()
    households = Household.objects.order_by("id").prefetch_related(current_memberships())
    for household in households.iterator(chunk_size=2000):
        try:
            facts = household_facts(household, period=period)
        except NoMembersInPeriod:
            skipped.add(household.pk)
            continue
        answer = evaluate_household(facts, parameters=parameters)
        for result in answer["results"]:
            subject = result["subject"]
            rows.append(
                (
                    result["program"],
                    household.pk,
                    None if subject == "household" else int(subject),
                    result["eligible"],
                    yuan_to_fen(parse_amount(result["amount"])),
                )
            )
    schema = {"program": pl.Utf8, "household_id": pl.Int64, "member_id": pl.Int64, "eligible": pl.Boolean, "amount_fen": pl.Int64}
    return pl.DataFrame(rows, schema=schema, orient="row"), skipped


def parse_amount(text: str):
    return Decimal(text)


@pytest.mark.slow
@pytest.mark.django_db
def test_per_case_and_batch_agree_on_every_household_of_a_generated_district():
    summary = generate_district(scale=0.02, seed=SEED)
    assert summary.households > 8000
    all_households = set(Household.objects.values_list("id", flat=True))

    # The current month, and a month under the 2022 standards: children born since are not
    # members yet, and the older property rules apply.
    for period in ("2026-11", "2023-02"):
        households, members = load_facts_frames(period=period)
        batch = evaluate_batch(households, members, period).results
        per_case, skipped = _per_case_frame(period)

        # The same households are evaluated (those with no living member yet are in neither).
        assert set(households["household_id"].to_list()) == all_households - skipped
        assert per_case.height == batch.height
        joined = per_case.join(batch, on=KEYS, how="full", nulls_equal=True, suffix="_batch")
        assert joined.filter(pl.col("program").is_null() | pl.col("program_batch").is_null()).height == 0
        differ = joined.filter(
            (pl.col("eligible") != pl.col("eligible_batch")) | (pl.col("amount_fen") != pl.col("amount_fen_batch"))
        )
        assert differ.height == 0, differ.head(10)
        # A district with real caseloads, so the agreement is not vacuous.
        counts = dict(batch.filter(pl.col("eligible")).group_by("program").len().iter_rows())
        for program in ("dibao", "dibao_addon", "tekun", "severe_disability_care_subsidy", "disability_living_subsidy"):
            assert counts.get(program, 0) > 0, (period, program)


# --------------------------------------------------------------------------------------------
# Mapping details, on hand-made households
# --------------------------------------------------------------------------------------------


@pytest.fixture
def family(db, make_person, system_actor):
    """A rural household: head (disabled, no work capacity), spouse, a child, and a member
    who died with the membership still open."""
    head = make_person("500102119001", "王大山", birth="19500301", disability_category="physical", disability_grade=2, work_capacity="none", self_care="partly_unable")
    spouse = make_person("500102119001", "李小花", birth="19520415", work_capacity="partial")
    child = make_person("500102119001", "王小宝", birth="20190601", student=False)
    late = make_person("500102119001", "王老汉", birth="19300101")
    household = do_create_household(system_actor, head=head, zone="rural", since=dt.date(2000, 1, 1))
    for person, relation in ((spouse, "spouse"), (child, "child"), (late, "parent")):
        do_add_household_member(system_actor, household, person, relation=relation, since=dt.date(2000, 1, 1))
    Person.objects.filter(pk=late.pk).update(is_deceased=True, death_date=dt.date(2024, 1, 1))
    Person.objects.filter(pk=spouse.pk).update(income_wage_fen=120_000, income_transfer_fen=15_050)
    Person.objects.filter(pk=child.pk).update(child_status="")
    Household.objects.filter(pk=household.pk).update(
        financial_assets_fen=1_200_000, vehicle_value_fen=2_500_000, rigid_spending_12m_fen=305
    )
    household.refresh_from_db()
    return household, head, spouse, child, late


def test_household_facts_shape_and_mapping(family):
    household, head, spouse, child, late = family
    facts = household_facts(household, period="2024-10")
    data = facts["household"]
    assert facts["period"] == "2024-10"
    assert data["zone"] == "rural"
    assert data["division_code"] == "500102119001"
    assert data["financial_assets"] == "12000.00"
    assert data["vehicle_values"] == ["25000.00"]
    assert data["rigid_spending_12m"] == "3.05"
    ids = [m["id"] for m in data["members"]]
    assert ids == [str(head.pk), str(spouse.pk), str(child.pk)]  # the deceased parent is left out
    first, second, third = data["members"]
    assert first["disability_category"] == "physical" and first["disability_grade"] == 2
    assert first["able_to_work"] is False and first["self_care"] == "partly_unable"
    assert second["able_to_work"] is True  # partial capacity counts as able to work
    assert second["disability_category"] is None and second["disability_grade"] == 0
    assert second["monthly_income"] == {"wage": "1200.00", "business": "0.00", "property": "0.00", "transfer": "150.50"}
    assert third["child_status"] is None
    parse_household_facts(facts)  # valid input for the engine


def test_members_born_after_the_period_are_not_members_yet(family):
    household, head, spouse, child, late = family
    facts = household_facts(household, period="2019-05")  # the child is born 2019-06-01
    assert [m["id"] for m in facts["household"]["members"]] == [str(head.pk), str(spouse.pk)]
    facts = household_facts(household, period="2019-06")
    assert str(child.pk) in [m["id"] for m in facts["household"]["members"]]
    households, members = load_facts_frames(period="2019-05")
    assert set(members["member_id"].to_list()) == {head.pk, spouse.pk}


def test_frames_follow_the_engine_schema_exactly(family):
    household, head, spouse, child, late = family
    households, members = load_facts_frames(period="2024-10")
    assert households.columns == [*HOUSEHOLD_SCHEMA, "division_code"]
    assert members.columns == list(MEMBER_SCHEMA)
    for column, dtype in HOUSEHOLD_SCHEMA.items():
        assert households.schema[column] == dtype, column
    for column, dtype in MEMBER_SCHEMA.items():
        expected = pl.Int64 if column == "member_id" else dtype
        assert members.schema[column] == expected, column
    row = households.row(0, named=True)
    assert row == {
        "household_id": household.pk,
        "zone": "rural",
        "financial_assets_fen": 1_200_000,
        "max_vehicle_value_fen": 2_500_000,
        "rigid_spending_12m_fen": 305,
        "division_code": "500102119001",
    }
    by_id = {r["member_id"]: r for r in members.iter_rows(named=True)}
    assert set(by_id) == {head.pk, spouse.pk, child.pk}
    assert by_id[head.pk]["birth_date"] == dt.date(1950, 3, 1)
    assert by_id[head.pk]["disability_category"] == "physical"
    assert by_id[head.pk]["able_to_work"] is False
    assert by_id[spouse.pk]["able_to_work"] is True
    assert by_id[spouse.pk]["disability_category"] is None
    assert by_id[spouse.pk]["income_transfer_fen"] == 15_050
    assert by_id[child.pk]["child_status"] is None
    assert by_id[head.pk]["relation"] == "head" and by_id[child.pk]["relation"] == "child"


def test_per_case_and_batch_agree_on_the_hand_made_household(family):
    household, *_ = family
    for period in ("2021-12", "2024-10", "2026-11"):
        per_case = evaluate_household(household_facts(household, period=period))
        households, members = load_facts_frames(period=period)
        batch = evaluate_batch(households, members, period).results
        for result in per_case["results"]:
            member_id = None if result["subject"] == "household" else int(result["subject"])
            row = batch.filter(
                (pl.col("program") == result["program"])
                & (pl.col("member_id").is_null() if member_id is None else pl.col("member_id") == member_id)
            ).row(0, named=True)
            assert row["eligible"] == result["eligible"], (period, result["program"], result["subject"])
            assert row["amount_fen"] == yuan_to_fen(parse_amount(result["amount"]))


def test_division_prefix_limits_the_read(family, make_household):
    household, *_ = family
    other = make_household("500102006001", names=("赵一", "钱二"))
    households, members = load_facts_frames(division_prefix="500102119")
    assert households["household_id"].to_list() == [household.pk]
    households, members = load_facts_frames(division_prefix="500102006001")
    assert households["household_id"].to_list() == [other.pk]
    assert members.height == 2
    households, members = load_facts_frames()
    assert set(households["household_id"].to_list()) == {household.pk, other.pk}


def test_a_household_whose_members_all_died_is_not_evaluated(db, make_person, system_actor):
    head = make_person("500102006001", "孙独居", birth="19400101")
    household = do_create_household(system_actor, head=head, since=dt.date(2000, 1, 1))
    Person.objects.filter(pk=head.pk).update(is_deceased=True)
    with pytest.raises(NoMembersInPeriod):
        household_facts(household, period="2024-10")
    households, members = load_facts_frames()
    assert households.height == 0 and members.height == 0


@pytest.mark.django_db
def test_household_ids_read_the_same_frames_as_the_division_wide_load(monkeypatch):
    """``household_ids`` reads exactly the rows of the division-wide load for those
    households, also across several IN (...) chunks; an empty list reads nothing."""
    generate_district(scale=0.002, seed=SEED)
    all_households, all_members = load_facts_frames(period="2026-11")
    ids = all_households["household_id"].to_list()[::3]
    ids_with_noise = [*ids, ids[0], max(ids) + 10_000]  # a duplicate and an unknown id
    monkeypatch.setattr(facts, "IDS_CHUNK", 7)
    households, members = load_facts_frames(period="2026-11", household_ids=ids_with_noise)
    assert len(ids) > 20
    wanted = pl.Series(ids).implode()
    assert households.equals(all_households.filter(pl.col("household_id").is_in(wanted)))
    assert members.equals(all_members.filter(pl.col("household_id").is_in(wanted)))
    assert households.schema == all_households.schema and members.schema == all_members.schema
    # Combined with a division prefix, both limits apply.
    prefix = households["division_code"][0][:9]
    households, _ = load_facts_frames(period="2026-11", household_ids=ids, division_prefix=prefix)
    assert households.equals(
        all_households.filter(pl.col("household_id").is_in(wanted) & pl.col("division_code").str.starts_with(prefix))
    )
    households, members = load_facts_frames(household_ids=[])
    assert households.height == 0 and members.height == 0
    assert households.schema == all_households.schema and members.schema == all_members.schema
