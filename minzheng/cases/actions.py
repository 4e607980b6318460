"""The writes of the case kit: named, atomic, audited, optimistically locked.

``do_transition`` is the only writer of a case's status. It re-reads the case inside the
transaction through the scoping helpers (a case outside the actor's divisions is NotFound),
compares the version the user saw, asks the workflow whether the action is allowed, lets the
line do its own work (``prepare``), and writes with ``UPDATE … WHERE id = … AND version = …``:
of two users acting on the same case exactly one succeeds, the other is told "该…已被其他用户
处理，请刷新后重试" and nothing of theirs is written. One history row (CaseEvent) and one audit
row per transition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F

from minzheng.accounts.actor import Actor
from minzheng.accounts.names import actor_name_of  # noqa: F401 — re-exported: the lines import it from here
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id
from minzheng.cases.calendar import WorkCalendar, work_calendar
from minzheng.cases.levels import Level
from minzheng.cases.models import CalendarDay, CaseEvent, CorrectionRequest
from minzheng.cases.workflow import Stale, Transition, Workflow
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed


@dataclass
class Step:
    """What a line's ``prepare`` adds to a transition: where it leads (when the action
    decides), the line's own field updates, the reason recorded, extra audit facts."""

    target: str | None = None
    updates: dict = field(default_factory=dict)
    reason: str | None = None
    extra: dict = field(default_factory=dict)


Prepare = Callable[[object, Transition], Step | None]


def lock_case(actor: Actor, workflow: Workflow, case, expected_version: int):
    """Re-read the case inside the transaction (locked on PostgreSQL); a newer version means
    somebody else acted first."""
    pk = case if isinstance(case, int) else case.pk
    current = access_by_id(workflow.model_class.objects.all(), actor, pk, for_update=True)
    if current.version != expected_version:
        raise Stale(workflow.noun)
    return current


# Called once the transaction that wrote a case's event has committed (never for a step that was
# undone): the citizens' site registers one to tell the family by SMS. Listeners must not raise.
_event_listeners: list[Callable[[Workflow, object, CaseEvent], None]] = []


def register_event_listener(listener: Callable[[Workflow, object, CaseEvent], None]) -> None:
    if listener not in _event_listeners:
        _event_listeners.append(listener)


def record_event(
    actor: Actor, workflow: Workflow, case, *, action: str, label: str, from_status: str, to_status: str, reason: str = ""
) -> CaseEvent:
    """A history row; do_transition writes one per transition, lines add their own in-state
    events (登记, 先行救助 …) through this function."""
    event = CaseEvent.objects.create(
        workflow=workflow.name,
        case_id=case.pk,
        division_code=case.division_code,
        action=action,
        label=label,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        actor_id=actor.user_id,
        actor_name=actor_name_of(actor),
    )
    for listener in _event_listeners:
        transaction.on_commit(lambda listener=listener: listener(workflow, case, event))
    return event


def _versioned_update(workflow: Workflow, current, values: dict) -> None:
    rows = workflow.model_class.objects.filter(pk=current.pk, version=current.version).update(
        version=F("version") + 1, **values
    )
    if rows != 1:
        raise Stale(workflow.noun)


@transaction.atomic
def do_transition(
    actor: Actor,
    workflow: Workflow,
    case,
    action: str,
    *,
    expected_version: int,
    reason: str = "",
    target: str | None = None,
    prepare: Prepare | None = None,
    today: dt.date | None = None,
    calendar: WorkCalendar | None = None,
):
    """Take `action` on `case`: every check of the workflow, then the line's `prepare`
    (validation and its own records, inside the same transaction), then the one write."""
    day = today or clock.today()
    current = lock_case(actor, workflow, case, expected_version)
    transition = workflow.check(actor, current, action, today=day)
    reason = (reason or "").strip()
    if transition.reason_required and not reason:
        raise ValidationFailed({"reason": transition.reason_required})
    step = (prepare(current, transition) if prepare is not None else None) or Step()
    if step.reason is not None:
        reason = step.reason.strip()
    target = step.target or target
    if transition.target is not None:
        if target is not None and target != transition.target:
            raise ValueError(f"{action} leads to {transition.target}, not {target}")
        target = transition.target
    elif target not in transition.targets:
        raise ValueError(f"{action} must choose its target among {transition.targets}, got {target!r}")
    values = dict(step.updates)
    extra = dict(step.extra)
    limit = workflow.time_limit
    if transition.starts_clock or transition.extends_limit:
        calendar = calendar or work_calendar()
        if transition.starts_clock:
            start = day
            deadline = limit.deadline(start, calendar)  # type: ignore[union-attr]
            length = limit.length(start)  # type: ignore[union-attr]
            values.update({workflow.start_field: start, "deadline_on": deadline, "deadline_extended": False})
        else:
            start = getattr(current, workflow.start_field)
            deadline = limit.extended_deadline(start, calendar)  # type: ignore[union-attr]
            length = limit.extended_length(start)  # type: ignore[union-attr]
            values.update({"deadline_on": deadline, "deadline_extended": True})
        extra.update({"deadline": deadline.isoformat(), limit.audit_key: length})  # type: ignore[union-attr]
    if target != current.status:
        values["step_started_on"] = day
        if workflow.uses_step_limits:
            state_limit = workflow.state(target).limit
            values["step_deadline_on"] = state_limit.deadline(day, calendar or work_calendar()) if state_limit else None
    _versioned_update(workflow, current, {"status": target, **values})
    record_event(
        actor, workflow, current, action=transition.action, label=transition.label,
        from_status=current.status, to_status=target, reason=reason,
    )
    record_audit_event(
        actor,
        AuditAction.TRANSITION,
        object_type=workflow.object_type,
        object_id=current.pk,
        division_code=current.division_code,
        summary=f"{transition.label}：{workflow.describe(current)}（{workflow.state_label(current.status)}→{workflow.state_label(target)}）",
        changed_fields={"status": [current.status, target]},
        extra={"action": transition.action, "reason": reason[:200], **extra},
    )
    current.refresh_from_db()
    return current


@transaction.atomic
def update_case(
    actor: Actor,
    workflow: Workflow,
    current,
    *,
    action: str,
    label: str,
    reason: str = "",
    updates: dict,
):
    """An in-state change of a case already locked with lock_case (先行救助, 补齐手续 …): the
    same versioned write and a history row; the status is not touched. The caller audits."""
    if "status" in updates:
        raise ValueError("the status changes only through do_transition")
    _versioned_update(workflow, current, updates)
    record_event(actor, workflow, current, action=action, label=label, from_status=current.status, to_status=current.status, reason=reason)
    current.refresh_from_db()
    return current


# ----------------------------------------------------------------------------------------------
# 补正: the staff tell the applicant once what is missing; the applicant answers (online or at
# the counter). A line opts in by declaring the in-state transition CORRECTION_ACTION for the
# states and roles that may ask; the kit keeps the request and its answer.
# ----------------------------------------------------------------------------------------------

CORRECTION_ACTION = "request_correction"
CORRECTION_ANSWERED = "answer_correction"
MAX_CORRECTION_CHARS = 1000


def open_correction(workflow: Workflow, case) -> CorrectionRequest | None:
    """The case's unanswered 补正 request, if any (the case was reached through the caller's scoping)."""
    return CorrectionRequest.objects.filter(workflow=workflow.name, case_id=case.pk, answered_at__isnull=True).first()


def corrections_of(workflow: Workflow, case):
    return CorrectionRequest.objects.filter(workflow=workflow.name, case_id=case.pk).order_by("id")


def _correction_text(value: str, field: str, empty: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed({field: empty})
    if len(text) > MAX_CORRECTION_CHARS:
        raise ValidationFailed({field: f"不能超过{MAX_CORRECTION_CHARS}字"})
    return text


@transaction.atomic
def do_request_correction(actor: Actor, workflow: Workflow, case, *, expected_version: int, items: str, today: dt.date | None = None):
    """补正告知: who may act on the case's current step (the workflow's ``request_correction``
    row) tells the applicant what to hand in. One open request a case."""
    items = _correction_text(items, "items", "请写明需补正的材料或事项")

    def prepare(current, transition: Transition) -> Step:
        if open_correction(workflow, current) is not None:
            raise ValidationFailed({"items": "上一次补正告知尚未补正，请待申请人补正后再告知"})
        CorrectionRequest.objects.create(
            workflow=workflow.name, case_id=current.pk, division_code=current.division_code, items=items,
            requested_at=clock.now(), requested_by_name=actor_name_of(actor),
        )  # fmt: skip
        return Step(reason=items)

    return do_transition(actor, workflow, case, CORRECTION_ACTION, expected_version=expected_version, reason=items, prepare=prepare, today=today)


@transaction.atomic
def answer_correction(actor: Actor, workflow: Workflow, case, *, answer: str, answered_by: str, online: bool) -> CorrectionRequest:
    """The applicant's 补正 (what they handed in or explain). The caller has reached ``case``
    through its own rule — the staff's scoping, or the family's own cases on the citizens'
    site — and checked the case is still open. Audited by the caller's line."""
    request = (
        CorrectionRequest.objects.select_for_update()
        .filter(workflow=workflow.name, case_id=case.pk, answered_at__isnull=True)
        .first()
    )
    if request is None:
        raise DomainError("该申请没有待补正的事项", code="no_correction")
    request.answer = _correction_text(answer, "answer", "请填写补正说明（已补交的材料或需要说明的情况）")
    request.answered_at, request.answered_by_name, request.answered_online = clock.now(), answered_by[:150], online
    request.save(update_fields=["answer", "answered_at", "answered_by_name", "answered_online"])
    record_event(
        actor, workflow, case, action=CORRECTION_ANSWERED, label="网上补正" if online else "补正",
        from_status=case.status, to_status=case.status, reason=request.answer,
    )  # fmt: skip
    record_audit_event(
        actor, AuditAction.UPDATE, object_type=workflow.object_type, object_id=case.pk, division_code=case.division_code,
        summary=f"{'网上补正' if online else '登记补正'}：{workflow.describe(case)}",
    )  # fmt: skip
    return request


# ----------------------------------------------------------------------------------------------
# The shared working-day calendar (district only, audited)
# ----------------------------------------------------------------------------------------------


def _require_calendar_keeper(actor: Actor) -> None:
    actor.require(Perm.APPROVE_APPLICATION)
    if actor.level != Level.DISTRICT:
        raise PermissionDenied("工作日历须由区民政局维护")


@transaction.atomic
def do_set_calendar_day(actor: Actor, *, date: dt.date, is_workday: bool, name: str = "") -> CalendarDay:
    """A holiday on a weekday, or a weekend day worked (调休). Existing deadlines keep their
    dates; new time limits count with the new calendar."""
    _require_calendar_keeper(actor)
    if date is None:
        raise ValidationFailed({"date": "请填写日期"})
    if is_workday and date.weekday() < 5:
        raise ValidationFailed({"is_workday": "周一至周五本来就是工作日，只有周末才需要设置调休上班"})
    if not is_workday and date.weekday() >= 5:
        raise ValidationFailed({"is_workday": "周末本来就不上班，无需设置为节假日"})
    day, created = CalendarDay.objects.update_or_create(date=date, defaults={"is_workday": is_workday, "name": name.strip()})
    record_audit_event(
        actor, AuditAction.CREATE if created else AuditAction.UPDATE, object_type="calendar_day", object_id=day.pk,
        summary=f"工作日历：{date:%Y-%m-%d} 设为{'调休上班日' if is_workday else '节假日'}{(' ' + name) if name else ''}",
    )
    return day


@transaction.atomic
def do_delete_calendar_day(actor: Actor, day_id: int) -> None:
    _require_calendar_keeper(actor)
    day = CalendarDay.objects.filter(pk=day_id).first()
    if day is None:
        raise NotFound()
    record_audit_event(actor, AuditAction.DELETE, object_type="calendar_day", object_id=day.pk, summary=f"工作日历：删除 {day.date:%Y-%m-%d} {day.name}")
    day.delete()
