"""The indicator registry: lines declare codes at ready(), planning looks them up."""

from __future__ import annotations

import pytest

from minzheng.core.indicators import (
    IndicatorNotRegistered,
    get_indicator,
    register_indicator,
    registered_indicators,
    unregister_indicator,
)
from minzheng.planning import adapters


def test_the_lines_declare_the_codes_planning_reads():
    codes = set(registered_indicators())
    wanted = {
        adapters.ELDERCARE_INDICATORS,
        adapters.ELDERCARE_CIRCLE_BY_TOWN,
        adapters.ELDERCARE_ASSESSMENT_COVERAGE,
        adapters.ELDERCARE_FACILITY_COUNTS,
        adapters.SCREENING_RUNS,
        adapters.SCREENING_COVERAGE,
    }
    assert wanted <= codes
    assert get_indicator(adapters.ELDERCARE_INDICATORS).supports_coverage is True
    assert get_indicator(adapters.SCREENING_RUNS).supports_coverage is False
    assert get_indicator(adapters.ELDERCARE_INDICATORS).compute.__module__ == "minzheng.eldercare.indicators"


def test_register_is_idempotent_and_refuses_a_second_function():
    def one():
        return 1

    def two():
        return 2

    try:
        register_indicator("test.one", one, label="一")
        register_indicator("test.one", one, label="一")  # ready() twice: no error
        assert get_indicator("test.one").compute() == 1
        with pytest.raises(ValueError, match="already registered"):
            register_indicator("test.one", two, label="二")
    finally:
        unregister_indicator("test.one")
    with pytest.raises(IndicatorNotRegistered):
        get_indicator("test.one")


def test_an_unregistered_code_is_an_unavailable_source_for_planning():
    with pytest.raises(adapters.SourceUnavailable, match="test.nobody"):
        adapters.resolve("test.nobody")
