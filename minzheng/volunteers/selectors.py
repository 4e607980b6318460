"""List reads of the volunteer line, scoped to the actor's divisions."""

from __future__ import annotations

from django.db.models import Count, QuerySet, Sum

from minzheng.accounts.actor import Actor
from minzheng.divisions.directory import get_directory
from minzheng.registry.permissions import RegistryPerm
from minzheng.socialwork.selectors import stations_serving
from minzheng.volunteers.enums import OPEN_REQUEST_STATES
from minzheng.volunteers.models import (
    Activity,
    Organisation,
    ServiceHours,
    ServiceRequest,
    Station,
    Team,
    Volunteer,
)


def _ok(actor: Actor) -> bool:
    return actor.has(RegistryPerm.VIEW_REGISTRY)


def list_volunteers_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[Volunteer]:
    if not _ok(actor):
        return Volunteer.objects.none()
    return (Volunteer.objects.within(actor, division_code).filter(left_on__isnull=True)
            .select_related("person", "organisation", "team").order_by("division_code", "person__name", "id"))  # fmt: skip


def list_organisations_for(actor: Actor) -> QuerySet[Organisation]:
    if not _ok(actor):
        return Organisation.objects.none()
    return Organisation.objects.visible_to(actor).annotate(n=Count("volunteers")).order_by("name")


def organisations_to_choose(actor: Actor) -> QuerySet[Organisation]:
    """Organisations serving the actor's divisions: their own and the district's."""
    if not _ok(actor):
        return Organisation.objects.none()
    codes = {p[:n] for p in actor.scope_prefixes for n in (6, 9) if len(p) >= n}
    return Organisation.objects.filter(division_code__in=codes, dissolved_on__isnull=True).order_by("name")


def offer_parties(actor: Actor, req: ServiceRequest) -> dict:
    """Whom a need may be offered to (``OfferForm``'s choices): the volunteer station of the
    person's village, volunteer organisations of its town or the district, and the social-work
    stations serving the village (district centre, town 社工站, village 社工室)."""
    codes = [req.division_code[:n] for n in (6, 9) if len(req.division_code) >= n]
    return {
        "stations": list_stations_for(actor, division_code=req.division_code),
        "organisations": organisations_to_choose(actor).filter(division_code__in=codes),
        "social_work_stations": stations_serving(req.division_code),
    }


def list_teams_for(actor: Actor) -> QuerySet[Team]:
    if not _ok(actor):
        return Team.objects.none()
    return Team.objects.visible_to(actor).select_related("organisation").order_by("name")


def list_stations_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[Station]:
    if not _ok(actor):
        return Station.objects.none()
    return Station.objects.within(actor, division_code).filter(closed_on__isnull=True).select_related("facility").order_by("division_code")


def list_activities_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[Activity]:
    if not _ok(actor):
        return Activity.objects.none()
    return Activity.objects.within(actor, division_code).annotate(signed=Count("hours")).order_by("-held_on", "-id")


def activity_hours(actor: Actor, activity: Activity) -> QuerySet[ServiceHours]:
    return ServiceHours.objects.visible_to(actor).filter(activity=activity).select_related("volunteer__person").order_by("id")


def volunteer_hours(volunteer: Volunteer) -> QuerySet[ServiceHours]:
    """The hours of a volunteer the caller has already read through access (any activity)."""
    return ServiceHours.objects.filter(volunteer=volunteer).select_related("activity").order_by("activity__held_on", "id")


def total_hours_of(volunteer: Volunteer):
    return ServiceHours.objects.filter(volunteer=volunteer).aggregate(total=Sum("hours"))["total"]


def open_requests_for(actor: Actor) -> QuerySet[ServiceRequest]:
    """The workbench's list: requests not yet answered."""
    if not _ok(actor):
        return ServiceRequest.objects.none()
    return (ServiceRequest.objects.visible_to(actor).filter(status__in=OPEN_REQUEST_STATES)
            .select_related("person", "station", "organisation").order_by("raised_on", "id"))  # fmt: skip


def requests_of(actor: Actor, person) -> QuerySet[ServiceRequest]:
    return ServiceRequest.objects.visible_to(actor).filter(person=person).order_by("-raised_on", "-id")


def volunteer_of(actor: Actor, person) -> Volunteer | None:
    return Volunteer.objects.visible_to(actor).filter(person=person, left_on__isnull=True).first()


def report_by_town(actor: Actor) -> list[dict]:
    """By town: registered volunteers, stations (in a community facility), activities, hours."""
    rows: dict[str, dict] = {}
    for town in get_directory().towns():
        if actor.covers(town.code) or any(p.startswith(town.code) for p in actor.scope_prefixes):
            rows[town.code] = {"code": town.code, "name": town.name, "volunteers": 0, "stations": 0, "in_facility": 0,
                               "activities": 0, "hours": 0}  # fmt: skip
    for code in list_volunteers_for(actor).values_list("division_code", flat=True):
        if r := rows.get(code[:9]):
            r["volunteers"] += 1
    for code, facility_id in list_stations_for(actor).values_list("division_code", "facility_id"):
        if r := rows.get(code[:9]):
            r["stations"] += 1
            r["in_facility"] += facility_id is not None
    for code in Activity.objects.visible_to(actor).values_list("division_code", flat=True):
        if r := rows.get(code[:9]):
            r["activities"] += 1
    for code, hours in ServiceHours.objects.visible_to(actor).values_list("division_code", "hours"):
        if r := rows.get(code[:9]):
            r["hours"] += hours
    return list(rows.values())


def registration_of(person) -> Volunteer | None:
    """A person's active registration, for the person themselves (the citizens' site)."""
    return Volunteer.objects.filter(person=person, left_on__isnull=True).select_related("organisation", "team").first()
