"""The API's readers for query parameters the schema types but cannot bound (issue 20): a
list's ``offset`` and ``limit`` and an optional ``year`` — checked at the edge, the field named
in Chinese, never clamped silently and never passed on unchecked (an offset of 10^20 overflows
the database's integer; year 999999 breaks date arithmetic)."""

from __future__ import annotations

import datetime as dt

from minzheng.core.errors import ValidationFailed
from minzheng.core.periods import EARLIEST_YEAR, year_or_none

# Beyond any list the district holds (1.15 M people); keeps the database's integer in range.
MAX_OFFSET = 10_000_000


def window(offset: int, limit: int, *, max_limit: int) -> slice:
    """The rows a list answers, or ValidationFailed naming ``offset`` / ``limit``."""
    errors: dict[str, str] = {}
    if not 0 <= offset <= MAX_OFFSET:
        errors["offset"] = f"起始位置应在0至{MAX_OFFSET}之间"
    if not 1 <= limit <= max_limit:
        errors["limit"] = f"每次返回条数应在1至{max_limit}之间"
    if errors:
        raise ValidationFailed(errors)
    return slice(offset, offset + limit)


def check_year(year: int | None, *, latest: int) -> int | None:
    """An API's optional year: as given, or ValidationFailed naming the field."""
    if year is None or year_or_none(year, latest=latest) is not None:
        return year
    raise ValidationFailed({"year": f"年份应在{EARLIEST_YEAR}至{latest}年之间"})


def query_date(raw: object, *, field: str, label: str = "日期") -> dt.date | None:
    """A date typed in a query (``?date_from=``): None when empty, else an ISO date within the
    records' years, or ValidationFailed naming ``field`` (2025-13-01 and 0001-01-01 included)."""
    text = str(raw or "").strip()
    if not text:
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed({field: f"{label}应为“年-月-日”，如 2026-12-01"}) from None
    if day.year < EARLIEST_YEAR or day.year > 2100:
        raise ValidationFailed({field: f"{label}{text}不合理，请核对"})
    return day
