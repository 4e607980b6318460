"""/api/v1/placenames/ — scoped and audited exactly as the screens; writes call the same actions."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from minzheng.placenames import actions, selectors
from minzheng.placenames.access import access_place_by_id

router = Router()


class PlaceIn(Schema):
    division_code: str
    category: str
    name: str
    pinyin: str
    meaning: str = ""
    history: str = ""
    geometry: dict[str, Any] | None = None


class PlaceOut(Schema):
    id: int
    division_code: str
    category: str
    category_label: str
    name: str
    pinyin: str
    meaning: str
    geometry: dict[str, Any] | None
    status: str
    heritage: bool


def _place(p) -> dict:
    return {"id": p.pk, "division_code": p.division_code, "category": p.category, "category_label": p.get_category_display(),
            "name": p.name, "pinyin": p.pinyin, "meaning": p.meaning, "geometry": p.geometry, "status": p.status,
            "heritage": p.heritage}  # fmt: skip


@router.get("/places", response=list[PlaceOut], summary="地名（本辖区）")
def list_places(request, category: str = "", q: str = "", heritage: bool = False, division: str = ""):
    qs = selectors.list_places_for(request.actor, division_code=division or None, category=category, q=q, heritage=heritage)
    return [_place(p) for p in qs[:1000]]


@router.get("/places/{place_id}", response=PlaceOut, summary="地名")
def get_place(request, place_id: int):
    return _place(access_place_by_id(request.actor, place_id))


@router.post("/places", response={201: PlaceOut}, summary="登记地名")
def create_place(request, payload: PlaceIn):
    return 201, _place(actions.do_register_place(request.actor, **payload.dict()))


class MarkerIn(Schema):
    line_id: int
    number: str
    lon: str
    lat: str
    condition: str = "good"


class MarkerOut(Schema):
    id: int
    line: str
    number: str
    lon: str
    lat: str
    condition: str


def _marker(m) -> dict:
    return {"id": m.pk, "line": m.line.name, "number": m.number, "lon": str(m.lon), "lat": str(m.lat), "condition": m.condition}


@router.get("/markers", response=list[MarkerOut], summary="界桩（本辖区）")
def list_markers(request, line_id: int | None = None):
    return [_marker(m) for m in selectors.list_markers_for(request.actor, line_id=line_id)[:2000]]


@router.post("/markers", response={201: MarkerOut}, summary="登记界桩")
def create_marker(request, payload: MarkerIn):
    return 201, _marker(actions.do_save_marker(request.actor, **payload.dict()))


@router.get("/map", summary="地名、界线与界桩地图数据")
def map_data(request):
    return selectors.map_payload(request.actor)
