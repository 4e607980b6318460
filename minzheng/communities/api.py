"""/api/v1/communities/ — scoped and audited exactly as the screens; writes call the same actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from ninja import Router, Schema, Status

from pydantic import ConfigDict

from minzheng.core.api_errors import BodyIn
from minzheng.core.query_params import documented
from minzheng.core.api_fields import DecimalText, DistrictPointIn, VillageCode, choice, point_fields, text
from minzheng.accounts.scoping import Division
from minzheng.communities import actions, selectors
from minzheng.communities.enums import Ownership
from minzheng.communities.access import access_facility_by_id

router = Router()


class FacilityIn(BodyIn):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "division_code": "500102006001", "name": "大东门社区综合服务站", "area_m2": "420.50", "rooms": 6,
        "functions": "党群服务、养老服务、儿童之家", "hours": "周一至周六 8:30-17:30", "ownership": "owned",
        "location": {"lon": "107.390000", "lat": "29.710000"},
    }]})

    division_code: VillageCode
    name: text("设施名称", 100)
    area_m2: DecimalText
    rooms: Annotated[int, documented("功能室数", minimum=0, maximum=actions.MAX_ROOMS)] = 0
    functions: str = ""
    hours: str = ""
    ownership: choice("产权", Ownership.values)
    location: DistrictPointIn | None = None


class CommunityFacilityOut(Schema):
    id: int
    division_code: str
    name: str
    area_m2: str
    rooms: int
    functions: str
    hours: str
    ownership: str
    ownership_label: str
    status: str
    lon: str | None
    lat: str | None


def _facility(f) -> dict:
    return {"id": f.pk, "division_code": f.division_code, "name": f.name, "area_m2": str(f.area_m2), "rooms": f.rooms,
            "functions": f.functions, "hours": f.hours, "ownership": f.ownership, "ownership_label": f.get_ownership_display(),
            "status": f.status, "lon": str(f.lon) if f.lon is not None else None, "lat": str(f.lat) if f.lat is not None else None}  # fmt: skip


@router.get("/facilities", response=list[CommunityFacilityOut], summary="社区综合服务设施（本辖区）")
def list_facilities(request, division: Division = ""):
    return [_facility(f) for f in selectors.list_facilities_for(request.actor, division_code=division or None)[:1000]]


@router.get("/facilities/{facility_id}", response=CommunityFacilityOut, summary="社区综合服务设施")
def get_facility(request, facility_id: int):
    return _facility(access_facility_by_id(request.actor, facility_id))


@router.post("/facilities", response={201: CommunityFacilityOut}, summary="登记社区综合服务设施")
def create_facility(request, payload: FacilityIn):
    fields = payload.dict(exclude={"location"}) | point_fields(payload.location)
    f = actions.do_save_facility(request.actor, **fields)
    return Status(201, _facility(f))


class VillageStandardOut(Schema):
    code: str
    name: str
    town: str
    area: Decimal
    households: int
    per_100: Decimal | None
    at_standard: bool


@router.get("/standard", response=list[VillageStandardOut], summary="各村（社区）每百户设施面积与达标情况")
def standard(request, below: bool = False):
    rows = selectors.village_standard_rows(request.actor)
    return [r for r in rows if not r["at_standard"]] if below else rows


class CommitteeMemberOut(Schema):
    id: int
    division_code: str
    name: str
    post: str
    term_start: str
    term_end: str


@router.get("/members", response=list[CommitteeMemberOut], summary="村（居）委会在任成员")
def members(request, division: Division = "", ending_within_90_days: bool = False):
    qs = selectors.terms_ending_for(request.actor) if ending_within_90_days else selectors.list_members_for(request.actor, division_code=division or None)
    return [{"id": m.pk, "division_code": m.division_code, "name": m.name, "post": m.post, "term_start": m.term_start.isoformat(),
             "term_end": m.term_end.isoformat()} for m in qs[:2000]]  # fmt: skip


class ElectionOut(Schema):
    id: int
    division_code: str
    status: str
    status_label: str
    term_start: str
    voting_date: str
    version: int


@router.get("/elections", response=list[ElectionOut], summary="换届选举")
def elections(request, status: str = ""):
    return [{"id": e.pk, "division_code": e.division_code, "status": e.status, "status_label": e.get_status_display(),
             "term_start": e.term_start.isoformat(), "voting_date": e.voting_date.isoformat(), "version": e.version}
            for e in selectors.list_elections_for(request.actor, status=status)[:500]]  # fmt: skip


@router.get("/sites", summary="社区治理示范点数量（分级、分镇街）")
def sites(request):
    return selectors.site_counts(request.actor)
