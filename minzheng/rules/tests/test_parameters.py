"""The parameter tree: every file well formed, dated lookups, overrides, coverage."""

import datetime as dt
from decimal import Decimal

import pytest

from minzheng.rules import ParameterNotSet, UnknownParameter, load_parameters
from minzheng.rules.engine.parameters import (
    PARAMETERS_DIR,
    UNIT_VALUE_TYPES,
    ParameterFileError,
    iter_parameter_files,
    load_yaml_exact,
    read_parameter_directory,
)
from minzheng.rules.engine.types import ValueType

# The "Working defaults" table of policy-facts.md: shipped, but provisional until a local
# document sets them.
WORKING_DEFAULTS = (
    "dibao.income.employment_cost_deduction_rate",
    "dibao.gradual_exit.months",
    "dibao.single_person.income_multiple",
    "low_income.edge.income_multiple",
    "low_income.rigid_spending.share_of_household_income",
    "temporary_assistance.months.general.min",
    "temporary_assistance.months.general.max",
    "temporary_assistance.months.serious.min",
    "temporary_assistance.months.serious.max",
    "temporary_assistance.months.severe.min",
    "temporary_assistance.months.severe.max",
    "temporary_assistance.case_cap",
    "temporary_assistance.approval.town_max_months",
    "temporary_assistance.advance_relief.max_months",
    "temporary_assistance.advance_relief.paperwork_working_days",
    "disability.living_subsidy.amount",
    "disability.care_subsidy.amount",
    "price_subsidy.minimum_amount",
    "price_subsidy.trigger.food_cpi_yoy",
    "dibao.procedure.decision_working_days",
    "dibao.procedure.extended_decision_working_days",
    "dibao.procedure.publicity_days",
    "dibao.review.regular_cycle_months",
    "dibao.review.irregular_income_cycle_months",
    "dibao.addon.preschool_max_age",
)


def test_every_file_has_description_unit_and_referenced_dated_values():
    files = list(iter_parameter_files(PARAMETERS_DIR))
    assert len(files) >= 50
    for name, path in files:
        data = load_yaml_exact(path)
        assert isinstance(data.get("description"), str) and data["description"].strip(), name
        assert data.get("unit") in UNIT_VALUE_TYPES, name
        assert isinstance(data.get("values"), dict), name
        for date, entry in data["values"].items():
            assert isinstance(date, dt.date), f"{name}: {date!r} is not a date"
            assert set(entry) == {"value", "reference", "provisional"}, name
            assert isinstance(entry["reference"], str) and entry["reference"].strip(), name
            assert isinstance(entry["provisional"], bool), name


def test_working_defaults_are_provisional():
    parameters = load_parameters()
    for name in WORKING_DEFAULTS:
        history = parameters.history(name)
        assert history, name
        assert all(value.provisional for value in history), name


def test_verified_standards_are_not_provisional_but_the_2019_guess_is():
    parameters = load_parameters()
    for name in ("dibao.standard.urban", "dibao.standard.rural", "tekun.basic_standard"):
        for value in parameters.history(name):
            assert value.provisional is (value.effective_from == dt.date(2019, 9, 1)), (name, value)
    assert "未核实" in parameters.value_at("dibao.standard.urban", "2019-09").reference


def test_standards_by_year():
    parameters = load_parameters()
    urban = {str(v.effective_from): v.value for v in parameters.history("dibao.standard.urban")}
    assert urban == {
        "2018-01-01": 546, "2019-09-01": 580, "2020-09-01": 620, "2021-09-01": 636,
        "2022-09-01": 717, "2023-09-01": 735, "2024-09-01": 750, "2025-07-01": 770,
    }
    assert parameters.value_at("tekun.basic_standard", "2025-07").value == Decimal("1001")
    assert parameters.value_at("tekun.care.able", "2020-08").value == 0
    assert parameters.value_at("tekun.care.able", "2020-09").value == 50


def test_value_at_switches_on_the_effective_date():
    parameters = load_parameters()
    assert parameters.value_at("dibao.standard.urban", dt.date(2025, 6, 30)).value == Decimal("750")
    in_force = parameters.value_at("dibao.standard.urban", dt.date(2025, 7, 1))
    assert in_force.value == Decimal("770")
    assert in_force.effective_from == dt.date(2025, 7, 1)
    assert "渝民规〔2025〕6号" in in_force.reference
    assert in_force.provisional is False


def test_values_keep_their_types():
    parameters = load_parameters()
    assert parameters.value_type("dibao.standard.urban") is ValueType.MONEY
    rate = parameters.value_at("dibao.income.employment_cost_deduction_rate", "2024-10").value
    assert rate == Decimal("0.20") and isinstance(rate, Decimal)
    assert parameters.value_at("dibao.gradual_exit.months", "2024-10").value == 6


def test_parameter_without_a_value_is_not_set():
    parameters = load_parameters()
    assert parameters.history("district.per_capita_disposable_income_prev_year") == ()
    assert parameters.find("district.per_capita_disposable_income_prev_year", dt.date(2024, 10, 1)) is None
    with pytest.raises(ParameterNotSet):
        parameters.value_at("district.per_capita_disposable_income_prev_year", "2024-10")
    with pytest.raises(ParameterNotSet):
        parameters.value_at("children.de_facto_unsupported.scattered", "2021-08")


def test_unknown_name_raises():
    with pytest.raises(UnknownParameter):
        load_parameters().value_at("dibao.standard.suburban", "2024-10")


def test_names_are_file_paths():
    names = load_parameters().names()
    assert "dibao.standard.urban" in names
    assert "tekun.care.partly_unable" in names
    assert names == sorted(names)


def test_overrides_apply_to_all_dates_and_leave_the_original_untouched():
    original = load_parameters()
    reform = original.with_overrides({"dibao.standard.rural": Decimal("654.50")})

    for day in ("2018-01", "2024-10", "2026-12"):
        value = reform.value_at("dibao.standard.rural", day)
        assert value.value == Decimal("654.50")
        assert value.simulated and value.provisional
    assert reform.history("dibao.standard.rural") == (reform.value_at("dibao.standard.rural", "2024-10"),)
    assert original.value_at("dibao.standard.rural", "2024-10").value == Decimal("610")


def test_overrides_reject_unknown_names_and_sub_fen_money():
    with pytest.raises(UnknownParameter):
        load_parameters().with_overrides({"no.such.parameter": 1})
    with pytest.raises(ParameterFileError):
        load_parameters().with_overrides({"dibao.standard.rural": Decimal("654.555")})


def test_coverage_runs_from_2018_01_to_2026_12():
    parameters = load_parameters()
    assert parameters.covers("2018-01") and parameters.covers("2026-12")
    assert not parameters.covers("2017-12")
    assert not parameters.covers("2027-01")


def _write(directory, relative, text):
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


COVERAGE = 'coverage: {first_month: "2018-01", last_reviewed_month: "2026-12"}\n'


@pytest.mark.parametrize(
    "body, message",
    [
        ("unit: ratio\nvalues: {}\n", "description"),
        ("description: 测试\nunit: furlongs\nvalues: {}\n", "unit"),
        ("description: 测试\nunit: ratio\nvalues:\n  2020-01-01: {value: 0.1, provisional: false}\n", "reference"),
        ("description: 测试\nunit: ratio\nvalues:\n  2020-01-01: {value: 0.1, reference: x}\n", "provisional"),
        ("description: 测试\nunit: ratio\nvalues:\n  not-a-date: {value: 0.1, reference: x, provisional: false}\n", "date"),
        ("description: 测试\nunit: CNY\nvalues:\n  2020-01-01: {value: 1.005, reference: x, provisional: false}\n", "fen"),
        ("description: 测试\nunit: months\nvalues:\n  2020-01-01: {value: 1.5, reference: x, provisional: false}\n", "whole"),
    ],
)
def test_malformed_files_are_rejected_with_their_path(tmp_path, body, message):
    _write(tmp_path, "index.yaml", COVERAGE)
    _write(tmp_path, "test/value.yaml", body)

    with pytest.raises(ParameterFileError, match=message) as raised:
        read_parameter_directory(tmp_path)
    assert "value.yaml" in str(raised.value)


def test_yaml_decimals_are_read_exactly(tmp_path):
    _write(tmp_path, "index.yaml", COVERAGE)
    _write(tmp_path, "a/b.yaml", "description: 测试\nunit: CNY\nvalues:\n  2020-01-01: {value: 654.50, reference: x, provisional: false}\n")

    parameters = read_parameter_directory(tmp_path)

    assert parameters.value_at("a.b", "2020-01").value == Decimal("654.50")
