"""Indicators 16–19 of the plan (专栏1), computed from the platform's own rows.

Definitions (operating facilities only; under construction and closed are not counted):

16 养老服务床位总量 = beds of every operating facility that has beds: institutions
   (养老机构, 特困供养设施, 集中照护中心) plus the beds of community facilities (街道/乡镇养老服务
   中心 and any station or point with beds).
17 养老机构护理型床位占比 = nursing-type beds ÷ beds, over operating institutions only.
18 "一刻钟"居家养老服务圈覆盖率 = covered villages and communities ÷ all villages and
   communities (coverage.py).
19 城乡养老设施具备医养康养服务能力的比例 = operating facilities of every kind with an in-house
   clinic, a medical agreement or rehabilitation capability ÷ all operating facilities.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db.models import Count, Q, Sum
from django.db.models.functions import Substr

from minzheng.accounts.actor import Actor
from minzheng.core.indicators import register_indicator
from minzheng.divisions.directory import get_directory
from minzheng.eldercare import coverage
from minzheng.eldercare.coverage import coverage_for
from minzheng.eldercare.enums import INSTITUTION_KINDS, FacilityStatus, MedicalCapability
from minzheng.eldercare.models import Facility
from minzheng.eldercare.selectors import assessment_coverage
from minzheng.registry.permissions import RegistryPerm

# The codes this line declares in the indicator registry (read by plan monitoring).
PLAN_16_19 = "eldercare.plan_16_19"
SERVICE_CIRCLE_BY_TOWN = "eldercare.service_circle_by_town"
ASSESSMENT_COVERAGE_BY_TOWN = "eldercare.assessment_coverage_80_by_town"
FACILITY_COUNTS = "eldercare.facility_counts"

MEDICAL_OR_REHAB = ~Q(medical_capability=MedicalCapability.NONE) | Q(has_rehab=True)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _facilities(actor: Actor, division_code: str | None):
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return Facility.objects.none()
    return Facility.objects.within(actor, division_code).filter(status=FacilityStatus.OPERATING)


def facility_aggregates(qs) -> dict:
    inst = Q(kind__in=INSTITUTION_KINDS)
    agg = qs.aggregate(
        beds_all=Sum("beds_total", default=0),
        beds_inst=Sum("beds_total", filter=inst, default=0),
        nursing_inst=Sum("beds_nursing", filter=inst, default=0),
        facilities=Count("id"),
        facilities_medical=Count("id", filter=MEDICAL_OR_REHAB),
        institutions=Count("id", filter=inst),
        occupied=Sum("occupied_beds", filter=inst, default=0),
    )
    return agg


def compute_indicators(
    actor: Actor | None, *, division_code: str | None = None, on: dt.date | None = None, with_coverage: bool = True
) -> dict:
    """Indicators 16–19 for the actor's scope (None: the whole district, as the system)."""
    actor = actor or Actor.system("规划监测：养老服务指标16–19")
    agg = facility_aggregates(_facilities(actor, division_code))
    result = {
        "16": {
            "name": "养老服务床位总量",
            "unit": "张",
            "value": agg["beds_all"],
            "institution_beds": agg["beds_inst"],
            "community_beds": agg["beds_all"] - agg["beds_inst"],
            "definition": "运营中的养老机构（含特困供养设施、集中照护中心）床位与其他有床位的运营设施床位之和",
        },
        "17": {
            "name": "养老机构护理型床位占比",
            "unit": "%",
            "value": _pct(agg["nursing_inst"], agg["beds_inst"]),
            "numerator": agg["nursing_inst"],
            "denominator": agg["beds_inst"],
            "definition": "运营中养老机构护理型床位 ÷ 运营中养老机构床位",
        },
        "19": {
            "name": "城乡养老设施具备医养康养服务能力的比例",
            "unit": "%",
            "value": _pct(agg["facilities_medical"], agg["facilities"]),
            "numerator": agg["facilities_medical"],
            "denominator": agg["facilities"],
            "definition": "内设医疗机构、与医疗机构签约或具备康复服务能力的运营设施 ÷ 全部运营设施",
        },
    }
    if with_coverage:
        cov = coverage_for(actor, division_code=division_code, on=on)
        result["18"] = {
            "name": "“一刻钟”居家养老服务圈覆盖率",
            "unit": "%",
            "value": cov.village_share,
            "numerator": cov.villages_covered,
            "denominator": cov.villages_total,
            "people_share": cov.people_share,
            "people_covered": cov.people_covered,
            "people_total": cov.people_total,
            "radius_m": cov.settings.radius_m,
            "provisional": cov.settings.provisional,
            "definition": "服务半径内有街道/乡镇养老服务中心、社区养老服务站或村养老服务点的村（社区）÷ 村（社区）总数",
        }
    return dict(sorted(result.items()))


def facility_figures_by_town(actor: Actor, division_code: str | None = None) -> dict[str, dict]:
    """Beds, nursing share and medical share per town, one grouped query."""
    rows = (
        _facilities(actor, division_code)
        .annotate(town=Substr("division_code", 1, 9))
        .values("town")
        .annotate(
            beds_all=Sum("beds_total", default=0),
            beds_inst=Sum("beds_total", filter=Q(kind__in=INSTITUTION_KINDS), default=0),
            nursing_inst=Sum("beds_nursing", filter=Q(kind__in=INSTITUTION_KINDS), default=0),
            facilities=Count("id"),
            facilities_medical=Count("id", filter=MEDICAL_OR_REHAB),
        )
        .order_by("town")
    )
    directory = get_directory()
    out = {}
    for r in rows:
        out[r["town"]] = {
            "name": directory.name(r["town"]),
            "beds": r["beds_all"],
            "nursing_share": _pct(r["nursing_inst"], r["beds_inst"]),
            "facilities": r["facilities"],
            "medical_share": _pct(r["facilities_medical"], r["facilities"]),
        }
    return out


def service_circle_by_town(on: dt.date) -> dict[str, tuple[int, int]]:
    """{town code: (villages covered, villages)} of the 15-minute circle on a date.

    Indicator 18 counts villages, not people, so the pure computation runs on the village and
    facility frames with no people: the same village result as ``coverage_for`` without reading
    the ~232,000 people aged 60+ (seconds at full scale)."""
    actor = Actor.system("规划监测：一刻钟服务圈")
    nobody = pl.DataFrame(
        {"id": [], "division_code": [], "lon": [], "lat": []},
        schema={"id": pl.Int64, "division_code": pl.String, "lon": pl.Float64, "lat": pl.Float64},
    )
    result = coverage.compute_coverage(
        coverage.villages_frame(actor), coverage.circle_facilities_frame(), nobody, coverage.CircleSettings.on(on)
    )
    return {t["code"]: (int(t["villages_covered"]), int(t["villages"])) for t in result.by_town}


def assessment_coverage_by_town(on: dt.date) -> dict[str, tuple[int, int]]:
    """{town code: (people aged 80+ assessed, people aged 80+)} on a date."""
    data = assessment_coverage(Actor.system("规划监测：老年人能力评估覆盖率"), today=on)
    return {t["code"]: (int(t["assessed"]), int(t["people"])) for t in data["towns"]}


def facility_counts() -> list[dict]:
    """Operating facilities counted by town, kind and star rating; ``institution`` says whether
    the kind is an institution (养老机构, 特困供养设施, 集中照护中心)."""
    rows = (
        Facility.objects.visible_to(Actor.system("规划监测：养老服务设施"))
        .filter(status=FacilityStatus.OPERATING)
        .annotate(town=Substr("division_code", 1, 9))
        .values("town", "kind", "star_rating")
        .annotate(n=Count("id"))
        .order_by()
    )
    institutions = {str(k) for k in INSTITUTION_KINDS}
    return [{**r, "institution": r["kind"] in institutions} for r in rows]


def register_indicators() -> None:
    """Called from EldercareConfig.ready()."""
    register_indicator(PLAN_16_19, compute_indicators, label="养老服务主要指标（16–19）", supports_coverage=True)
    register_indicator(SERVICE_CIRCLE_BY_TOWN, service_circle_by_town, label="“一刻钟”居家养老服务圈（分镇街）", unit="村（社区）")
    register_indicator(ASSESSMENT_COVERAGE_BY_TOWN, assessment_coverage_by_town, label="80周岁以上老年人能力评估覆盖（分镇街）", unit="人")
    register_indicator(FACILITY_COUNTS, facility_counts, label="运营中养老服务设施（分镇街、类型、星级）", unit="个")
