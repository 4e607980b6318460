"""Every list read of the place-name and boundary line, within the actor's divisions."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.communities.selectors import facility_points_for
from minzheng.placenames.enums import NameStatus, NamingStatus
from minzheng.placenames.models import BoundaryLine, DivisionChange, Inspection, Marker, NamingCase, NamingDocument, PlaceName
from minzheng.placenames.workflow import CHANGE_WORKFLOW, NAMING_WORKFLOW
from minzheng.registry.permissions import RegistryPerm


def _visible(model, actor: Actor, division_code: str | None = None) -> QuerySet:
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return model.objects.none()
    return model.objects.within(actor, division_code)


def list_places_for(actor: Actor, *, division_code: str | None = None, category: str = "", q: str = "",
                    status: str = "", heritage: bool = False) -> QuerySet[PlaceName]:
    qs = _visible(PlaceName, actor, division_code)
    if category:
        qs = qs.filter(category=category)
    if q:
        qs = qs.filter(name__contains=q)
    if status:
        qs = qs.filter(status=status)
    if heritage:
        qs = qs.filter(heritage=True)
    return qs


def list_cases_for(actor: Actor, *, status: str = "") -> QuerySet[NamingCase]:
    qs = _visible(NamingCase, actor)
    if status == "open":
        qs = qs.exclude(status__in=[NamingStatus.ANNOUNCED, NamingStatus.REFUSED])
    elif status:
        qs = qs.filter(status=status)
    return qs


def cases_of_place(actor: Actor, place) -> QuerySet[NamingCase]:
    """The renaming applications of one place (the caller read the place through access)."""
    return list_cases_for(actor).filter(place=place).order_by("-applied_on", "-id")


def change_history(actor: Actor, change: DivisionChange) -> QuerySet[CaseEvent]:
    """The steps of one division change (the caller read it through access)."""
    return CaseEvent.objects.within(actor, change.division_code).for_case(CHANGE_WORKFLOW, change)


def case_documents(case: NamingCase) -> QuerySet[NamingDocument]:
    return case.documents.all()


def case_history(actor: Actor, case: NamingCase) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.within(actor, case.division_code).for_case(NAMING_WORKFLOW, case)


def list_lines_for(actor: Actor) -> QuerySet[BoundaryLine]:
    return _visible(BoundaryLine, actor).annotate(marker_count=Count("markers"))


def list_markers_for(actor: Actor, *, line_id: int | None = None) -> QuerySet[Marker]:
    qs = _visible(Marker, actor).select_related("line")
    return qs.filter(line_id=line_id) if line_id else qs


def list_inspections_for(actor: Actor, *, line_id: int | None = None) -> QuerySet[Inspection]:
    qs = _visible(Inspection, actor).select_related("line")
    return qs.filter(line_id=line_id) if line_id else qs


def list_changes_for(actor: Actor) -> QuerySet[DivisionChange]:
    return _visible(DivisionChange, actor)


def counts_by_town(actor: Actor) -> dict[str, dict[str, int]]:
    """{town code: {category: standard names}}."""
    out: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for code, category, n in list_places_for(actor, status=NameStatus.STANDARD).values_list("division_code", "category").annotate(n=Count("id")).order_by():
        out[code[:9]][category] += n
    return {t: dict(c) for t, c in out.items()}


def map_payload(actor: Actor) -> dict:
    """Points and lines of the register, the boundary lines, the markers and the community
    service facilities (communities' register), for the map (ECharts, the district's real
    outline added by the view)."""
    points, lines = [], []
    for name, category, geom in list_places_for(actor, status=NameStatus.STANDARD).exclude(geometry__isnull=True).values_list("name", "category", "geometry")[:5000]:
        if geom.get("type") == "Point":
            points.append({"name": name, "category": category, "value": geom["coordinates"]})
        elif geom.get("type") == "LineString":
            lines.append({"name": name, "category": category, "coords": geom["coordinates"]})
    for name, geom in list_lines_for(actor).exclude(geometry__isnull=True).values_list("name", "geometry"):
        if geom.get("type") == "LineString":
            lines.append({"name": name, "category": "boundary", "coords": geom["coordinates"]})
    markers = [{"name": f"{line} {number}", "condition": cond, "value": [float(lon), float(lat)]}
               for line, number, lon, lat, cond in list_markers_for(actor).values_list("line__name", "number", "lon", "lat", "condition")]  # fmt: skip
    return {"points": points, "lines": lines, "markers": markers, "facilities": facility_points_for(actor)}
