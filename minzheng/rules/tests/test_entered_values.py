"""Values entered on the platform reach the engine through the parameter supplier: dated, cited,
merged with the YAML tree, and the merged set is reused while the answer does not change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from minzheng.rules import ParameterValue, load_parameters, register_parameter_supplier
from minzheng.rules.engine import parameters as engine_parameters
from minzheng.rules.engine.parameters import UnknownParameter

NAME = "district.per_capita_disposable_income_prev_year"


@pytest.fixture
def supplier():
    previous = engine_parameters._supplier
    answer: list = []
    register_parameter_supplier(lambda: tuple(answer))
    yield answer
    register_parameter_supplier(previous)


def test_entered_value_is_dated_and_cited(supplier):
    base = load_parameters()
    assert base.find(NAME, dt.date(2026, 6, 1)) is None
    supplier.append((NAME, ParameterValue(Decimal("45000"), "涪陵区2025年统计公报", False, dt.date(2026, 1, 1))))
    merged = load_parameters()
    found = merged.value_at(NAME, "2026-06")
    assert (found.value, found.reference, found.provisional) == (Decimal("45000.00"), "涪陵区2025年统计公报", False)
    assert merged.find(NAME, dt.date(2025, 12, 31)) is None
    assert load_parameters() is merged  # same answer → same set (compiled programs reused)
    assert merged.value_at("dibao.standard.urban", "2026-06") == base.value_at("dibao.standard.urban", "2026-06")


def test_no_entered_values_is_the_shipped_tree(supplier):
    assert load_parameters() is load_parameters(None)
    assert load_parameters().find(NAME, dt.date(2026, 6, 1)) is None


def test_unknown_name_is_refused():
    with pytest.raises(UnknownParameter):
        load_parameters().with_entries([("no.such.parameter", ParameterValue(Decimal(1), "x", False, dt.date(2026, 1, 1)))])
