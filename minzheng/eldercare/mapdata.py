"""Data for the service-circle map (ECharts): outline, facilities in scope, villages coloured
by coverage. Passed to the page with json_script; the page script is static (CSP)."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.divisions.directory import get_directory
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
