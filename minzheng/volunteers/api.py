"""/api/v1/volunteers/ — scoped and audited exactly as the screens; writes call the same actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Router, Schema

from minzheng.core.errors import PermissionDenied
from minzheng.registry.access import access_person_by_id
from minzheng.volunteers import actions, indicators, selectors
from minzheng.volunteers.access import access_activity_by_id, access_volunteer_by_id

router = Router()


class VolunteerOut(Schema):
    id: int
    name: str
    id_number_masked: str
    division_code: str
    organisation: str | None
    registered_on: str


class VolunteerIn(Schema):
    person_id: int
    consent_on: dt.date
    skills: str = ""
    guardian_name: str = ""
    guardian_consent_on: dt.date | None = None


class SignInIn(Schema):
    volunteer_id: int
    hours: Decimal


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
def list_volunteers(request, division: str = ""):
    return [_vol(v) for v in selectors.list_volunteers_for(request.actor, division_code=division or None)[:500]]


@router.post("/volunteers", response={201: VolunteerOut}, summary="志愿者登记（须本人同意）")
def create_volunteer(request, payload: VolunteerIn):
    person = access_person_by_id(request.actor, payload.person_id)
    v = actions.do_register_volunteer(request.actor, person=person, consent_on=payload.consent_on, skills=payload.skills,
                                      guardian_name=payload.guardian_name, guardian_consent_on=payload.guardian_consent_on)  # fmt: skip
    return 201, _vol(v)


@router.post("/activities/{activity_id}/sign-in", response={201: HoursOut}, summary="活动签到并记录时长")
def sign_in(request, activity_id: int, payload: SignInIn):
    activity = access_activity_by_id(request.actor, activity_id)
    volunteer = access_volunteer_by_id(request.actor, payload.volunteer_id)
    row = actions.do_sign_in(request.actor, activity, volunteer, hours=payload.hours)
    return 201, {"id": row.pk, "activity_id": activity.pk, "volunteer_id": volunteer.pk, "hours": str(row.hours)}


@router.get("/requests", response=list[RequestOut], summary="待对接的志愿服务需求（本辖区）")
def open_requests(request):
    return [{"id": r.pk, "name": r.person.name, "division_code": r.division_code, "source": r.source, "need": r.need,
             "status": r.status, "raised_on": r.raised_on.isoformat()} for r in selectors.open_requests_for(request.actor)[:500]]  # fmt: skip


@router.get("/indicators", summary="志愿服务指标（全区合计）")
def get_indicators(request):
    if request.actor.level != "district":
        raise PermissionDenied("全区指标仅区级用户可查看")
    return indicators.summary()
