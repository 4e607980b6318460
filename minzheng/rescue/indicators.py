"""The plan figures of rescue management, registered with ``core.indicators`` (planning reads
them by code, never imports the line).

- ``rescue.return_rate`` — indicator 12, 查明身份信息流浪乞讨受助人员接送返回率 (约束性, 100 %):
  of the people whose identity was found in the period (``identified_on``), those handed over
  for their return (乘车凭证, escort or collected by family: ``handed_over_on`` set). The
  denominator leaves out people who left of their own will (a signed declaration) before their
  return — the working default of service-lines.md ("Indicator 12"; rule not found, 参数待确认).
- ``rescue.settlement_rate`` — 滞留人员落户安置率 (plan target 100 %): of the people who became
  long-stay (``long_stay_on``) in the period, those settled.
- ``rescue.occupancy`` — station occupancy on a day: beds occupied ÷ beds.

A period is a year ``"2026"`` or a month ``"2026-11"``. Computed for the whole district as the
system actor unless an actor is given (their scope).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.core.indicators import register_indicator
from minzheng.core.query_params import year_or_month_bounds
from minzheng.rescue.enums import CaseStatus
from minzheng.rescue.models import Bed, BedAssignment, RescueCase

RETURN_RATE = "rescue.return_rate"
SETTLEMENT_RATE = "rescue.settlement_rate"
OCCUPANCY = "rescue.occupancy"




def _rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _cases(actor: Actor | None):
    return RescueCase.objects.visible_to(actor or Actor.system("规划监测：救助管理"))


def return_rate(period: str, actor: Actor | None = None) -> dict:
    start, end = year_or_month_bounds(period)
    identified = _cases(actor).filter(identified_on__gte=start, identified_on__lte=end)
    left = identified.filter(status=CaseStatus.LEFT, handed_over_on__isnull=True).count()
    denominator = identified.count() - left
    numerator = identified.filter(handed_over_on__isnull=False).count()
    return {"period": period, "numerator": numerator, "denominator": denominator, "left_excluded": left, "rate": _rate(numerator, denominator)}


def settlement_rate(period: str, actor: Actor | None = None) -> dict:
    start, end = year_or_month_bounds(period)
    long_stay = _cases(actor).filter(long_stay_on__gte=start, long_stay_on__lte=end)
    denominator = long_stay.count()
    numerator = long_stay.filter(status=CaseStatus.SETTLED).count()
    return {"period": period, "numerator": numerator, "denominator": denominator, "rate": _rate(numerator, denominator)}


def occupancy(day: dt.date | None = None, actor: Actor | None = None) -> dict:
    """Beds occupied at the end of ``day`` (an assignment from on or before the day, not ended by it) ÷ active beds."""
    on = day or clock.today()
    who = actor or Actor.system("规划监测：救助管理")
    beds = Bed.objects.visible_to(who).filter(is_active=True).count()
    occupied = (
        BedAssignment.objects.visible_to(who).filter(start_on__lte=on).exclude(end_on__lte=on).values("bed").distinct().count()
    )
    return {"day": on, "occupied": occupied, "beds": beds, "rate": _rate(occupied, beds)}


def register_indicators() -> None:
    """Called from RescueConfig.ready()."""
    register_indicator(RETURN_RATE, return_rate, label="查明身份信息流浪乞讨受助人员接送返回率（指标12）", unit="%")
    register_indicator(SETTLEMENT_RATE, settlement_rate, label="滞留人员落户安置率", unit="%")
    register_indicator(OCCUPANCY, occupancy, label="救助管理站床位使用率", unit="%")
