"""The API's readers for query parameters the schema types but cannot bound (issue 20): a
list's ``offset`` and ``limit`` and an optional ``year`` — checked at the edge, the field named
in Chinese, never clamped silently and never passed on unchecked (an offset of 10^20 overflows
the database's integer; year 999999 breaks date arithmetic)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field

from minzheng.core.errors import ValidationFailed
from minzheng.core.periods import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    MONTH_PATTERN,
    YEAR,
    YEAR_OR_MONTH_PATTERN,
    PeriodError,
    month_end,
    parse_period,
    year_or_none,
)

# Beyond any list the district holds (1.15 M people); keeps the database's integer in range.
MAX_OFFSET = 10_000_000


def documented(description: str, **rules: Any) -> Any:
    """The metadata of a request parameter whose rules (pattern, minimum, maximum) are written
    into the OpenAPI document. The document only states them: the parameter's one reader
    (``window``, ``check_year``, ``parse_division_param``, the period parsers) enforces them with
    a Chinese message naming the field, so the two cannot disagree in wording. (A pydantic
    ``Field``, not ninja's ``Query``: ninja writes a view's default into a shared ``Query``.)"""
    return Field(description=description, json_schema_extra=rules)


# The API's typed query parameters, each with the rules its reader enforces.
Offset = Annotated[int, documented("从第几条开始（0起）", minimum=0, maximum=MAX_OFFSET)]
Year = Annotated[int, documented("年份；可不填", minimum=EARLIEST_YEAR, maximum=LATEST_YEAR)]
Month = Annotated[str, documented("月份：年-月，如 2026-03", pattern=MONTH_PATTERN)]
YearOrMonth = Annotated[str, documented("统计期间：年份（如 2026）或年月（如 2026-11）", pattern=YEAR_OR_MONTH_PATTERN)]


def limit_param(max_limit: int) -> Any:
    """The type of a list's ``limit``: 1…max_limit (``window`` enforces it)."""
    return Annotated[int, documented("每次返回条数", minimum=1, maximum=max_limit)]


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


def check_year(year: int | None) -> int | None:
    """An API's optional year: as given, or ValidationFailed naming the field. A future year is
    a year like any other (it holds nothing yet), so the bound does not move with the clock."""
    if year is None or year_or_none(year, latest=LATEST_YEAR) is not None:
        return year
    raise ValidationFailed({"year": f"年份应在{EARLIEST_YEAR}至{LATEST_YEAR}年之间"})


def year_or_month_bounds(text: object, *, field: str = "period") -> tuple[dt.date, dt.date]:
    """(first day, last day) of a statistics period "YYYY" or "YYYY-MM"; ValidationFailed
    naming ``field`` otherwise (full-width or superscript digits included)."""
    value = str(text or "").strip()
    if YEAR.fullmatch(value):
        return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
    try:
        start = parse_period(value)
    except PeriodError:
        raise ValidationFailed({field: "统计期间应为年份（如2026）或年月（如2026-11）"}) from None
    return start, month_end(start)


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
    if day.year < EARLIEST_YEAR or day.year > LATEST_YEAR:
        raise ValidationFailed({field: f"{label}{text}不合理，请核对"})
    return day
