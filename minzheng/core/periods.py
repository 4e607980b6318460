"""Calendar months ("periods", 'YYYY-MM') and month arithmetic, one definition each.

Two month shifts with two names, because they mean different things:

- ``add_months(day, n)`` keeps the day of the month (clamped to the month's end):
  2026-01-31 + 1 → 2026-02-28. For due dates ("three months after the visit").
- ``month_start_after(day, n)`` is the first day of the month n months later:
  2026-01-31 + 1 → 2026-02-01. For payroll and enrolment months.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

_PERIOD = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
# What ``parse_period`` accepts and ``query_params.year_or_month_bounds`` accepts, as the API document
# states them (JSON Schema patterns): a month from 1900-01 on; a year alone or such a month.
MONTH_PATTERN = r"^(19[0-9]{2}|[2-9][0-9]{3})-(0[1-9]|1[0-2])$"
YEAR_OR_MONTH_PATTERN = r"^(19[0-9]{2}|[2-9][0-9]{3})(-(0[1-9]|1[0-2]))?$"
YEAR = re.compile(r"19[0-9]{2}|[2-9][0-9]{3}", re.ASCII)


class PeriodError(ValueError):
    """A month that is not 'YYYY-MM' with a month 01–12; the message is Chinese."""


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def month_start_after(day: dt.date, n: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + n
    return dt.date(index // 12, index % 12 + 1, 1)


def next_month(day: dt.date) -> dt.date:
    return month_start_after(day, 1)


def add_months(day: dt.date, n: int) -> dt.date:
    first = month_start_after(day, n)
    return first.replace(day=min(day.day, calendar.monthrange(first.year, first.month)[1]))


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start's month to end's month (2026-01 → 2026-03 = 2)."""
    return (end.year - start.year) * 12 + (end.month - start.month)


# No record on the platform predates it; a query's year outside [EARLIEST_YEAR, this year] is
# not a year anyone can look at (and 999999 would break date arithmetic further down).
EARLIEST_YEAR = 2000
# The last year a query may name (a future year simply holds nothing yet).
LATEST_YEAR = 2100


def year_or_none(raw: object, *, latest: int) -> int | None:
    """A year from a query (``?year=``) when it is one the records can hold, else None."""
    try:
        year = int(str(raw).strip(), 10)
    except ValueError:
        return None
    return year if EARLIEST_YEAR <= year <= latest else None


def record_date_error(day: dt.date, *, today: dt.date, label: str) -> str:
    """Why a date typed for a record (an application, a visit) cannot be one ("" when it can):
    not before the platform's records begin, not after today."""
    if day.year < EARLIEST_YEAR:
        return f"{label}不合理（应在{EARLIEST_YEAR}年以后），请核对"
    if day > today:
        return f"{label}不能晚于今天"
    return ""


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def parse_period(text: object) -> dt.date:
    """'YYYY-MM' → the first day of that month; PeriodError (Chinese) otherwise.

    Strict: '2025-13', '2025-1', ' 2025-01', '2025-01\\n', full-width digits and non-strings
    are refused, never read as another month. ``PeriodError`` is a ``ValueError``."""
    if not isinstance(text, str):
        raise PeriodError("月份须为“年-月”格式，如 2026-03")
    match = _PERIOD.fullmatch(text)
    if not match:
        raise PeriodError(f"月份“{text[:20]}”格式不正确，应为“年-月”，如 2026-03")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise PeriodError(f"月份“{text}”不存在（月份须在 01–12 之间）")
    if year < 1900:
        raise PeriodError(f"月份“{text}”的年份不合理")
    return dt.date(year, month, 1)


def iter_months(start: dt.date, end: dt.date):
    """First days of each month from start's month to end's month, both included."""
    current = month_start(start)
    while current <= end:
        yield current
        current = next_month(current)
