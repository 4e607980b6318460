"""Validation of household facts: every bad field is named, money is exact."""

import copy
from decimal import Decimal

import pytest

from minzheng.rules import FactsValidationError, parse_household_facts, price_subsidy, temporary_assistance
from minzheng.rules.facts import household_facts_to_data
from minzheng.rules.tests.samples import SAMPLE_HOUSEHOLD_DATA

VALID = SAMPLE_HOUSEHOLD_DATA


def _with(**changes):
    data = copy.deepcopy(VALID)
    for path, value in changes.items():
        target = data
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        if value is KeyError:
            del target[keys[-1]]
        else:
            target[keys[-1]] = value
    return data


def _errors(data):
    with pytest.raises(FactsValidationError) as raised:
        parse_household_facts(data)
    return {error["field"]: error["message"] for error in raised.value.errors}


def test_parses_the_documented_shape():
    facts = parse_household_facts(VALID)

    assert str(facts.period) == "2024-10"
    assert facts.max_vehicle_value == Decimal("25000")
    member = facts.members[0]
    assert member.birth_date.isoformat() == "1950-03-01"
    assert member.disability_grade == 2 and member.self_care == "partly_unable"


def test_money_accepts_int_float_and_str_exactly():
    data = _with(household__financial_assets=0.1, household__rigid_spending_12m="1234.50")
    data["household"]["members"][0]["monthly_income"].update(wage=2812.46, transfer="0.07")

    facts = parse_household_facts(data)

    assert facts.financial_assets == Decimal("0.1")
    assert facts.rigid_spending_12m == Decimal("1234.50")
    assert facts.members[0].income_wage == Decimal("2812.46")
    assert facts.members[0].income_transfer == Decimal("0.07")


def test_more_fields_are_allowed():
    data = _with(household__note="extra", household__members__0__name="张三")
    assert parse_household_facts(data).members[0].id == "m1"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"period": "2024-1"}, "period"),
        ({"period": "2024/10"}, "period"),
        ({"period": 202410}, "period"),
        ({"period": KeyError}, "period"),
        ({"household__zone": "suburban"}, "household.zone"),
        ({"household__zone": KeyError}, "household.zone"),
        ({"household__division_code": "5001"}, "household.division_code"),
        ({"household__financial_assets": "12,000"}, "household.financial_assets"),
        ({"household__financial_assets": -1}, "household.financial_assets"),
        ({"household__financial_assets": "1.005"}, "household.financial_assets"),
        ({"household__financial_assets": True}, "household.financial_assets"),
        ({"household__vehicle_values": 25000}, "household.vehicle_values"),
        ({"household__vehicle_values": [1, "x"]}, "household.vehicle_values[1]"),
        ({"household__rigid_spending_12m": "abc"}, "household.rigid_spending_12m"),
        ({"household__members": []}, "household.members"),
        ({"household__members__0__id": ""}, "household.members[0].id"),
        ({"household__members__0__birth_date": "1950-02-30"}, "household.members[0].birth_date"),
        ({"household__members__0__birth_date": "01/03/1950"}, "household.members[0].birth_date"),
        ({"household__members__0__birth_date": "2024-11-01"}, "household.members[0].birth_date"),
        ({"household__members__0__sex": "X"}, "household.members[0].sex"),
        ({"household__members__0__disability_grade": 5}, "household.members[0].disability_grade"),
        ({"household__members__0__disability_grade": "2"}, "household.members[0].disability_grade"),
        ({"household__members__0__disability_category": "arm"}, "household.members[0].disability_category"),
        ({"household__members__0__disability_category": None}, "household.members[0].disability_category"),
        ({"household__members__0__student": "no"}, "household.members[0].student"),
        ({"household__members__0__in_institution": 0}, "household.members[0].in_institution"),
        ({"household__members__0__self_care": "half"}, "household.members[0].self_care"),
        ({"household__members__0__child_status": "abandoned"}, "household.members[0].child_status"),
        ({"household__members__0__monthly_income": KeyError}, "household.members[0].monthly_income"),
        ({"household__members__0__monthly_income__wage": "abc"}, "household.members[0].monthly_income.wage"),
        ({"household__members__0__monthly_income__transfer": KeyError}, "household.members[0].monthly_income.transfer"),
    ],
)
def test_names_the_bad_field(changes, field):
    errors = _errors(_with(**changes))

    assert field in errors, errors
    assert errors[field]  # a Chinese message


def test_no_disability_with_a_category_is_rejected():
    errors = _errors(_with(household__members__0__disability_grade=0))
    assert errors == {"household.members[0].disability_category": "残疾等级为0（无残疾）时残疾类别应为 null"}


@pytest.mark.parametrize("period", ["2017-12", "2027-01"])
def test_period_outside_coverage_is_rejected(period):
    errors = _errors(_with(period=period))
    assert errors == {"period": "核算期超出参数覆盖范围（2018-01至2026-12）"}


def test_every_bad_field_is_reported_at_once():
    data = _with(
        period="2024-13",
        household__zone="city",
        household__financial_assets=-5,
        household__members__0__sex="W",
        household__members__0__birth_date="yesterday",
        household__members__0__monthly_income__wage=None,
    )
    second = copy.deepcopy(data["household"]["members"][0])
    second.update(id="m1", self_care=None, student="yes", sex="M", birth_date="1990-01-01")
    second["monthly_income"]["wage"] = 0
    data["household"]["members"].append(second)
    del data["household"]["members"][0]["relation"]

    errors = _errors(data)

    assert set(errors) == {
        "period",
        "household.zone",
        "household.financial_assets",
        "household.members[0].relation",
        "household.members[0].birth_date",
        "household.members[0].sex",
        "household.members[0].monthly_income.wage",
        "household.members[1].student",
        "household.members[1].self_care",
    }


def test_duplicate_member_ids_are_rejected():
    data = copy.deepcopy(VALID)
    data["household"]["members"].append(copy.deepcopy(data["household"]["members"][0]))
    assert "household.members[1].id" in _errors(data)


def test_not_an_object():
    with pytest.raises(FactsValidationError) as raised:
        parse_household_facts(["period"])
    assert raised.value.errors == [{"field": "", "message": "应为JSON对象"}]


def test_temporary_assistance_names_each_bad_argument():
    with pytest.raises(FactsValidationError) as raised:
        temporary_assistance("2030-01", "extreme", 0, 1.5, "yes")
    assert {error["field"] for error in raised.value.errors} == {"period", "severity", "persons", "months", "urgent"}


def test_price_subsidy_names_each_bad_argument():
    with pytest.raises(FactsValidationError) as raised:
        price_subsidy("2024-10", "high", None, "suburb")
    assert {error["field"] for error in raised.value.errors} == {"cpi_yoy", "food_cpi_yoy", "recipient_zone"}


def test_facts_round_trip_to_plain_data():
    facts = parse_household_facts(VALID)

    data = household_facts_to_data(facts)

    assert parse_household_facts(data) == facts
    assert data["household"]["members"][0]["monthly_income"]["wage"] == "0"
