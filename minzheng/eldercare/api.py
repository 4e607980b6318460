"""/api/v1/eldercare/ — scored, scoped and audited exactly as the screens."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Router, Schema

from minzheng.core.api_errors import BodyIn
from minzheng.accounts.scoping import Division
from minzheng.accounts.permissions import Perm
from minzheng.core.errors import ValidationFailed
from minzheng.core.query_params import Offset, limit_param, window
from minzheng.eldercare import selectors
from minzheng.eldercare.access import access_facility_by_id
from minzheng.eldercare.enums import CapabilityLevel
from minzheng.eldercare.indicators import compute_indicators
from minzheng.eldercare.scoring import ITEMS, ScoringInputError, score

router = Router()


# The document states what scoring needs: all 26 items, each a whole number in its range (the
# code checks the same and names each missing or bad item in Chinese).
ITEMS_SCHEMA = {
    "type": "object",
    "properties": {
        i.code: {"type": "integer", "minimum": 0, "maximum": i.max_score, "description": i.label} for i in ITEMS
    },
    "required": [i.code for i in ITEMS],
    "additionalProperties": False,
}


class ScoreIn(BodyIn):
    items: dict[str, Any] = Field(json_schema_extra=ITEMS_SCHEMA)
    coma: bool = False
    dementia_or_mental_disorder: bool = False
    risk_events_30d: Annotated[int, Field(ge=0, le=1000, description="近30天照护风险事件次数")] = 0


class ScoreOut(Schema):
    total: int
    dimension_scores: dict[str, int]
    preliminary_level: str
    preliminary_level_label: str
    final_level: str
    final_level_label: str
    adjustments: list[str]


@router.post("/assessments/score", response=ScoreOut, summary="老年人能力评估计分（GB/T 42195-2022）")
def score_assessment(request, data: ScoreIn):
    request.actor.require(Perm.VIEW_REGISTRY)
    # JSON has one number type: 3.0 is the integer 3 (as JSON Schema's "integer" says).
    items = {k: int(v) if isinstance(v, float) and v.is_integer() else v for k, v in data.items.items()}
    try:
        result = score(
            items, coma=data.coma, dementia_or_mental_disorder=data.dementia_or_mental_disorder,
            risk_events_30d=data.risk_events_30d,
        )
    except ScoringInputError as e:
        raise ValidationFailed(e.errors) from None
    return {
        "total": result.total,
        "dimension_scores": result.dimension_scores,
        "preliminary_level": result.preliminary_level,
        "preliminary_level_label": CapabilityLevel(result.preliminary_level).label,
        "final_level": result.final_level,
        "final_level_label": CapabilityLevel(result.final_level).label,
        "adjustments": list(result.adjustments),
    }


class FacilityOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    ownership: str
    division_code: str
    address: str
    lon: float
    lat: float
    beds_total: int
    beds_nursing: int
    occupied_beds: int
    star_rating: int
    medical_capability: str
    status: str
    key_project_ref: str


def facility_out(f) -> dict:
    return {
        "id": f.pk, "name": f.name, "kind": f.kind, "kind_label": f.get_kind_display(), "ownership": f.ownership,
        "division_code": f.division_code, "address": f.address, "lon": f.lon, "lat": f.lat,
        "beds_total": f.beds_total, "beds_nursing": f.beds_nursing, "occupied_beds": f.occupied_beds,
        "star_rating": f.star_rating, "medical_capability": f.medical_capability, "status": f.status,
        "key_project_ref": f.key_project_ref,
    }  # fmt: skip


class FacilityListOut(Schema):
    count: int
    results: list[FacilityOut]


@router.get("/facilities", response=FacilityListOut, summary="养老服务设施列表（本辖区）")
def list_facilities(request, division: Division = "", kind: str = "", status: str = "", limit: limit_param(500) = 100, offset: Offset = 0):
    qs = selectors.list_facilities_for(request.actor, division_code=division or None, kind=kind, status=status)
    rows = list(qs[window(offset, limit, max_limit=500)])
    return {"count": qs.count(), "results": [facility_out(f) for f in rows]}


@router.get("/facilities/{facility_id}", response=FacilityOut, summary="养老服务设施详情")
def get_facility(request, facility_id: int):
    return facility_out(access_facility_by_id(request.actor, facility_id))


@router.get("/indicators", summary="指标16–19（本辖区）")
def get_indicators(request, division: Division = ""):
    request.actor.require(Perm.VIEW_REGISTRY)

    return compute_indicators(request.actor, division_code=division or None)
