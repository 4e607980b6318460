"""Lists of the 低收入人口 line, always within the actor's divisions. Other lines (planning,
assistance) read the register through these functions."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.core import clock
from minzheng.divisions.directory import get_directory
from minzheng.lowincome.enums import OPEN_STATUSES, FigureName, ListingKind, Tier
from minzheng.lowincome.models import (
    DepartmentListing,
    DistrictFigure,
    MonitoringRun,
    PriceIndexMonth,
    Recognition,
    RegisterEntry,
    TierChange,
)
from minzheng.lowincome.workflow import RECOGNITION
from minzheng.registry.permissions import RegistryPerm
from minzheng.rules import ParameterNotSet, load_parameters


def register_for(
    actor: Actor, *, division_code: str | None = None, tier: str | None = None, source_kind: str | None = None, q: str = ""
) -> QuerySet[RegisterEntry]:
    """The open register rows the actor may see, filtered like the screen."""
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return RegisterEntry.objects.none()
    qs = RegisterEntry.objects.within(actor, division_code).filter(ended_on__isnull=True).select_related("person")
    if tier in Tier.values:
        qs = qs.filter(tier=tier)
    if source_kind:
        qs = qs.filter(source_kind=source_kind)
    if q:
        qs = qs.filter(person__name__contains=q)
    return qs.order_by("division_code", "household_id", "person_id")


def counts_by_tier_and_town(actor: Actor, *, division_code: str | None = None) -> dict:
    """People in the register by tier, for each town (or village, inside one town) the actor sees:
    {"rows": [{"code", "name", "tiers": {tier: n}, "total"}], "totals": {tier: n}, "total": n}."""
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return {"rows": [], "totals": {t: 0 for t in Tier.values}, "total": 0}
    base = RegisterEntry.objects.within(actor, division_code).filter(ended_on__isnull=True)
    directory = get_directory()
    inside_town = bool(division_code and len(division_code) >= 9) or actor.level in ("town", "village")
    width = 12 if inside_town else 9
    grouped: dict[str, dict[str, int]] = {}
    for code, tier, n in base.order_by().values_list("division_code", "tier").annotate(n=Count("id")).values_list("division_code", "tier", "n"):
        key = code[:width]
        grouped.setdefault(key, {t: 0 for t in Tier.values})[tier] += n
    rows = [
        {"code": code, "name": directory.name(code), "tiers": tiers, "total": sum(tiers.values())}
        for code, tiers in sorted(grouped.items())
    ]
    totals = {t: sum(r["tiers"][t] for r in rows) for t in Tier.values}
    return {"rows": rows, "totals": totals, "total": sum(totals.values()), "level_label": "村（社区）" if inside_town else "乡镇（街道）"}


def changes_for(
    actor: Actor, *, division_code: str | None = None, period: str | None = None, tier: str | None = None
) -> QuerySet[TierChange]:
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return TierChange.objects.none()
    qs = TierChange.objects.within(actor, division_code).select_related("person")
    if period:
        qs = qs.filter(period=period)
    if tier in Tier.values:
        qs = qs.filter(Q(to_tier=tier) | Q(from_tier=tier))
    return qs.order_by("-changed_at", "-id")


def history_of_person(actor: Actor, person_id: int) -> QuerySet[RegisterEntry]:
    return RegisterEntry.objects.visible_to(actor).filter(person_id=person_id).order_by("-since", "-id")


def tier_of_person(actor: Actor, person_id: int) -> RegisterEntry | None:
    return RegisterEntry.objects.visible_to(actor).filter(person_id=person_id, ended_on__isnull=True).first()


def monitoring_runs(limit: int = 12) -> QuerySet[MonitoringRun]:
    return MonitoringRun.objects.order_by("-id")[:limit]


def list_recognitions_for(
    actor: Actor, *, division_code: str | None = None, kind: str | None = None, status: str | None = None
) -> QuerySet[Recognition]:
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return Recognition.objects.none()
    qs = Recognition.objects.within(actor, division_code).select_related("household", "household__head")
    if kind:
        qs = qs.filter(kind=kind)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def history_of(recognition: Recognition) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.for_case(RECOGNITION, recognition).order_by("id")


# ----------------------------------------------------------------------------------------------
# District figures and price indices (district-wide, not personal data)
# ----------------------------------------------------------------------------------------------


def district_figures() -> QuerySet[DistrictFigure]:
    return DistrictFigure.objects.order_by("parameter", "-year", "-id")


def missing_district_figures(on=None) -> list[str]:
    """The annual figures with no value in force today (labels), for the banner."""
    day = on or clock.today()
    parameters = load_parameters()
    missing = []
    for name, label in FigureName.choices:
        try:
            parameters.value_at(name, day)
        except ParameterNotSet:
            missing.append(label)
    return missing


def price_index_months() -> QuerySet[PriceIndexMonth]:
    return PriceIndexMonth.objects.order_by("-period")


def price_index_month(period: str) -> PriceIndexMonth | None:
    return PriceIndexMonth.objects.filter(period=period).first()


def listed_kinds_of(actor: Actor, person_id: int) -> set[str]:
    """The departments' rosters the person is on today (防止返贫监测对象, 困难重点优抚对象) —
    read by other lines (the 惠民殡葬 group of funerals)."""
    return set(
        DepartmentListing.objects.visible_to(actor)
        .filter(person_id=person_id, ended_on__isnull=True, listed_on__lte=clock.today())
        .values_list("kind", flat=True)
    )


def listings_for(
    actor: Actor, *, kind: str | None = None, status: str = "open", division_code: str | None = None, q: str = ""
) -> QuerySet[DepartmentListing]:
    """The departments' rosters within the actor's divisions: open (在名单) or lifted (已解除)."""
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return DepartmentListing.objects.none()
    qs = DepartmentListing.objects.within(actor, division_code).select_related("person")
    if kind in ListingKind.values:
        qs = qs.filter(kind=kind)
    if status == "open":
        qs = qs.filter(ended_on__isnull=True)
    elif status == "ended":
        qs = qs.filter(ended_on__isnull=False)
    if q:
        qs = qs.filter(person__name__contains=q)
    return qs.order_by("-listed_on", "-id")
