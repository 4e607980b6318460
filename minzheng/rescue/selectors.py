"""List reads of rescue management, and the figures other modules may read."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.core import clock
from minzheng.core.query_params import year_or_month_bounds
from minzheng.rescue.enums import PRESENT_STATUSES, Risk, Source
from minzheng.rescue.indicators import return_rate, settlement_rate
from minzheng.rescue.models import (
    Bed,
    BedAssignment,
    Campaign,
    HospitalStay,
    Patrol,
    RescueCase,
    ReturnFollowUp,
    Station,
    WanderingRisk,
)
from minzheng.rescue.permissions import RescuePerm
from minzheng.rescue.workflow import CASE_WORKFLOW


def list_stations_for(actor: Actor) -> QuerySet[Station]:
    if not actor.has(RescuePerm.STATION_WORK):
        return Station.objects.none()
    return Station.objects.visible_to(actor).order_by("pk")


def list_cases_for(actor: Actor, *, status: str = "", present: bool = False) -> QuerySet[RescueCase]:
    if not actor.has(RescuePerm.STATION_WORK):
        return RescueCase.objects.none()
    qs = RescueCase.objects.visible_to(actor).select_related("station")
    if status:
        qs = qs.filter(status=status)
    if present:
        qs = qs.filter(status__in=PRESENT_STATUSES)
    return qs


def overstaying(actor: Actor, *, today: dt.date | None = None) -> QuerySet[RescueCase]:
    """People in the station past their stay limit (the standard 10 days plus extensions)."""
    day = today or clock.today()
    return list_cases_for(actor, present=True).filter(stay_until__lt=day)


def beds_of(actor: Actor, station: Station) -> list[dict]:
    """Every bed of the station with its current occupant's case (or None)."""
    if not actor.has(RescuePerm.STATION_WORK):
        return []
    taken = {
        a.bed_id: a.case
        for a in BedAssignment.objects.visible_to(actor).filter(bed__station=station, end_on__isnull=True).select_related("case")
    }
    return [{"bed": b, "case": taken.get(b.pk)} for b in Bed.objects.visible_to(actor).filter(station=station)]


def free_beds(actor: Actor, station: Station) -> QuerySet[Bed]:
    return (
        Bed.objects.visible_to(actor)
        .filter(station=station, is_active=True)
        .exclude(pk__in=BedAssignment.objects.filter(end_on__isnull=True).values("bed_id"))
        .order_by("number")
    )


def current_bed(case: RescueCase) -> Bed | None:
    a = BedAssignment.objects.filter(case=case, end_on__isnull=True).select_related("bed").first()
    return a.bed if a else None


def case_history(actor: Actor, case: RescueCase) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.visible_to(actor).for_case(CASE_WORKFLOW, case).order_by("id")


def list_follow_ups_for(actor: Actor, *, open_only: bool = False) -> QuerySet[ReturnFollowUp]:
    if not actor.has(RescuePerm.FOLLOW_UP_RETURNEES):
        return ReturnFollowUp.objects.none()
    qs = ReturnFollowUp.objects.visible_to(actor).select_related("case", "person")
    return qs.filter(closed_on__isnull=True) if open_only else qs


def list_wandering_for(actor: Actor, *, current: bool = True) -> QuerySet[WanderingRisk]:
    if not actor.has(RescuePerm.FOLLOW_UP_RETURNEES):
        return WanderingRisk.objects.none()
    qs = WanderingRisk.objects.visible_to(actor).select_related("person")
    return qs.filter(ended_on__isnull=True) if current else qs


def list_campaigns_for(actor: Actor) -> QuerySet[Campaign]:
    if not actor.has(RescuePerm.STATION_WORK):
        return Campaign.objects.none()
    return Campaign.objects.visible_to(actor)


def list_patrols_for(actor: Actor) -> QuerySet[Patrol]:
    if not actor.has(RescuePerm.STATION_WORK):
        return Patrol.objects.none()
    return Patrol.objects.visible_to(actor).select_related("campaign")


def list_hospital_stays_for(actor: Actor, *, open_only: bool = False) -> QuerySet[HospitalStay]:
    """送医救治 of the station's people (station staff only), the longest in hospital first."""
    if not actor.has(RescuePerm.STATION_WORK):
        return HospitalStay.objects.none()
    qs = HospitalStay.objects.visible_to(actor).select_related("case")
    return qs.filter(returned_on__isnull=True).order_by("sent_on", "pk") if open_only else qs


def in_hospital_on(actor: Actor, day: dt.date) -> QuerySet[HospitalStay]:
    """The stays open at the end of ``day``: sent on or before it, not ended by it."""
    return list_hospital_stays_for(actor).filter(sent_on__lte=day).filter(Q(returned_on__isnull=True) | Q(returned_on__gt=day))


def hospital_days(stay: HospitalStay, on: dt.date) -> int:
    """Days in hospital on ``on``: from the sending day to the end (or ``on`` if earlier), the
    sending day not counted."""
    end = min(stay.returned_on, on) if stay.returned_on else on
    return (end - stay.sent_on).days


def rescue_records_of_person(actor: Actor, person) -> dict:
    """What the person page shows of rescue: the person's station cases (station staff), their
    返乡回访 and 防走失 entries (their village and town, and the district)."""
    return {
        "cases": list(list_cases_for(actor).filter(person=person).order_by("-arrived_at")),
        "follow_ups": list(list_follow_ups_for(actor).filter(person=person)),
        "wandering": list(list_wandering_for(actor, current=False).filter(person=person)),
    }


STAY_BANDS = ((0, 10, "10天以内"), (11, 30, "11至30天"), (31, 90, "31至90天"), (91, None, "90天以上"))


def stay_days_of(case: RescueCase, on: dt.date) -> int:
    """Days in the station: from the arrival day to the leaving day (or ``on``), the arrival day not counted."""
    end = case.left_on or on
    return (end - timezone.localtime(case.arrived_at).date()).days


def statistics(actor: Actor, period: str) -> dict:
    """The station's figures of a year ("2026") or a month ("2026-11") — counts only, no names:
    rescues (人次) by source and risk, identified, returned (indicator 12), left of their own
    will, long-stay and settled (the settlement rate), the stay-length bands of those who left
    in the period, and the long-stay people in the station today with their days of stay."""
    actor.require(RescuePerm.VIEW_RESCUE)
    start, end = year_or_month_bounds(period)
    visible = RescueCase.objects.visible_to(actor)
    arrived = [c for c in visible.filter(arrived_at__date__gte=start, arrived_at__date__lte=end)]
    left = list(visible.filter(left_on__gte=start, left_on__lte=end))
    today = clock.today()
    long_stay = sorted(
        (stay_days_of(c, today) for c in visible.filter(status__in=("long_stay", "settling"))), reverse=True
    )
    bands = []
    for low, high, label in STAY_BANDS:
        n = sum(1 for c in left if stay_days_of(c, today) >= low and (high is None or stay_days_of(c, today) <= high))
        bands.append({"label": label, "count": n})
    return {
        "period": period,
        "start": start,
        "end": end,
        "rescues": len(arrived),
        "by_source": [{"label": label, "count": sum(1 for c in arrived if c.source == value)} for value, label in Source.choices],
        "by_risk": [{"label": label, "count": sum(1 for c in arrived if value in c.risks)} for value, label in Risk.choices],
        "identified": visible.filter(identified_on__gte=start, identified_on__lte=end).count(),
        "returned": visible.filter(handed_over_on__gte=start, handed_over_on__lte=end).count(),
        "left_own_will": visible.filter(status="left", left_on__gte=start, left_on__lte=end).count(),
        "settled": visible.filter(settled_on__gte=start, settled_on__lte=end).count(),
        "return_rate": return_rate(period, actor),
        "settlement_rate": settlement_rate(period, actor),
        "stay_bands": bands,
        "long_stay_now": len(long_stay),
        "long_stay_days": long_stay,
    }
