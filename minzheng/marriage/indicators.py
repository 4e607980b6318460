"""The marriage registry's plan figures, registered with ``core.indicators`` (planning reads them
by code, never imports the line).

- ``marriage.cross_province_share`` — indicator 10, 婚姻登记“跨省通办”: of the registrations of
  the period (marriages registered, divorces registered, certificates reissued), those where a
  party's 户籍 is outside Chongqing (the ID number's or the registry's 户籍 code, province digits
  not 50): numerator, denominator, share in %. Since 2025-05-10 every registry registers
  couples from anywhere (全国通办), so each such case is one handled 跨省通办.
- ``marriage.yearly_counts`` — the statistics of a year (selectors.statistics).

A period is a year ``"2026"`` or a month ``"2026-11"``; computed for the whole district as the
system actor unless an actor is given.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from minzheng.accounts.actor import Actor
from minzheng.core.indicators import register_indicator
from minzheng.core.query_params import year_or_month_bounds
from minzheng.marriage.selectors import statistics

CROSS_PROVINCE_SHARE = "marriage.cross_province_share"
YEARLY_COUNTS = "marriage.yearly_counts"




def _share(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def cross_province_share(period: str, actor: Actor | None = None) -> dict:
    start, end = year_or_month_bounds(period)
    return share_of(period, statistics(actor or Actor.system("规划监测：婚姻登记"), start, end))


def share_of(period: str, stats: dict) -> dict:
    """Indicator 10 from the period's statistics already counted (a page that shows both counts once)."""
    n, d = stats["cross_province"], stats["registrations"]
    return {"period": period, "numerator": n, "denominator": d, "rate": _share(n, d)}


def yearly_counts(year: int, actor: Actor | None = None) -> dict:
    return statistics(actor or Actor.system("规划监测：婚姻登记"), dt.date(year, 1, 1), dt.date(year, 12, 31))


def register_indicators() -> None:
    """Called from MarriageConfig.ready()."""
    register_indicator(CROSS_PROVINCE_SHARE, cross_province_share, label="婚姻登记“跨省通办”办理占比（指标10）", unit="%")
    register_indicator(YEARLY_COUNTS, yearly_counts, label="婚姻登记年度统计", unit="件")
