"""The elderly-care parameters: loadable, referenced, dated; same format as the rules tree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from minzheng.eldercare.params import PARAMETERS_DIR, ParameterNotSet, load_parameters

DAY = dt.date(2026, 1, 1)


def test_every_parameter_has_a_dated_referenced_value_or_is_a_program_without_amount():
    params = load_parameters()
    assert len(params.names()) >= 25
    for name in params.names():
        info = params.info(name)
        if name.startswith("allowance."):
            assert info.entries == ()  # policy-facts §8.2: no Chongqing amount found
            with pytest.raises(ParameterNotSet):
                params.value_at(name, DAY)
            continue
        value = params.value_at(name, DAY)
        assert value.reference.strip()


def test_money_is_exact_and_shares_are_decimals():
    params = load_parameters()
    assert params.value_at("service.price.meal", DAY).fen == 1200
    assert params.value_at("subsidy.share.dibao", DAY).value == Decimal("0.80")
    assert params.value_at("circle.service_radius", DAY).provisional is True
    assert params.value_at("elderly.min_age", DAY).provisional is False


def test_files_with_units_the_rules_engine_knows_parse_there_too():
    rules = pytest.importorskip("minzheng.rules.engine.parameters")
    ours = load_parameters()
    checked = 0
    for name, path in rules.iter_parameter_files(PARAMETERS_DIR):
        info = ours.info(name)
        if info.unit not in rules.UNIT_VALUE_TYPES:
            continue  # metres, metres/minute, CNY/service: to be added to the rules engine
        theirs = rules._parse_parameter_file(path, name)
        assert [e.value for e in theirs.entries] == [e.value for e in info.entries]
        checked += 1
    assert checked >= 15
