"""/api/v1/disability/ — 两项补贴, scoped and audited exactly as the screens; the writes are the
screens' actions (the same refusals: 403 role, 404 not yours, 409 state or version, 422 field)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Router, Schema, Status

from minzheng.core.api_errors import BodyIn
from minzheng.core.api_fields import choice
from minzheng.core.query_params import documented
from minzheng.accounts.scoping import Division
from minzheng.disability import actions, selectors
from minzheng.disability.access import access_application_by_id
from minzheng.disability.enums import Source, Subsidy

router = Router()


class DisabilityApplicationOut(Schema):
    id: int
    number: str
    subsidy: str
    subsidy_label: str
    status: str
    status_label: str
    version: int
    division_code: str
    person_name: str
    person_id_number_masked: str
    source: str
    certificate_number_masked: str
    certificate_category: str
    certificate_grade: int | None
    deadline_on: dt.date | None
    amount_fen: int | None
    start_month: dt.date | None
    last_paid_month: dt.date | None
    enrolment_id: int | None


def application_out(a) -> dict:
    return {
        "id": a.pk, "number": a.number, "subsidy": a.subsidy, "subsidy_label": a.get_subsidy_display(),
        "status": a.status, "status_label": a.get_status_display(), "version": a.version, "division_code": a.division_code,
        "person_name": a.person.name, "person_id_number_masked": a.person.id_number_masked, "source": a.source,
        "certificate_number_masked": a.certificate_number_masked, "certificate_category": a.certificate_category,
        "certificate_grade": a.certificate_grade, "deadline_on": a.deadline_on, "amount_fen": a.amount_fen,
        "start_month": a.start_month, "last_paid_month": a.last_paid_month, "enrolment_id": a.enrolment_id,
    }


class ApplicationIn(BodyIn):
    person_id: int
    subsidy: choice("补贴项目", Subsidy.values)
    # A roster row comes only through the 残联 feed, never as an application.
    source: choice("来源", [v for v in Source.values if v != Source.ROSTER]) = Source.APPLICATION
    source_ref: int | None = None
    certificate_number: str = ""
    certificate_category: str = ""
    certificate_grade: Annotated[int, documented("残疾等级（1至4级）", minimum=1, maximum=4)] | None = None
    certificate_issued_on: dt.date | None = None
    certificate_checked: bool = False
    situation: str = ""


class DisabilityVersionIn(BodyIn):
    version: int


class OpinionIn(BodyIn):
    version: int
    outcome: str
    opinion: str = ""


class CertificateIn(BodyIn):
    version: int
    certificate_number: str
    certificate_category: str
    certificate_grade: int | None = None
    certificate_issued_on: dt.date | None = None
    note: str = ""


class EndIn(BodyIn):
    version: int
    end_reason: str
    note: str = ""


@router.get("/applications", response=list[DisabilityApplicationOut], summary="两项补贴申请（本辖区）")
def list_applications(request, subsidy: str = "", status: str = "", division: Division = ""):
    rows = selectors.list_applications_for(request.actor, division_code=division or None, subsidy=subsidy or None, status=status or None)[:500]
    return [application_out(a) for a in rows]


@router.post("/applications", response={201: DisabilityApplicationOut}, summary="登记申请")
def create_application(request, data: ApplicationIn):
    a = actions.do_register_application(request.actor, actions.ApplicationInput(**data.dict()))
    return Status(201, application_out(a))


@router.get("/applications/{application_id}", response=DisabilityApplicationOut, summary="一条申请")
def get_application(request, application_id: int):
    return application_out(access_application_by_id(request.actor, application_id))


def _cert(data: CertificateIn) -> actions.Certificate:
    return actions.Certificate(data.certificate_number, data.certificate_category, data.certificate_grade, data.certificate_issued_on)


@router.post("/applications/{application_id}/certificate", response=DisabilityApplicationOut, summary="核验残疾人证")
def record_certificate(request, application_id: int, data: CertificateIn):
    a = access_application_by_id(request.actor, application_id, audit=False)
    return application_out(actions.do_record_certificate(request.actor, a, expected_version=data.version, certificate=_cert(data)))


@router.post("/applications/{application_id}/accept", response=DisabilityApplicationOut, summary="受理")
def accept(request, application_id: int, data: DisabilityVersionIn):
    a = access_application_by_id(request.actor, application_id, audit=False)
    return application_out(actions.do_accept_application(request.actor, a, expected_version=data.version))


@router.post("/applications/{application_id}/review", response=DisabilityApplicationOut, summary="乡镇审核")
def review(request, application_id: int, data: OpinionIn):
    a = access_application_by_id(request.actor, application_id, audit=False)
    return application_out(actions.do_review_application(request.actor, a, expected_version=data.version, outcome=data.outcome, opinion=data.opinion))


@router.post("/applications/{application_id}/decide", response=DisabilityApplicationOut, summary="审批")
def decide(request, application_id: int, data: OpinionIn):
    a = access_application_by_id(request.actor, application_id, audit=False)
    return application_out(actions.do_decide_application(request.actor, a, expected_version=data.version, outcome=data.outcome, reasons=data.opinion))


@router.post("/applications/{application_id}/grade-change", response=DisabilityApplicationOut, summary="残疾等级变更")
def grade_change(request, application_id: int, data: CertificateIn):
    a = access_application_by_id(request.actor, application_id, audit=False)
    return application_out(actions.do_record_grade_change(request.actor, a, expected_version=data.version, certificate=_cert(data), note=data.note))


@router.post("/applications/{application_id}/end", response=DisabilityApplicationOut, summary="停发")
def end(request, application_id: int, data: EndIn):
    a = access_application_by_id(request.actor, application_id, audit=False)
    return application_out(actions.do_end_subsidy(request.actor, a, expected_version=data.version, end_reason=data.end_reason, note=data.note))


@router.get("/coverage", summary="指标3、4：两项补贴覆盖率（最新全区筛查），应保未保与应退未退人数")
def coverage(request, division: Division = ""):
    actor = request.actor
    run = selectors.latest_run()
    out = []
    for s in Subsidy:
        c = selectors.coverage(actor, s.value, run=run, division_code=division or None, list_limit=0)  # the counts only
        out.append({
            "indicator": c.indicator, "program": c.program, "label": c.label, "period": c.period, "run_id": c.run_id,
            "eligible": c.eligible, "enrolled": c.enrolled, "by_town": {t: {"enrolled": n, "eligible": d} for t, (n, d) in c.by_town.items()},
            "missed": c.missed_count, "wrongly_paid": c.wrongly_paid_count,
        })
    return out
