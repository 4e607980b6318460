"""/api/v1/volunteers/ — scoped and audited exactly as the screens; writes call the same actions."""

from __future__ import annotations

from typing import Annotated

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema, Status

from minzheng.core.api_errors import BodyIn
from minzheng.core.query_params import documented
from minzheng.accounts.scoping import Division
from minzheng.core.errors import PermissionDenied
from minzheng.registry.access import access_person_by_id
from minzheng.socialwork.access import station_serving
from minzheng.volunteers import actions, indicators, selectors
from minzheng.volunteers.access import (
    access_activity_by_id,
    access_request_by_id,
    access_station_by_id,
    access_volunteer_by_id,
    organisation_to_choose,
)

router = Router()


class VolunteerOut(Schema):
    id: int
    name: str
    id_number_masked: str
    division_code: str
    organisation: str | None
    registered_on: str


class VolunteerIn(BodyIn):
    person_id: int
    consent_on: dt.date
    skills: str = ""
    guardian_name: str = ""
    guardian_consent_on: dt.date | None = None


class SignInIn(BodyIn):
    volunteer_id: int
    hours: Annotated[str, documented("服务时长（小时，大于0、不超过24，至多一位小数）", pattern=r"^(24(\.0)?|(1[0-9]|2[0-3]|[1-9])(\.[0-9])?|0\.[1-9])$")]


class HoursOut(Schema):
    id: int
    activity_id: int
    volunteer_id: int
    hours: str


class RequestOut(Schema):
    id: int
    name: str
    division_code: str
    source: str
    need: str
    status: str
    raised_on: str


def _vol(v) -> dict:
    return {"id": v.pk, "name": v.person.name, "id_number_masked": v.person.id_number_masked, "division_code": v.division_code,
            "organisation": v.organisation.name if v.organisation_id else None, "registered_on": v.registered_on.isoformat()}  # fmt: skip


@router.get("/volunteers", response=list[VolunteerOut], summary="注册志愿者（本辖区）")
def list_volunteers(request, division: Division = ""):
    return [_vol(v) for v in selectors.list_volunteers_for(request.actor, division_code=division or None)[:500]]


@router.post("/volunteers", response={201: VolunteerOut}, summary="志愿者登记（须本人同意）")
def create_volunteer(request, payload: VolunteerIn):
    person = access_person_by_id(request.actor, payload.person_id)
    v = actions.do_register_volunteer(request.actor, person=person, consent_on=payload.consent_on, skills=payload.skills,
                                      guardian_name=payload.guardian_name, guardian_consent_on=payload.guardian_consent_on)  # fmt: skip
    return Status(201, _vol(v))


@router.post("/activities/{activity_id}/sign-in", response={201: HoursOut}, summary="活动签到并记录时长")
def sign_in(request, activity_id: int, payload: SignInIn):
    activity = access_activity_by_id(request.actor, activity_id)
    volunteer = access_volunteer_by_id(request.actor, payload.volunteer_id)
    row = actions.do_sign_in(request.actor, activity, volunteer, hours=payload.hours)
    return Status(201, {"id": row.pk, "activity_id": activity.pk, "volunteer_id": volunteer.pk, "hours": str(row.hours)})


@router.get("/requests", response=list[RequestOut], summary="待对接的志愿服务需求（本辖区）")
def open_requests(request):
    return [{"id": r.pk, "name": r.person.name, "division_code": r.division_code, "source": r.source, "need": r.need,
             "status": r.status, "raised_on": r.raised_on.isoformat()} for r in selectors.open_requests_for(request.actor)[:500]]  # fmt: skip


class StationOut(Schema):
    id: int
    name: str
    division_code: str
    facility_id: int | None
    facility_name: str | None
    opened_on: str


@router.get("/stations", response=list[StationOut], summary="志愿服务站点（本辖区），含所在社区综合服务设施")
def list_stations(request, division: Division = ""):
    return [{"id": s.pk, "name": s.name, "division_code": s.division_code, "facility_id": s.facility_id,
             "facility_name": s.facility.name if s.facility_id else None, "opened_on": s.opened_on.isoformat()}
            for s in selectors.list_stations_for(request.actor, division_code=division or None)[:1000]]  # fmt: skip


class OfferIn(BodyIn):
    """Exactly one of the three: the village's volunteer station, a volunteer organisation, or a
    social-work station serving the village."""

    station_id: int | None = None
    organisation_id: int | None = None
    social_work_station_id: int | None = None


class ResponseIn(BodyIn):
    response: str
    responded_on: dt.date


class RequestStateOut(Schema):
    id: int
    status: str
    offered_to: str | None
    offered_on: str | None
    response: str
    responded_on: str | None


def _request_state(r) -> dict:
    party = r.station or r.organisation or r.social_work_station
    return {"id": r.pk, "status": r.status, "offered_to": party.name if party else None,
            "offered_on": r.offered_on.isoformat() if r.offered_on else None, "response": r.response,
            "responded_on": r.responded_on.isoformat() if r.responded_on else None}  # fmt: skip


@router.post("/requests/{request_id}/offer", response=RequestStateOut, summary="需求派单（志愿服务站点、志愿服务组织或社会工作站点，三选一）")
def offer_request(request, request_id: int, payload: OfferIn):
    actor = request.actor
    req = access_request_by_id(actor, request_id)
    req = actions.do_offer_request(
        actor, req,
        station=access_station_by_id(actor, payload.station_id) if payload.station_id is not None else None,
        organisation=organisation_to_choose(actor, payload.organisation_id) if payload.organisation_id is not None else None,
        social_work_station=station_serving(req.division_code, payload.social_work_station_id)
        if payload.social_work_station_id is not None else None,
    )  # fmt: skip
    return _request_state(req)


@router.post("/requests/{request_id}/response", response=RequestStateOut, summary="登记需求响应情况")
def record_response(request, request_id: int, payload: ResponseIn):
    req = access_request_by_id(request.actor, request_id)
    return _request_state(actions.do_record_response(request.actor, req, response=payload.response, responded_on=payload.responded_on))


@router.get("/indicators", summary="志愿服务指标（全区合计）")
def get_indicators(request):
    if request.actor.level != "district":
        raise PermissionDenied("全区指标仅区级用户可查看")
    return indicators.summary()
