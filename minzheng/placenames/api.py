"""/api/v1/placenames/ — scoped and audited exactly as the screens; writes call the same actions."""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Field, Router, Schema, Status

from pydantic import ConfigDict

from minzheng.core.api_errors import BodyIn
from minzheng.core.api_fields import FORMATS, DistrictPointIn, TownOrVillageCode, choice, text
from minzheng.core.query_params import documented
from minzheng.placenames.enums import Category, MarkerCondition
from minzheng.accounts.scoping import Division
from minzheng.placenames import actions, selectors
from minzheng.placenames.access import access_place_by_id

router = Router()


def geometry_of(points: list[DistrictPointIn]) -> dict[str, Any] | None:
    """GeoJSON of the points given: none, a Point, or a LineString."""
    coordinates = [[float(p.lon), float(p.lat)] for p in points]
    if not coordinates:
        return None
    if len(coordinates) == 1:
        return {"type": "Point", "coordinates": coordinates[0]}
    return {"type": "LineString", "coordinates": coordinates}


class PlaceIn(BodyIn):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "division_code": "500102006", "category": "road", "name": "兴华路", "pinyin": "Xīnghuá Lù",
        "meaning": "取兴旺繁华之意", "points": [{"lon": "107.390", "lat": "29.710"}, {"lon": "107.395", "lat": "29.712"}],
    }]})

    division_code: TownOrVillageCode
    category: choice("类别", Category.values)
    name: text("名称（同一乡镇同类地名不能重名）", 60)
    pinyin: Annotated[str, documented("汉语拼音（拼音字母、声调、空格、隔音符号）", pattern=actions.PINYIN_PATTERN)]
    meaning: str = ""
    history: str = ""
    points: list[DistrictPointIn] = Field(default_factory=list, max_length=500, description="位置：一个点，或两个以上的点连成的线；可不填")


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
def list_places(request, category: str = "", q: str = "", heritage: bool = False, division: Division = ""):
    qs = selectors.list_places_for(request.actor, division_code=division or None, category=category, q=q, heritage=heritage)
    return [_place(p) for p in qs[:1000]]


@router.get("/places/{place_id}", response=PlaceOut, summary="地名")
def get_place(request, place_id: int):
    return _place(access_place_by_id(request.actor, place_id))


@router.post("/places", response={201: PlaceOut}, summary="登记地名")
def create_place(request, payload: PlaceIn):
    fields = payload.dict(exclude={"points"})
    return Status(201, _place(actions.do_register_place(request.actor, geometry=geometry_of(payload.points), **fields)))


class MarkerIn(BodyIn):
    line_id: int
    number: text("界桩编号（同一界线不重复）", 30)
    lon: Annotated[str, documented(FORMATS["district-longitude"], format="district-longitude")]
    lat: Annotated[str, documented(FORMATS["district-latitude"], format="district-latitude")]
    condition: choice("界桩状况", MarkerCondition.values) = MarkerCondition.GOOD


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
    return Status(201, _marker(actions.do_save_marker(request.actor, **payload.dict())))


@router.get("/map", summary="地名、界线与界桩地图数据")
def map_data(request):
    return selectors.map_payload(request.actor)
