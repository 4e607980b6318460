"""Today's date for the casework line, in one place so tests can move time.

`today()` is the local date (Asia/Shanghai). Tests use `frozen_today(date)`; the browser test
moves the live server's day forward the same way (it runs in the test process).
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

from django.utils import timezone

_override: list[dt.date] = []


def today() -> dt.date:
    if _override:
        return _override[-1]
    return timezone.localdate()


@contextmanager
def frozen_today(day: dt.date):
    _override.append(day)
    try:
        yield day
    finally:
        _override.pop()


def set_today(day: dt.date | None) -> None:
    """Pin (or with None, release) today's date; for tests spanning several requests."""
    _override.clear()
    if day is not None:
        _override.append(day)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    """First day of the month n months after `month`'s month."""
    index = month.year * 12 + (month.month - 1) + n
    return dt.date(index // 12, index % 12 + 1, 1)


def next_month(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1)


def period_of(month: dt.date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def parse_period(text: str) -> dt.date:
    """'YYYY-MM' → first day of that month; ValueError otherwise."""
    if not isinstance(text, str) or len(text) != 7 or text[4] != "-":
        raise ValueError(text)
    return dt.date(int(text[:4]), int(text[5:]), 1)
