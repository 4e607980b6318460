"""/api/v1/socialwork/ — scoped and audited exactly as the screens; writes call the same actions."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from minzheng.core.api_errors import BodyIn
from minzheng.accounts.scoping import Division
from minzheng.core.errors import PermissionDenied
from minzheng.registry.access import access_person_by_id
from minzheng.socialwork import actions, indicators, selectors
from minzheng.socialwork.access import access_project_by_id

router = Router()


class ProfessionalOut(Schema):
    id: int
    name: str
    id_number_masked: str
    division_code: str
    employer: str
    post: str
    education: str
    cert_level: str
    cert_year: int | None
    training_hours: int
    joined_on: str


class ProfessionalIn(BodyIn):
    person_id: int
    division_code: str
    employer: str
    post: str
    education: str
    cert_level: str = "none"
    cert_number: str = ""
    cert_year: int | None = None
    training_hours: int = 0
    joined_on: dt.date


class PurchasedProjectOut(Schema):
    id: int
    number: str
    title: str
    status: str
    status_label: str
    division_code: str
    agency: str | None
    budget_fen: int
    starts_on: str
    ends_on: str
    midterm_score: int | None
    final_score: int | None
    version: int


def _pro(p) -> dict:
    return {"id": p.pk, "name": p.person.name, "id_number_masked": p.person.id_number_masked, "division_code": p.division_code,
            "employer": p.employer, "post": p.post, "education": p.education, "cert_level": p.cert_level, "cert_year": p.cert_year,
            "training_hours": p.training_hours, "joined_on": p.joined_on.isoformat()}  # fmt: skip


def _project(p) -> dict:
    return {"id": p.pk, "number": p.number, "title": p.title, "status": p.status, "status_label": p.get_status_display(),
            "division_code": p.division_code, "agency": p.agency.name if p.agency_id else None, "budget_fen": p.budget_fen,
            "starts_on": p.starts_on.isoformat(), "ends_on": p.ends_on.isoformat(), "midterm_score": p.midterm_score,
            "final_score": p.final_score, "version": p.version}  # fmt: skip


@router.get("/professionals", response=list[ProfessionalOut], summary="社会工作专业人才（本辖区）")
def list_professionals(request, division: Division = ""):
    return [_pro(p) for p in selectors.list_professionals_for(request.actor, division_code=division or None)[:500]]


@router.post("/professionals", response={201: ProfessionalOut}, summary="人才入库")
def create_professional(request, payload: ProfessionalIn):
    person = access_person_by_id(request.actor, payload.person_id)
    data = payload.dict()
    data.pop("person_id")
    return Status(201, _pro(actions.do_register_professional(request.actor, person=person, **data)))


@router.get("/projects", response=list[PurchasedProjectOut], summary="购买服务项目（本辖区）")
def list_projects(request, status: str = ""):
    return [_project(p) for p in selectors.list_projects_for(request.actor, status=status)[:500]]


@router.get("/projects/{project_id}", response=PurchasedProjectOut, summary="购买服务项目")
def get_project(request, project_id: int):
    return _project(access_project_by_id(request.actor, project_id))


@router.get("/indicators", summary="社会工作专业人才与机构指标（全区合计）")
def get_indicators(request):
    if request.actor.level != "district":
        raise PermissionDenied("全区指标仅区级用户可查看")
    return indicators.summary()
