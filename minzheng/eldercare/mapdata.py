"""Data for the service-circle map (ECharts): outline, facilities in scope, villages coloured
by coverage. Passed to the page with json_script; the page script is static (CSP)."""

from __future__ import annotations

import datetime as dt

from minzheng.accounts.actor import Actor
from minzheng.core.snapshots import snapshot_in_scope
from minzheng.divisions.directory import get_directory
from minzheng.eldercare.dashboard import district_and_towns
from minzheng.eldercare.coverage import CoverageResult, coverage_for
from minzheng.eldercare.enums import FacilityKind, FacilityStatus
from minzheng.eldercare.geometry import district_outline
from minzheng.eldercare.selectors import list_facilities_for


def map_payload(actor: Actor, *, division_code: str | None = None) -> tuple[dict, CoverageResult]:
    coverage = coverage_for(actor, division_code=division_code)
    directory = get_directory()
    facilities = [
        {"name": name, "kind": kind, "kind_label": FacilityKind(kind).label, "value": [lon, lat, beds], "id": pk}
        for pk, name, kind, lon, lat, beds in list_facilities_for(actor, division_code=division_code)
        .filter(status=FacilityStatus.OPERATING)
        .values_list("id", "name", "kind", "lon", "lat", "beds_total")
    ]
    villages = [
        {
            "name": directory.name(r["division_code"]),
            "code": r["division_code"],
            "covered": bool(r["covered"]),
            "value": [r["lon"], r["lat"], None if r["distance_m"] is None else round(r["distance_m"])],
        }
        for r in coverage.villages.select("division_code", "lon", "lat", "covered", "distance_m").to_dicts()
    ]
    payload = {
        "outline": district_outline().geojson(),
        "facilities": facilities,
        "villages": villages,
        "radius_m": coverage.settings.radius_m,
        "kinds": {k.value: k.label for k in FacilityKind},
    }
    return payload, coverage


MAP_SNAPSHOT = "eldercare.map"


def map_figures(actor: Actor, *, division_code: str | None = None) -> dict:
    """What the map page shows but the outline, as JSON (what the snapshot stores)."""
    payload, coverage = map_payload(actor, division_code=division_code)
    del payload["outline"]
    return {
        "payload": payload,
        "coverage": {
            "village_share": coverage.village_share, "villages_covered": coverage.villages_covered, "villages_total": coverage.villages_total,
            "people_share": coverage.people_share, "people_covered": coverage.people_covered, "people_total": coverage.people_total,
            "settings": {"radius_m": coverage.settings.radius_m, "walking_minutes": coverage.settings.walking_minutes, "provisional": coverage.settings.provisional},
        },
        "uncovered": coverage.uncovered_villages(),
    }  # fmt: skip


def map_page(actor: Actor, *, division_code: str | None = None) -> dict:
    """The district's and a town's map from the snapshot (the service circle of thousands of
    elders); a village's counted now."""
    stored = snapshot_in_scope(MAP_SNAPSHOT, actor, division_code)
    figures = stored.data if stored is not None else map_figures(actor, division_code=division_code)
    return {**figures, "payload": {**figures["payload"], "outline": district_outline().geojson()}, "stored": stored}


def compute_map_snapshot(now: dt.datetime) -> dict[str, dict]:
    system = Actor.system("一刻钟服务圈统计")
    return {code: map_figures(system, division_code=code) for code in district_and_towns()}
