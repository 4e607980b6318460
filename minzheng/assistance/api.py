"""/api/v1/assistance/: the 待办 list, cases and enrolments — scoped and masked exactly as
the screens; workflow steps go through the same actions (optimistic locking included)."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from minzheng.core.api_errors import BodyIn
from minzheng.accounts.scoping import Division
from minzheng.accounts.permissions import Perm
from minzheng.assistance import actions, selectors
from minzheng.assistance.access import access_application_by_id
from minzheng.assistance.enums import Status
from minzheng.core.query_params import Offset, window

router = Router()
MAX_RESULTS = 100


class StepCountOut(Schema):
    status: str
    label: str
    total: int
    overdue: int
    near: int


class TodoItemOut(Schema):
    id: int
    number: str
    program: str
    status: str
    status_label: str
    applicant_name: str
    division_code: str
    deadline_on: dt.date | None
    remaining_working_days: int | None
    tone: str


class TodoOut(Schema):
    total: int
    overdue: int
    near: int
    steps: list[StepCountOut]
    items: list[TodoItemOut]


class ApplicationOut(Schema):
    id: int
    number: str
    program: str
    status: str
    version: int
    division_code: str
    applicant_name: str
    applicant_id_number: str  # masked
    accepted_on: dt.date | None
    deadline_on: dt.date | None
    proposed_amount_fen: int | None
    approved_amount_fen: int | None


class VersionIn(BodyIn):
    version: int


class EnrolmentOut(Schema):
    id: int
    program: str
    subject_kind: str
    subject_id: int
    division_code: str
    payee_name: str
    payee_id_number: str  # masked
    amount_fen: int
    people_covered: int
    start_month: dt.date
    end_month: dt.date | None
    status: str


def application_out(a) -> dict:
    return {
        "id": a.pk,
        "number": a.number,
        "program": a.program,
        "status": a.status,
        "version": a.version,
        "division_code": a.division_code,
        "applicant_name": a.applicant.name,
        "applicant_id_number": a.applicant.id_number_masked,
        "accepted_on": a.accepted_on,
        "deadline_on": a.deadline_on,
        "proposed_amount_fen": a.proposed_amount_fen,
        "approved_amount_fen": a.approved_amount_fen,
    }


@router.get("/todo", response=TodoOut)
def todo(request, status: str = "", division: Division = ""):
    actor = request.actor
    actor.require(Perm.VIEW_REGISTRY)
    counts = selectors.todo_counts(actor, division_code=division or None)
    page = list(selectors.todo_page(actor, division_code=division or None, status=status or None)[:MAX_RESULTS])
    items = [
        {
            "id": r.application.pk,
            "number": r.application.number,
            "program": r.application.program,
            "status": r.application.status,
            "status_label": Status(r.application.status).label,
            "applicant_name": r.application.applicant.name,
            "division_code": r.application.division_code,
            "deadline_on": r.application.deadline_on,
            "remaining_working_days": r.remaining,
            "tone": r.tone,
        }
        for r in selectors.decorate(page)
    ]
    return {**counts, "items": items}


@router.get("/applications/{application_id}", response=ApplicationOut)
def get_application(request, application_id: int):
    return application_out(access_application_by_id(request.actor, application_id))


@router.post("/applications/{application_id}/accept", response=ApplicationOut)
def accept_application(request, application_id: int, data: VersionIn):
    application = access_application_by_id(request.actor, application_id, audit=False)
    return application_out(actions.do_accept_application(request.actor, application, expected_version=data.version))


@router.get("/enrolments", response=list[EnrolmentOut])
def list_enrolments(request, program: str = "", status: str = "active", division: Division = "", offset: Offset = 0):
    qs = selectors.list_enrolments_for(request.actor, division_code=division or None, program=program or None, status=status or None)
    rows = qs.select_related("payee").order_by("id")[window(offset, MAX_RESULTS, max_limit=MAX_RESULTS)]
    return [
        {
            "id": e.pk,
            "program": e.program,
            "subject_kind": e.subject_kind,
            "subject_id": e.subject_id,
            "division_code": e.division_code,
            "payee_name": e.payee.name,
            "payee_id_number": e.payee.id_number_masked,
            "amount_fen": e.amount_fen,
            "people_covered": e.people_covered,
            "start_month": e.start_month,
            "end_month": e.end_month,
            "status": e.status,
        }
        for e in rows
    ]
