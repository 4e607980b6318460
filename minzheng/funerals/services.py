"""Computations other modules (and other lines) may call: the zone a division is in on a day,
the filed price of an item, and the 惠民殡葬 quote from the rules engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from minzheng.core.money import fen_to_yuan, format_yuan, yuan_to_fen
from minzheng.core.periods import period_of
from minzheng.funerals.enums import HardshipGroup, PriceItem
from minzheng.funerals.models import PriceFiling, Zone
from minzheng.rules import FactsValidationError, load_parameters
from minzheng.rules.programs.funeral_waiver import HARDSHIP_GROUPS, funeral_waiver

WAIVER_ITEMS = {
    "transport_price": PriceItem.TRANSPORT,
    "refrigeration_day_price": PriceItem.REFRIGERATION_DAY,
    "body_bag_price": PriceItem.BODY_BAG,
    "cremation_price": PriceItem.CREMATION,
    "urn_price": PriceItem.URN,
}


def zone_since(division_code: str, kind: str) -> dt.date | None:
    """The first day the village (or its town) has been a zone of this kind; None if never."""
    prefixes = [division_code[:n] for n in (9, 12) if len(division_code) >= n]
    return Zone.objects.filter(division_code__in=prefixes, kind=kind).order_by("since").values_list("since", flat=True).first()


def zone_dates(kind: str) -> dict[str, dt.date]:
    """{town or village code: since} of every zone of a kind (for the indicators, one query)."""
    return dict(Zone.objects.filter(kind=kind).values_list("division_code", "since"))


def filed_price_fen(facility_id: int, item: str, on: dt.date) -> int | None:
    """The price in force on a day (the latest filing effective on or before it)."""
    return (
        PriceFiling.objects.filter(facility_id=facility_id, item=item, effective_from__lte=on)
        .order_by("-effective_from")
        .values_list("price_fen", flat=True)
        .first()
    )


@dataclass
class WaiverQuote:
    eligible: bool = False
    amount_fen: int = 0
    lines: list = field(default_factory=list)
    result: dict = field(default_factory=dict)
    provisional: bool = False
    errors: dict = field(default_factory=dict)


def waiver_quote(record, *, group: str, on: dt.date, urn_price_yuan=None, chongqing_hukou: bool | None = None) -> WaiverQuote:
    """The waiver the rules engine computes for a record cremated on ``on``, at its funeral
    home's filed prices. The urn: the price of the chosen urn, else the filed one."""
    prices: dict[str, Decimal] = {}
    missing = []
    for fact, item in WAIVER_ITEMS.items():
        fen = filed_price_fen(record.funeral_home_id, item, on)
        if fen is None:
            missing.append(PriceItem(item).label)
        else:
            prices[fact] = fen_to_yuan(fen)
    if urn_price_yuan not in (None, ""):
        try:
            prices["urn_price"] = fen_to_yuan(yuan_to_fen(Decimal(str(urn_price_yuan))))
            missing = [m for m in missing if m != PriceItem.URN.label]
        except (ArithmeticError, ValueError):
            return WaiverQuote(errors={"urn_price": "骨灰盒价格应为最多两位小数的金额（元）"})
    if missing:
        return WaiverQuote(errors={"cremated_on": f"该殡仪馆尚未备案以下基本殡葬服务价格，无法计算惠民殡葬减免：{'、'.join(missing)}"})
    if chongqing_hukou is None:
        hukou = getattr(record.person, "hukou_division_code", "") or ""
        chongqing_hukou = hukou.startswith("50")
    try:
        result = funeral_waiver(
            period_of(on), group, chongqing_hukou, True, int(record.storage_days or 0), {k: str(v) for k, v in prices.items()}
        )
    except FactsValidationError as e:
        return WaiverQuote(errors={"cremated_on": "惠民殡葬减免无法计算：" + "；".join(x["message"] for x in e.errors)})
    amount = yuan_to_fen(Decimal(result["amount"])) if result["eligible"] else 0
    return WaiverQuote(
        eligible=bool(result["eligible"]), amount_fen=amount, lines=result.get("lines", []), result=result,
        provisional=bool(result.get("provisional")),
    )  # fmt: skip


def waiver_information(on: dt.date) -> dict:
    """惠民殡葬 in plain words for the public, from the same program and parameters the waiver is
    computed with: who (the hardship groups), what (the waived items), the limits on the day and
    whether they are still working defaults (参数待确认)."""
    params = load_parameters()
    days = params.value_at("funeral.waiver.refrigeration_max_days", on)
    cap = params.value_at("funeral.waiver.urn_cap", on)
    cap_fen = yuan_to_fen(Decimal(str(cap.value)))
    limits = {PriceItem.REFRIGERATION_DAY: f"最多{int(days.value)}天", PriceItem.URN: f"{format_yuan(cap_fen)}元以内"}
    return {
        "groups": [HardshipGroup(g).label for g in HARDSHIP_GROUPS],
        "items": [{"label": PriceItem(i).label, "limit": limits.get(i, "")} for i in WAIVER_ITEMS.values()],
        "refrigeration_max_days": int(days.value),
        "urn_cap_fen": cap_fen,
        "provisional": bool(days.provisional or cap.provisional),
    }
