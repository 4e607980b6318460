"""Runs the YAML policy cases under ``cases/`` through both evaluators."""

import copy
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from minzheng.rules import (
    evaluate_batch,
    evaluate_household,
    facts_to_frames,
    load_parameters,
    parse_household_facts,
    price_subsidy,
    temporary_assistance,
)
from minzheng.rules.programs.funeral_waiver import funeral_waiver
from minzheng.rules.engine.parameters import load_yaml_exact
from minzheng.rules.programs import HOUSEHOLD_PROGRAMS, MEMBER_PROGRAMS

CASES_DIR = Path(__file__).resolve().parent.parent / "cases"
DEFAULTS = load_yaml_exact(CASES_DIR / "defaults.yaml")
REQUEST_FUNCTIONS = {
    "temporary_assistance": temporary_assistance,
    "price_subsidy": price_subsidy,
    "funeral_waiver": funeral_waiver,
}
HOUSEHOLD_PROGRAM_NAMES = {program.name for program in HOUSEHOLD_PROGRAMS}
MEMBER_PROGRAM_NAMES = {program.name for program in MEMBER_PROGRAMS}


def _load_cases():
    for path in sorted(CASES_DIR.rglob("*.yaml")):
        if path.name == "defaults.yaml":
            continue
        for index, case in enumerate(load_yaml_exact(path)):
            case_id = f"{path.relative_to(CASES_DIR).with_suffix('')}[{index}]"
            yield pytest.param(case, id=case_id)


CASES = list(_load_cases())


def _plain(value):
    """YAML gives dates as ``date``; facts take ISO strings like JSON does."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _household_data(case):
    household = {**copy.deepcopy(DEFAULTS["household"]), **_plain(case["household"])}
    members = []
    for member in household["members"]:
        filled = {**copy.deepcopy(DEFAULTS["member"]), **member}
        filled["monthly_income"] = {**DEFAULTS["member"]["monthly_income"], **member.get("monthly_income", {})}
        members.append(filled)
    household["members"] = members
    return {"period": str(case["period"]), "household": household}


def _parameters(case):
    overrides = case.get("parameter_overrides")
    return load_parameters().with_overrides(overrides) if overrides else load_parameters()


def _same(actual, expected):
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual is expected
    if isinstance(expected, Decimal) or (isinstance(expected, int) and isinstance(actual, str)):
        return actual is not None and Decimal(str(actual)) == Decimal(expected)
    if isinstance(expected, dict) and isinstance(actual, dict):
        return all(_same(actual.get(key), value) for key, value in expected.items())
    return actual == expected


def _check_result(result, expected, where):
    for key, value in expected.items():
        if key == "conditions":
            shown = {item["code"]: item for item in result["conditions"] + result.get("details", [])}
            for code, checks in value.items():
                assert code in shown, f"{where}: no condition {code}"
                for field, wanted in checks.items():
                    assert _same(shown[code].get(field), wanted), (
                        f"{where}.{code}.{field}: expected {wanted!r}, got {shown[code].get(field)!r}"
                    )
        else:
            assert _same(result.get(key), value), f"{where}.{key}: expected {value!r}, got {result.get(key)!r}"


def _expectations(output):
    """(program, subject, expected) triples from a case's ``output``."""
    for key, expected in output.items():
        if key == "members":
            for member_id, programs in expected.items():
                for program, member_expected in programs.items():
                    assert program in MEMBER_PROGRAM_NAMES, program
                    yield program, str(member_id), member_expected
        else:
            assert key in HOUSEHOLD_PROGRAM_NAMES, key
            yield key, "household", expected


@pytest.mark.parametrize("case", CASES)
def test_policy_case(case):
    assert case.get("name"), "every case states its rule in its name"
    if "function" in case:
        result = REQUEST_FUNCTIONS[case["function"]](str(case["period"]), **case["input"], parameters=_parameters(case))
        _check_result(result, case["output"], case["function"])
        return

    parameters = _parameters(case)
    facts = parse_household_facts(_household_data(case), parameters=parameters)
    per_case = {(r["program"], r["subject"]): r for r in evaluate_household(facts, parameters=parameters)["results"]}
    households, members = facts_to_frames([facts], [1])
    batch = evaluate_batch(households, members, facts.period, parameters=parameters).results
    by_batch = {
        (row["program"], row["member_id"] if row["member_id"] is not None else "household"): row
        for row in batch.iter_rows(named=True)
    }

    for program, subject, expected in _expectations(case["output"]):
        where = f"{program}/{subject}"
        _check_result(per_case[(program, subject)], expected, where)
        row = by_batch[(program, subject)]
        if "eligible" in expected:
            assert row["eligible"] is expected["eligible"], f"batch {where}.eligible"
        if "amount" in expected:
            assert row["amount_fen"] == int(Decimal(expected["amount"]) * 100), f"batch {where}.amount"


def test_every_program_has_cases():
    covered = set()
    for param in CASES:
        case = param.values[0]
        if "function" in case:
            covered.add(case["function"])
        else:
            covered.update(program for program, _, _ in _expectations(case["output"]))
    assert covered >= HOUSEHOLD_PROGRAM_NAMES | MEMBER_PROGRAM_NAMES | set(REQUEST_FUNCTIONS)
