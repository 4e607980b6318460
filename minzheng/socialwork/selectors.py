"""List reads of the social-work line, scoped to the actor's divisions."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q, QuerySet, Sum

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.core import clock
from minzheng.divisions.directory import get_directory
from minzheng.registry.permissions import RegistryPerm
from minzheng.socialwork.enums import PaymentStatus, ProjectStatus, StationLevel
from minzheng.socialwork.models import (
    Agency,
    Payment,
    Professional,
    Project,
    ServiceRecord,
    Station,
)
from minzheng.socialwork.workflow import PROJECT_WORKFLOW
from minzheng.sociorgs.selectors import is_listed


def _ok(actor: Actor) -> bool:
    return actor.has(RegistryPerm.VIEW_REGISTRY)


def list_professionals_for(actor: Actor, *, division_code: str | None = None, active: bool = True) -> QuerySet[Professional]:
    if not _ok(actor):
        return Professional.objects.none()
    qs = Professional.objects.within(actor, division_code).select_related("person", "agency", "station")
    if active:
        qs = qs.filter(left_on__isnull=True)
    return qs.order_by("division_code", "person__name", "id")


def list_stations_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[Station]:
    if not _ok(actor):
        return Station.objects.none()
    return Station.objects.within(actor, division_code).select_related("agency").order_by("division_code", "id")


def stations_serving(division_code: str) -> QuerySet[Station]:
    """The network's stations that serve a village: the district centre, the town's 社工站 and the
    village's own 社工室 — public places, read without the actor's scope so a village worker can
    offer a need to the town's station."""
    codes = [division_code[:n] for n in (6, 9, 12) if len(division_code) >= n]
    return Station.objects.filter(division_code__in=codes).order_by("division_code", "id")


def list_agencies_for(actor: Actor) -> QuerySet[Agency]:
    if not _ok(actor):
        return Agency.objects.none()
    return Agency.objects.visible_to(actor).select_related("organisation").order_by("name")


def registration_status(agency: Agency) -> str:
    """The agency's standing in the social-organisation register, in words: 未关联社会组织登记, or
    the organisation's status (正常 / 已注销 / 已撤销登记) and the credit list it is on."""
    org = agency.organisation
    if org is None:
        return "未关联社会组织登记"
    listed = is_listed(org.pk)
    return org.get_status_display() + (f"（{listed}）" if listed else "")


def agency_rows(actor: Actor) -> list[dict]:
    return [{"agency": a, "status": registration_status(a)} for a in list_agencies_for(actor)]


def agencies_to_choose(actor: Actor) -> QuerySet[Agency]:
    """Agencies a buyer may contract or a station may be run by: any live agency of the district
    (agencies are public bodies; a town buys from agencies registered anywhere)."""
    if not _ok(actor):
        return Agency.objects.none()
    return Agency.objects.filter(deregistered_on__isnull=True).order_by("name")


def list_projects_for(actor: Actor, *, division_code: str | None = None, status: str = "") -> QuerySet[Project]:
    if not _ok(actor):
        return Project.objects.none()
    qs = Project.objects.within(actor, division_code).select_related("agency")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def project_records(actor: Actor, project: Project) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.visible_to(actor).filter(project=project).order_by("-held_on", "-id")


def project_payments(actor: Actor, project: Project) -> QuerySet[Payment]:
    return Payment.objects.visible_to(actor).filter(project=project).select_related("proposed_by", "approved_by").order_by("id")


def project_history(actor: Actor, project: Project):
    return CaseEvent.objects.visible_to(actor).for_case(PROJECT_WORKFLOW, project).order_by("id")


def pending_payments_for(actor: Actor) -> QuerySet[Payment]:
    if not _ok(actor):
        return Payment.objects.none()
    return Payment.objects.visible_to(actor).filter(status=PaymentStatus.PROPOSED).select_related("project").order_by("id")


def network_by_town(actor: Actor) -> list[dict]:
    """The three-level network, one row a town the actor covers: its 社工站 (name, opened),
    the village 社工室 count of its villages, staff (active professionals at its stations)."""
    directory = get_directory()
    stations = list(list_stations_for(actor))
    staff = defaultdict(int)
    for station_id in list_professionals_for(actor).exclude(station__isnull=True).values_list("station_id", flat=True):
        staff[station_id] += 1
    rows = []
    for town in directory.towns():
        if not any(town.code.startswith(p) or p.startswith(town.code) for p in actor.scope_prefixes):
            continue
        own = [s for s in stations if s.division_code[:9] == town.code]
        town_station = next((s for s in own if s.level == StationLevel.TOWN), None)
        villages = [s for s in own if s.level == StationLevel.VILLAGE]
        rows.append({
            "code": town.code, "name": town.name, "station": town_station,
            "villages_total": len(directory.villages(town.code)), "village_rooms": len(villages),
            "staff": sum(staff[s.pk] for s in own),
        })  # fmt: skip
    return rows


def report_by_town(actor: Actor) -> list[dict]:
    """The by-town report: professionals (certified), stations, projects (budget, approved
    payments), service records (people served)."""
    today = clock.today()
    rows: dict[str, dict] = {}
    for town in get_directory().towns():
        if actor.covers(town.code) or any(p.startswith(town.code) for p in actor.scope_prefixes):
            rows[town.code] = {"code": town.code, "name": town.name, "professionals": 0, "certified": 0, "stations": 0,
                               "projects": 0, "budget_fen": 0, "paid_fen": 0, "people_served": 0}  # fmt: skip

    def row(code):
        return rows.get(code[:9])

    for code, level in list_professionals_for(actor).filter(joined_on__lte=today).values_list("division_code", "cert_level"):
        if r := row(code):
            r["professionals"] += 1
            r["certified"] += level != "none"
    for code in list_stations_for(actor).values_list("division_code", flat=True):
        if r := row(code):
            r["stations"] += 1
    for p in list_projects_for(actor).annotate(
        paid=Sum("payments__amount_fen", filter=Q(payments__status=PaymentStatus.APPROVED))
    ).values("division_code", "budget_fen", "paid"):
        if r := row(p["division_code"]):
            r["projects"] += 1
            r["budget_fen"] += p["budget_fen"]
            r["paid_fen"] += p["paid"] or 0
    for code, n in ServiceRecord.objects.visible_to(actor).values_list("division_code", "people_served"):
        if r := row(code):
            r["people_served"] += n
    return list(rows.values())


OPEN_PROJECT_STATES = (ProjectStatus.TENDER, ProjectStatus.CONTRACTED, ProjectStatus.IN_SERVICE, ProjectStatus.MIDTERM)
