"""Per-case and batch evaluators agree on every program, household and member, to the fen."""

import random
from collections import defaultdict
from decimal import Decimal

import pytest

from minzheng.rules import evaluate_batch, evaluate_household, facts_to_frames, load_parameters, parse_household_facts
from minzheng.core.money import yuan_to_fen
from minzheng.rules.synthetic import random_household_data

# Periods either side of every dated change in the standards and the property rules.
PERIODS = (
    "2018-01", "2019-08", "2019-09", "2020-08", "2020-09", "2021-09", "2022-12",
    "2023-01", "2024-08", "2024-09", "2024-10", "2025-06", "2025-07", "2026-12",
)
HOUSEHOLDS = 2_400


def _per_case_rows(facts, household_id, parameters):
    rows = {}
    for result in evaluate_household(facts, parameters=parameters)["results"]:
        member_id = None if result["subject"] == "household" else result["subject"]
        key = (result["program"], household_id, member_id)
        rows[key] = (result["eligible"], yuan_to_fen(Decimal(result["amount"])))
    return rows


def _batch_rows(facts_list, ids, period, parameters):
    households, members = facts_to_frames(facts_list, ids)
    results = evaluate_batch(households, members, period, parameters=parameters).results
    return {
        (row["program"], row["household_id"], row["member_id"]): (row["eligible"], row["amount_fen"])
        for row in results.iter_rows(named=True)
    }


def _generated(parameters, seed):
    rng = random.Random(seed)
    by_period = defaultdict(list)
    for household_id in range(1, HOUSEHOLDS + 1):
        period = PERIODS[household_id % len(PERIODS)]
        data = random_household_data(rng, period, parameters)
        by_period[period].append((household_id, parse_household_facts(data, parameters=parameters)))
    return by_period


def _assert_agreement(parameters, seed):
    by_period = _generated(parameters, seed)
    eligible_per_program = defaultdict(int)
    compared = 0
    for period, items in by_period.items():
        ids = [household_id for household_id, _ in items]
        facts_list = [facts for _, facts in items]
        expected = {}
        for household_id, facts in items:
            expected.update(_per_case_rows(facts, household_id, parameters))
        actual = _batch_rows(facts_list, ids, period, parameters)
        assert actual.keys() == expected.keys()
        mismatches = [(key, expected[key], actual[key]) for key in expected if expected[key] != actual[key]]
        assert not mismatches, f"{period}: {len(mismatches)} mismatches, e.g. {mismatches[:5]}"
        compared += len(expected)
        for (program, _, _), (eligible, _) in expected.items():
            eligible_per_program[program] += eligible
    return compared, eligible_per_program


def test_evaluators_agree_on_generated_households():
    compared, eligible = _assert_agreement(load_parameters(), seed=20241001)

    assert compared > 15_000
    # The generated district exercises every program's eligible branch, except the rigid-spending
    # program whose income line has no value yet (checked with an override below).
    for program in ("dibao", "low_income_edge", "dibao_addon", "tekun", "orphan_allowance",
                    "defacto_child_allowance", "disability_living_subsidy", "severe_disability_care_subsidy"):
        assert eligible[program] > 0, program
    assert eligible["rigid_spending_hardship"] == 0


def test_evaluators_agree_under_reform_overrides():
    # Fractional-yuan standard, another deduction rate and a disposable-income line, so that the
    # rounding paths and the rigid-spending program are exercised as well.
    parameters = load_parameters().with_overrides(
        {
            "dibao.standard.rural": Decimal("654.50"),
            "dibao.income.employment_cost_deduction_rate": Decimal("0.15"),
            "district.per_capita_disposable_income_prev_year": Decimal("30000"),
        }
    )
    compared, eligible = _assert_agreement(parameters, seed=7)

    assert compared > 15_000
    assert eligible["rigid_spending_hardship"] > 0


@pytest.mark.parametrize("period", ["2021-08", "2018-06"])
def test_evaluators_agree_when_a_child_allowance_has_no_standard(period):
    # Before 2021-09 no de-facto-child standard is set: both evaluators refuse eligibility.
    parameters = load_parameters()
    data = random_household_data(random.Random(3), period, parameters)
    data["household"]["members"][0].update(birth_date="2015-01-01", child_status="de_facto_unsupported")
    facts = parse_household_facts(data)

    expected = _per_case_rows(facts, 1, parameters)
    actual = _batch_rows([facts], [1], period, parameters)

    assert actual == expected
    assert expected[("defacto_child_allowance", 1, "m1")] == (False, 0)
