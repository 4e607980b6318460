"""Every list read of the community-governance line, within the actor's divisions, and the
figures other modules may read (households per village from the registry's snapshot)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.communities.enums import ElectionStatus, FacilityStatus, SiteLevel
from minzheng.communities.models import (
    Candidate,
    Charter,
    CommitteeMember,
    Consultation,
    DemonstrationSite,
    Disclosure,
    Election,
    Matter,
    QualificationAnswer,
    ServiceFacility,
    Training,
    Worker,
)
from minzheng.communities.workflow import ELECTION_WORKFLOW
from minzheng.core import clock
from minzheng.core.models import Snapshot
from minzheng.divisions.directory import get_directory
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.statistics import SNAPSHOT as DIVISION_SNAPSHOT
from minzheng.registry.statistics import compute_division_snapshot

STANDARD_M2_PER_100 = Decimal(30)  # indicator 6: ≥30 m² per 100 households (专栏1; service-lines.md §10)
HUNDRED = Decimal(100)
TERM_WARNING_DAYS = 90  # terms ending within 90 days appear on the workbench (issue 19)


def _visible(model, actor: Actor, division_code: str | None = None) -> QuerySet:
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return model.objects.none()
    return model.objects.within(actor, division_code)


def list_facilities_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[ServiceFacility]:
    return _visible(ServiceFacility, actor, division_code)


def list_members_for(actor: Actor, *, division_code: str | None = None, current: bool = True) -> QuerySet[CommitteeMember]:
    qs = _visible(CommitteeMember, actor, division_code)
    return qs.filter(left_on__isnull=True) if current else qs


def terms_ending_for(actor: Actor, *, today: dt.date | None = None, days: int = TERM_WARNING_DAYS) -> QuerySet[CommitteeMember]:
    """Sitting members whose term ends within ``days`` (or has ended) and no election is certified."""
    day = today or clock.today()
    return list_members_for(actor).filter(term_end__lte=day + dt.timedelta(days=days)).order_by("term_end", "division_code", "id")


def list_elections_for(actor: Actor, *, division_code: str | None = None, status: str = "") -> QuerySet[Election]:
    qs = _visible(Election, actor, division_code)
    if status == "open":
        qs = qs.exclude(status__in=[ElectionStatus.CERTIFIED, ElectionStatus.CANCELLED])
    elif status:
        qs = qs.filter(status=status)
    return qs


def trainings_by_worker(actor: Actor, *, division_code: str) -> dict[int, list]:
    """{worker id: their trainings, latest first} for a village's workers."""
    out: dict[int, list] = defaultdict(list)
    for t in _visible(Training, actor, division_code).order_by("-held_on", "-id"):
        out[t.worker_id].append(t)
    return dict(out)


def election_candidates(election: Election) -> list[Candidate]:
    """The candidates with their answers (the caller read the election through access)."""
    return list(election.candidates.prefetch_related(Prefetch("answers", queryset=QualificationAnswer.objects.order_by("id"))))


def election_history(actor: Actor, election: Election) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.within(actor, election.division_code).for_case(ELECTION_WORKFLOW, election)


def list_disclosures_for(actor: Actor, *, division_code: str | None = None, year: int | None = None) -> QuerySet[Disclosure]:
    qs = _visible(Disclosure, actor, division_code)
    return qs.filter(year=year) if year else qs


def disclosure_quarters(actor: Actor, *, division_code: str, year: int) -> dict[int, int]:
    """{quarter: items published} of a village's year: 普通事项至少每季度公开一次."""
    counts = dict(list_disclosures_for(actor, division_code=division_code, year=year).values_list("quarter").annotate(n=Count("id")).order_by())
    return {q: counts.get(q, 0) for q in (1, 2, 3, 4)}


def list_consultations_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[Consultation]:
    return _visible(Consultation, actor, division_code)


def list_matters_for(actor: Actor, *, division_code: str | None = None, category: str = "") -> QuerySet[Matter]:
    qs = _visible(Matter, actor, division_code)
    return qs.filter(category=category) if category else qs


def list_charters_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[Charter]:
    return _visible(Charter, actor, division_code)


def list_workers_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[Worker]:
    return _visible(Worker, actor, division_code).filter(left_on__isnull=True)


def list_sites_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[DemonstrationSite]:
    return _visible(DemonstrationSite, actor, division_code)


# --- households and indicator 6 -------------------------------------------------------------------


def households_by_division(codes: list[str] | None = None) -> dict[str, int]:
    """{division code: households} from the registry's ``registry.division`` snapshot (one query);
    never stored yet: computed once in bulk by the registry's statistics module."""
    qs = Snapshot.objects.filter(kind=DIVISION_SNAPSHOT)
    if codes is not None:
        qs = qs.filter(division_code__in=codes)
    rows = {code: int(data.get("households", 0)) for code, data in qs.values_list("division_code", "data")}
    if not rows and not Snapshot.objects.filter(kind=DIVISION_SNAPSHOT).exists():
        computed = compute_division_snapshot(clock.now())
        rows = {code: int(d["households"]) for code, d in computed.items() if codes is None or code in codes}
    return rows


def facilities_in_use_on(day: dt.date) -> dict[int, str]:
    """{facility id: village code} of the district's facilities in use and opened on or before the
    day (an undated one counts): the denominator of indicator 9, read by the volunteer line."""
    qs = ServiceFacility.objects.filter(status=FacilityStatus.IN_USE).filter(Q(opened_on__isnull=True) | Q(opened_on__lte=day))
    return dict(qs.values_list("id", "division_code"))


def facilities_to_choose(actor: Actor, *, division_code: str | None = None) -> QuerySet[ServiceFacility]:
    """Facilities in use within the actor's divisions, for a form that places something in one."""
    return list_facilities_for(actor, division_code=division_code).filter(status=FacilityStatus.IN_USE).order_by("division_code", "name")


def facility_points_for(actor: Actor) -> list[dict]:
    """Facilities with a location, in the actor's divisions, for the district map: name, village,
    area and status."""
    directory = get_directory()
    rows = list_facilities_for(actor).exclude(lon__isnull=True).exclude(lat__isnull=True)
    return [{"name": f"{directory.name(code)} · {name}", "category": "facility", "status": status, "area": str(area),
             "value": [float(lon), float(lat)]}
            for name, code, area, status, lon, lat in rows.values_list("name", "division_code", "area_m2", "status", "lon", "lat")[:5000]]  # fmt: skip


def facility_area_by_village(actor: Actor | None = None) -> dict[str, Decimal]:
    """{village code: Σ area of facilities in use} (the whole district for the system)."""
    qs = ServiceFacility.objects.all() if actor is None else list_facilities_for(actor)
    rows = qs.filter(status=FacilityStatus.IN_USE).values_list("division_code").annotate(area=Sum("area_m2")).order_by()
    return {code: Decimal(area) for code, area in rows}


def per_hundred(area: Decimal, households: int) -> Decimal | None:
    return (area / Decimal(households) * HUNDRED).quantize(Decimal("0.1")) if households else None


def village_standard_rows(actor: Actor, *, division_code: str | None = None) -> list[dict]:
    """Every village with a facility in the actor's scope: area, households, m² per 100
    households, at standard or not (below first)."""
    areas = facility_area_by_village(actor)
    if division_code:
        areas = {c: a for c, a in areas.items() if c.startswith(division_code)}
    households = households_by_division(list(areas))
    directory = get_directory()
    rows = []
    for code, area in areas.items():
        n = households.get(code, 0)
        ratio = per_hundred(area, n)
        rows.append({"code": code, "name": directory.name(code), "town": directory.name(code[:9]), "area": area,
                     "households": n, "per_100": ratio, "at_standard": ratio is not None and ratio >= STANDARD_M2_PER_100})  # fmt: skip
    rows.sort(key=lambda r: (r["at_standard"], r["code"]))
    return rows


def site_counts(actor: Actor | None = None) -> dict[str, dict[str, int]]:
    """{level: {town code: sites}} of the demonstration sites."""
    qs = DemonstrationSite.objects.all() if actor is None else list_sites_for(actor)
    out: dict[str, dict[str, int]] = {lvl: defaultdict(int) for lvl in SiteLevel.values}
    for level, code in qs.values_list("level", "division_code"):
        out[level][code[:9]] += 1
    return {k: dict(v) for k, v in out.items()}


def workers_by_town(actor: Actor) -> dict[str, dict]:
    """{town code: {"workers", "certified", "trained"}} of the sitting community workers."""
    out: dict[str, dict] = defaultdict(lambda: {"workers": 0, "certified": 0, "trained": 0})
    for code, certified, trainings in list_workers_for(actor).annotate(t=Count("trainings")).values_list("division_code", "certified_social_worker", "t"):
        cell = out[code[:9]]
        cell["workers"] += 1
        cell["certified"] += int(certified)
        cell["trained"] += int(trainings > 0)
    return dict(out)
