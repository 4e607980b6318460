"""List reads of the elderly-care line, always through visible_to(actor)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.cases.models import CaseEvent
from minzheng.core import clock
from minzheng.core.ages import born_by
from minzheng.divisions.directory import get_directory
from minzheng.eldercare.geometry import district_outline
from minzheng.eldercare.enums import FamilyBedStatus, OrderStatus, RiskLevel
from minzheng.eldercare.models import (
    Assessment,
    CareOrder,
    Facility,
    FamilyBedService,
    FamilyCareBed,
    Provider,
    ProviderSettlement,
    Residency,
    VillageLocation,
    VisitRecord,
    VisitTarget,
)
from minzheng.eldercare.params import param
from minzheng.eldercare.workflow import ORDER_WORKFLOW
from minzheng.registry.models import Person


def _can_view(actor: Actor) -> bool:
    return actor.has(Perm.VIEW_REGISTRY)


def list_facilities_for(
    actor: Actor, *, division_code: str | None = None, kind: str = "", status: str = "", q: str = ""
) -> QuerySet[Facility]:
    if not _can_view(actor):
        return Facility.objects.none()
    qs = Facility.objects.within(actor, division_code)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(name__contains=q.strip())
    return qs.order_by("division_code", "kind", "id")


def list_assessments_for(actor: Actor, *, division_code: str | None = None, person_id: int | None = None) -> QuerySet[Assessment]:
    if not _can_view(actor):
        return Assessment.objects.none()
    qs = Assessment.objects.within(actor, division_code).select_related("person")
    if person_id:
        qs = qs.filter(person_id=person_id)
    return qs.order_by("-assessed_on", "-id")


def list_residencies_for(actor: Actor, *, facility: Facility | None = None, current_only: bool = True) -> QuerySet[Residency]:
    if not _can_view(actor):
        return Residency.objects.none()
    qs = Residency.objects.visible_to(actor).select_related("person", "facility")
    if facility is not None:
        qs = qs.filter(facility=facility)
    if current_only:
        qs = qs.filter(checked_out_on__isnull=True)
    return qs.order_by("-checked_in_on", "-id")


def list_providers_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[Provider]:
    if not _can_view(actor):
        return Provider.objects.none()
    return Provider.objects.within(actor, division_code).order_by("division_code", "id")


def providers_serving(actor: Actor, division_code: str) -> QuerySet[Provider]:
    """Active providers in scope whose service area contains this village."""
    prefixes = [division_code[:n] for n in (6, 9, 12) if len(division_code) >= n]
    return list_providers_for(actor).filter(is_active=True, division_code__in=prefixes)


def list_orders_for(
    actor: Actor, *, division_code: str | None = None, status: str = "", provider_id: int | None = None
) -> QuerySet[CareOrder]:
    if not _can_view(actor):
        return CareOrder.objects.none()
    qs = CareOrder.objects.within(actor, division_code).select_related("person", "provider")
    if status:
        qs = qs.filter(status=status)
    if provider_id:
        qs = qs.filter(provider_id=provider_id)
    return qs.order_by("-requested_on", "-id")


def order_history(actor: Actor, order: CareOrder) -> QuerySet[CaseEvent]:
    """The order's steps (the case kit's history), oldest first; the order itself was read
    through access_order_by_id."""
    return CaseEvent.objects.visible_to(actor).for_case(ORDER_WORKFLOW, order).order_by("id")


def subsidy_ledger(actor: Actor, *, person_id: int | None = None, month: str = "", division_code: str | None = None) -> list[dict]:
    """Per person per month: orders, amount, subsidy and own payment of completed/settled orders."""
    qs = list_orders_for(actor, division_code=division_code).filter(
        status__in=[OrderStatus.COMPLETED, OrderStatus.SETTLED]
    )
    if person_id:
        qs = qs.filter(person_id=person_id)
    if month:
        qs = qs.filter(service_month=month)
    rows = (
        qs.values("person_id", "person__name", "person__id_number_masked", "division_code", "service_month")
        .annotate(n=Count("id"), total=Sum("price_fen"), subsidy=Sum("subsidy_fen"), own=Sum("self_pay_fen"))
        .order_by("-service_month", "division_code", "person_id")
    )
    return list(rows)


def list_settlements_for(actor: Actor) -> QuerySet[ProviderSettlement]:
    if not _can_view(actor):
        return ProviderSettlement.objects.none()
    return ProviderSettlement.objects.visible_to(actor).select_related("provider").order_by("-month", "id")


def list_visit_targets_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[VisitTarget]:
    if not _can_view(actor):
        return VisitTarget.objects.none()
    return VisitTarget.objects.within(actor, division_code).filter(is_active=True).select_related("person", "responsible_user")


def visit_intervals(on: dt.date) -> dict[str, int]:
    return {level: param(f"visit.interval.{level}", on).value for level in RiskLevel.values}


def due_date(target: VisitTarget, intervals: dict[str, int]) -> dt.date:
    base = target.last_visited_on or target.registered_on
    return base + dt.timedelta(days=intervals[target.risk_level])


def overdue_visits(actor: Actor, *, division_code: str | None = None, responsible_user_id: int | None = None, today: dt.date | None = None) -> list[dict]:
    """Targets whose next visit (last visit, or registration, + the interval for the risk
    level) is before today; the most overdue first. For the worker ("mine") and the town."""
    today = today or clock.today()
    intervals = visit_intervals(today)
    qs = list_visit_targets_for(actor, division_code=division_code)
    if responsible_user_id:
        qs = qs.filter(responsible_user_id=responsible_user_id)
    cond = Q()
    for level, days in intervals.items():
        limit = today - dt.timedelta(days=days)
        cond |= Q(risk_level=level) & (
            Q(last_visited_on__lt=limit) | Q(last_visited_on__isnull=True, registered_on__lt=limit)
        )
    out = []
    for t in qs.filter(cond):
        due = due_date(t, intervals)
        out.append({"target": t, "due_on": due, "days_overdue": (today - due).days})
    out.sort(key=lambda r: (-r["days_overdue"], r["target"].pk))
    return out


def list_visit_records_for(actor: Actor, *, target: VisitTarget | None = None) -> QuerySet[VisitRecord]:
    if not _can_view(actor):
        return VisitRecord.objects.none()
    qs = VisitRecord.objects.visible_to(actor)
    if target is not None:
        qs = qs.filter(target=target)
    return qs.order_by("-visited_on", "-id")


def list_family_beds_for(actor: Actor, *, division_code: str | None = None, active_only: bool = True) -> QuerySet[FamilyCareBed]:
    if not _can_view(actor):
        return FamilyCareBed.objects.none()
    qs = FamilyCareBed.objects.within(actor, division_code).select_related("person", "provider")
    if active_only:
        qs = qs.filter(status=FamilyBedStatus.ACTIVE)
    return qs.order_by("-registered_on", "-id")


def list_family_bed_services_for(actor: Actor, *, bed: FamilyCareBed) -> QuerySet[FamilyBedService]:
    if not _can_view(actor):
        return FamilyBedService.objects.none()
    return FamilyBedService.objects.visible_to(actor).filter(bed=bed).order_by("-served_on", "-id")


def elders_for(actor: Actor, *, min_age: int, division_code: str | None = None, today: dt.date | None = None) -> QuerySet[Person]:
    today = today or clock.today()
    if not _can_view(actor):
        return Person.objects.none()
    return Person.objects.within(actor, division_code).filter(
        is_deceased=False, birth_date__lte=born_by(today, min_age)
    )


def assessment_coverage(actor: Actor, *, division_code: str | None = None, today: dt.date | None = None) -> dict:
    """People aged 80+ (a parameter) with an assessment, by town: ever assessed, and with an
    assessment not yet due again (current). Plan target: 100%."""
    today = today or clock.today()
    min_age = param("assessment.coverage_min_age", today).value
    people = elders_for(actor, min_age=min_age, division_code=division_code, today=today).annotate(
        town=Substr("division_code", 1, 9),
        assessed=Exists(Assessment.objects.filter(person=OuterRef("pk"))),
        current=Exists(Assessment.objects.filter(person=OuterRef("pk"), next_due_on__gte=today)),
    )
    rows = (
        people.values("town")
        .annotate(n=Count("id"), assessed_n=Count("id", filter=Q(assessed=True)), current_n=Count("id", filter=Q(current=True)))
        .order_by("town")
    )
    directory = get_directory()
    towns = []
    for r in rows:
        towns.append(
            {
                "code": r["town"],
                "name": directory.name(r["town"]),
                "people": r["n"],
                "assessed": r["assessed_n"],
                "current": r["current_n"],
                "share": _share(r["assessed_n"], r["n"]),
            }
        )
    total = sum(t["people"] for t in towns)
    assessed = sum(t["assessed"] for t in towns)
    current = sum(t["current"] for t in towns)
    return {
        "min_age": min_age,
        "people": total,
        "assessed": assessed,
        "current": current,
        "share": _share(assessed, total),
        "towns": towns,
    }


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def village_points(actor: Actor, *, division_code: str | None = None) -> dict[str, tuple[float, float]]:
    """The map point (lon, lat) of each village in the actor's scope — the points the service-
    circle map uses (synthetic for the demo district), for other lines' maps (children's
    protection network)."""
    rows = VillageLocation.objects.within(actor, division_code).values_list("division_code", "lon", "lat")
    return {code: (lon, lat) for code, lon, lat in rows}


def district_outline_geojson() -> dict:
    """The district outline (GeoJSON) every map of the platform draws."""
    return district_outline().geojson()
