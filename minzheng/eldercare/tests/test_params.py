"""The elderly-care parameters: loadable, referenced, dated; same format as the rules tree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from minzheng.eldercare.params import PARAMETERS_DIR, ParameterNotSet, fen, load_parameters
from minzheng.rules.engine import parameters as rules

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
    assert fen(params.value_at("service.price.meal", DAY)) == 1200
    assert params.value_at("subsidy.share.dibao", DAY).value == Decimal("0.80")
    assert params.value_at("circle.service_radius", DAY).provisional is True
    assert params.value_at("elderly.min_age", DAY).provisional is False


def test_the_files_are_read_by_the_rules_engine_loader():
    ours = load_parameters()
    files = list(rules.iter_parameter_files(PARAMETERS_DIR))
    assert len(files) == len(ours.names()) >= 25
    for name, path in files:
        assert ours.info(name).unit in rules.UNIT_VALUE_TYPES
        assert ours.info(name).source_file == path
    assert ours.value_at("circle.service_radius", DAY).value == ours.info("circle.service_radius").entries[-1].value
