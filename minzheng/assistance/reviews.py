"""Dynamic management: review tasks generated in bulk from the enrolments' review dates,
and their outcomes (continue / adjust / gradual exit / exit)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id
from minzheng.assistance import actions
from minzheng.core.clock import today
from minzheng.core.periods import month_start_after
from minzheng.assistance.engine import Verdict, evaluate_program
from minzheng.assistance.enums import (
    EnrolmentStatus,
    ExitReason,
    Level,
    Program,
    ReviewKind,
    ReviewOutcome,
    ReviewStatus,
    SubjectKind,
)
from minzheng.assistance.facts import household_facts
from minzheng.assistance.models import Enrolment, ReviewTask
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed

BULK_CHUNK = 2000


def open_review_task(enrolment: Enrolment, *, kind: str, due_on: dt.date, note: str = "") -> ReviewTask:
    """One open task per enrolment and kind (a partial unique constraint makes sure)."""
    task = ReviewTask.objects.filter(enrolment=enrolment, kind=kind, status=ReviewStatus.OPEN).first()
    if task is not None:
        return task
    return ReviewTask.objects.create(
        enrolment=enrolment,
        division_code=enrolment.division_code,
        program=enrolment.program,
        kind=kind,
        due_on=due_on,
        note=note[:200],
    )


@transaction.atomic
def do_generate_review_tasks(actor: Actor, *, as_of: dt.date | None = None, horizon_days: int = 30) -> int:
    """Open a 定期复核 task for every active enrolment due for review within the horizon, in
    bulk; enrolments that already have an open task are skipped (rerun-safe)."""
    if not actor.is_system:
        actor.require(Perm.REVIEW_APPLICATION)
        if actor.level not in (Level.TOWN, Level.DISTRICT):
            raise PermissionDenied("复核任务须由乡镇（街道）或区民政局生成")
    as_of = as_of or today()
    until = as_of + dt.timedelta(days=horizon_days)
    open_task = ReviewTask.objects.filter(enrolment=OuterRef("pk"), kind=ReviewKind.SCHEDULED, status=ReviewStatus.OPEN)
    due = (
        Enrolment.objects.visible_to(actor)
        .filter(status=EnrolmentStatus.ACTIVE, next_review_on__isnull=False, next_review_on__lte=until)
        .exclude(program=Program.TEMPORARY)
        .filter(~Exists(open_task))
        .values_list("pk", "division_code", "program", "next_review_on", "review_cycle_months")
    )
    created = 0
    batch: list[ReviewTask] = []
    for pk, division_code, program, review_on, cycle in due.iterator(chunk_size=BULK_CHUNK):
        batch.append(
            ReviewTask(
                enrolment_id=pk,
                division_code=division_code,
                program=program,
                kind=ReviewKind.SCHEDULED,
                due_on=review_on,
                note=f"{'每6个月' if cycle == 6 else f'每{cycle}个月'}复核",
            )
        )
        if len(batch) >= BULK_CHUNK:
            created += len(ReviewTask.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        created += len(ReviewTask.objects.bulk_create(batch, ignore_conflicts=True))
    record_audit_event(
        actor,
        AuditAction.SYSTEM if actor.is_system else AuditAction.CREATE,
        object_type="review_task",
        summary=f"批量生成定期复核任务 {created} 条（截至{until:%Y-%m-%d}到期）",
        extra={"as_of": as_of.isoformat(), "until": until.isoformat(), "created": created},
    )
    return created


def suggest(enrolment: Enrolment) -> Verdict | None:
    """The engine's view of the enrolment today (registry facts), to help the reviewer."""
    household = enrolment.household if enrolment.subject_kind == SubjectKind.HOUSEHOLD else None
    person = enrolment.person
    if enrolment.program == Program.TEKUN and person is not None and person.household_id:
        household = person.household
    try:
        facts = household_facts(
            period=f"{today():%Y-%m}",
            household=household,
            person=person,
            zone=enrolment.zone,
            division_code=enrolment.division_code,
        )
        if not facts["household"]["members"]:
            return None
        return evaluate_program(enrolment.program, facts, subject_person_id=enrolment.person_id)
    except (DomainError, StopIteration, ValueError):
        return None


@transaction.atomic
def do_complete_review(
    actor: Actor,
    task: ReviewTask,
    *,
    outcome: str,
    note: str = "",
    new_amount_fen: int | None = None,
    exit_reason: str = ExitReason.REVIEW_NOT_ELIGIBLE,
) -> ReviewTask:
    actor.require(Perm.REVIEW_APPLICATION)
    if actor.level not in (Level.TOWN, Level.DISTRICT):
        raise PermissionDenied("复核须由乡镇（街道）或区民政局办理")

    task = access_by_id(ReviewTask.objects.all(), actor, task.pk, for_update=True)
    if task.status != ReviewStatus.OPEN:
        raise DomainError("该复核任务已办结，请刷新后查看", code="stale")
    if outcome not in ReviewOutcome.values:
        raise ValidationFailed({"outcome": "请选择复核结果"})
    note = (note or "").strip()
    enrolment = Enrolment.objects.get(pk=task.enrolment_id)
    if outcome == ReviewOutcome.CONTINUE:
        if enrolment.status == EnrolmentStatus.EXITED:
            raise ValidationFailed({"outcome": "该对象已退出保障，请选择“退出保障”核销"})
        _advance_review_date(actor, enrolment)
    elif outcome == ReviewOutcome.ADJUST:
        if new_amount_fen is None:
            verdict = suggest(enrolment)
            if verdict is None or not verdict.eligible:
                raise ValidationFailed({"new_amount_fen": "请填写调整后金额"})
            new_amount_fen = verdict.amount_fen
        enrolment = actions.do_adjust_enrolment(
            actor, enrolment, expected_version=None, amount_fen=new_amount_fen, reason=note or "定期复核调整"
        )
        _advance_review_date(actor, enrolment)
    elif outcome == ReviewOutcome.GRADUAL_EXIT:
        actions.do_start_gradual_exit(actor, enrolment, expected_version=None, reason=note or "复核：就业后收入超过标准")
    else:
        if enrolment.status != EnrolmentStatus.EXITED:
            last = enrolment.gradual_exit_until if task.kind == ReviewKind.GRADUAL_EXIT_END else None
            reason = ExitReason.GRADUAL_EXIT_ENDED if task.kind == ReviewKind.GRADUAL_EXIT_END else exit_reason
            actions.do_exit_enrolment(actor, enrolment, expected_version=None, exit_reason=reason, note=note, last_month=last)
    ReviewTask.objects.filter(pk=task.pk).update(
        status=ReviewStatus.DONE,
        outcome=outcome,
        new_amount_fen=new_amount_fen,
        result_note=note,
        completed_by_id=actor.user_id,
        completed_at=timezone.now(),
    )
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="review_task",
        object_id=task.pk,
        division_code=task.division_code,
        summary=f"办结{ReviewKind(task.kind).label}：{ReviewOutcome(outcome).label}",
        changed_fields={"status": [ReviewStatus.OPEN, ReviewStatus.DONE]},
    )
    task.refresh_from_db()
    return task


def _advance_review_date(actor: Actor, enrolment: Enrolment) -> None:
    cycle = actions.review_cycle_months(enrolment.household if enrolment.program == Program.DIBAO else None, today())
    # The next review falls one cycle after this one.
    Enrolment.objects.filter(pk=enrolment.pk).update(next_review_on=month_start_after(today(), cycle), review_cycle_months=cycle)
