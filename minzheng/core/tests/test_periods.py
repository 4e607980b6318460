"""A year typed in a query: read only when the records can hold it (issue 20)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from minzheng.core.errors import ValidationFailed
from minzheng.core.periods import (
    MONTH_PATTERN,
    YEAR_OR_MONTH_PATTERN,
    PeriodError,
    parse_period,
    year_or_none,
)
from minzheng.core.query_params import check_year, year_or_month_bounds


def test_a_query_year_is_read_only_within_the_records_years():
    assert [year_or_none(v, latest=2026) for v in ("2026", " 2021", "2000")] == [2026, 2021, 2000]
    assert [year_or_none(v, latest=2026) for v in ("2027", "1999", "999999", "abc", "²", "", None, "-1")] == [None] * 8
    # The API's year: a future year is answered (nothing yet); the bound does not move with the clock.
    assert [check_year(v) for v in (None, 2025, 2050, 2100, 2000)] == [None, 2025, 2050, 2100, 2000]
    for bad in (999999, 1999, 2101, -1):
        with pytest.raises(ValidationFailed) as e:
            check_year(bad)
        assert e.value.errors == {"year": "年份应在2000至2100年之间"}


def test_a_statistics_period_is_a_year_or_a_month_and_nothing_else():
    assert year_or_month_bounds("2026") == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert year_or_month_bounds(" 2026-02 ") == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    # Superscript and full-width digits passed str.isdigit() and reached int(): a 500 before.
    for bad in ("²⁰²⁶", "２０２６", "2026-13", "26", "abc", "", None, "20266"):
        with pytest.raises(ValidationFailed) as e:
            year_or_month_bounds(bad, field="period")
        assert e.value.errors == {"period": "统计期间应为年份（如2026）或年月（如2026-11）"}


def test_the_documented_patterns_are_what_the_readers_accept():
    """The API document states MONTH_PATTERN and YEAR_OR_MONTH_PATTERN; the readers agree."""
    for text in ("1900-01", "2026-12", "9999-12", "2026"):
        assert bool(re.fullmatch(YEAR_OR_MONTH_PATTERN, text)) is True
        year_or_month_bounds(text)
    for text in ("1900-01", "2026-12", "9999-12"):
        assert bool(re.fullmatch(MONTH_PATTERN, text)) is True
        parse_period(text)
    for text in ("1899-12", "2026-00", "2026-13", "0999-01", "2026-1"):
        assert re.fullmatch(MONTH_PATTERN, text) is None
        with pytest.raises(PeriodError):
            parse_period(text)
