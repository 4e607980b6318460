"""/api/v1/discovery/ — alerts and tasks, scoped exactly as the screens (another village's or
town's alert is a 404)."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from minzheng.core.api_errors import BodyIn
from minzheng.accounts.scoping import Division
from minzheng.discovery import actions
from minzheng.discovery.selectors import access_alert_by_id, access_task_by_id, list_alerts_for, list_tasks_for

router = Router()
MAX_RESULTS = 200


class TaskOut(Schema):
    id: int
    alert_id: int
    kind: str
    kind_label: str
    division_code: str
    due_on: dt.date
    status: str
    escalated: bool
    outcome: str
    outcome_note: str
    version: int
    death_report_id: int | None = None  # 死亡核实: decide with /api/v1/death-reports/{id}/confirm|refute


class AlertOut(Schema):
    id: int
    kind: str
    kind_label: str
    program: str
    program_label: str
    period: str
    person_id: int
    person_name: str
    id_number: str  # masked
    household_id: int | None
    division_code: str
    reason: str
    provisional: bool
    status: str
    created_at: dt.datetime
    task: TaskOut


class OutcomeIn(BodyIn):
    outcome: str
    note: str = ""
    version: int | None = None


def task_out(t) -> dict:
    return {
        "id": t.pk,
        "alert_id": t.alert_id,
        "kind": t.kind,
        "kind_label": t.get_kind_display(),
        "division_code": t.division_code,
        "due_on": t.due_on,
        "status": t.status,
        "escalated": t.escalated_at is not None,
        "outcome": t.outcome,
        "outcome_note": t.outcome_note,
        "version": t.version,
        "death_report_id": t.death_report_id,
    }


def alert_out(a) -> dict:
    return {
        "id": a.pk,
        "kind": a.kind,
        "kind_label": a.get_kind_display(),
        "program": a.program,
        "program_label": a.get_program_display(),
        "period": a.period,
        "person_id": a.person_id,
        "person_name": a.person.name,
        "id_number": a.person.id_number_masked,
        "household_id": a.household_id,
        "division_code": a.division_code,
        "reason": a.reason,
        "provisional": a.provisional,
        "status": a.status,
        "created_at": a.created_at,
        "task": task_out(a.task),
    }


@router.get("/alerts", response=list[AlertOut])
def list_alerts(request, kind: str = "", status: str = "", division: Division = ""):
    qs = list_alerts_for(request.actor, division_code=division or None, kind=kind, status=status)
    return [alert_out(a) for a in qs[:MAX_RESULTS]]


@router.get("/alerts/{alert_id}", response=AlertOut)
def get_alert(request, alert_id: int):
    return alert_out(access_alert_by_id(request.actor, alert_id))


@router.get("/tasks", response=list[TaskOut])
def list_tasks(request, mine: bool = False, overdue: bool = False, division: Division = ""):
    qs = list_tasks_for(request.actor, division_code=division or None, mine=mine, overdue=overdue)
    return [task_out(t) for t in qs[:MAX_RESULTS]]


@router.get("/tasks/{task_id}", response=TaskOut)
def get_task(request, task_id: int):
    return task_out(access_task_by_id(request.actor, task_id))


@router.post("/tasks/{task_id}/outcome", response=TaskOut)
def post_outcome(request, task_id: int, data: OutcomeIn):
    task = access_task_by_id(request.actor, task_id)
    task = actions.do_record_task_outcome(
        request.actor, task, outcome=data.outcome, note=data.note, expected_version=data.version
    )
    return task_out(task)
