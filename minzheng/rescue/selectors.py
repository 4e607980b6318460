"""List reads of rescue management, and the figures other modules may read."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.core import clock
from minzheng.rescue.enums import PRESENT_STATUSES
from minzheng.rescue.models import (
    Bed,
    BedAssignment,
    Campaign,
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
        .exclude(assignments__end_on__isnull=True)
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


def rescue_records_of_person(actor: Actor, person) -> dict:
    """What the person page shows of rescue: the person's station cases (station staff), their
    返乡回访 and 防走失 entries (their village and town, and the district)."""
    return {
        "cases": list(list_cases_for(actor).filter(person=person).order_by("-arrived_at")),
        "follow_ups": list(list_follow_ups_for(actor).filter(person=person)),
        "wandering": list(list_wandering_for(actor, current=False).filter(person=person)),
    }
