"""List reads of the casework line, always through visible_to(actor).

The 待办 list is derived from the workflow table (which steps this actor may take), the
actor's jurisdiction and the cases' states — there is no separate inbox table to drift.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.assistance import workflow
from minzheng.core.clock import today
from minzheng.assistance.enums import EnrolmentStatus, ReviewStatus, Status
from minzheng.assistance.models import Application, Enrolment, PaymentBatch, ReviewTask
from minzheng.assistance.workdays import WorkCalendar, work_calendar


def list_applications_for(
    actor: Actor,
    *,
    division_code: str | None = None,
    status: str | None = None,
    program: str | None = None,
) -> QuerySet[Application]:
    if not actor.has(Perm.VIEW_REGISTRY):
        return Application.objects.none()
    qs = Application.objects.within(actor, division_code)
    if status:
        qs = qs.filter(status=status)
    if program:
        qs = qs.filter(program=program)
    return qs


@dataclass(frozen=True)
class TodoRow:
    application: Application
    remaining: int | None  # working days; None when no time limit runs
    tone: str  # ok / warn (临期) / danger (超期) / neutral

    @property
    def overdue(self) -> bool:
        return self.tone == "danger"


def todo_queryset(actor: Actor, *, division_code: str | None = None) -> QuerySet[Application]:
    q = workflow.todo_filter(actor)
    if q is None:
        return Application.objects.none()
    return Application.objects.within(actor, division_code).filter(q)


def near_due_cutoff(day: dt.date, calendar: WorkCalendar) -> dt.date:
    """Deadlines on or before this date are 临期 (within the display threshold)."""
    return calendar.add_working_days(day, workflow.NEAR_DUE_WORKING_DAYS)


def todo_counts(actor: Actor, *, division_code: str | None = None, calendar: WorkCalendar | None = None) -> dict:
    """Counts by step, with 超期 and 临期 — one aggregate query."""
    calendar = calendar or work_calendar()
    day = today()
    cutoff = near_due_cutoff(day, calendar)
    rows = (
        todo_queryset(actor, division_code=division_code)
        .values("status")
        .annotate(
            total=Count("id"),
            overdue=Count("id", filter=Q(deadline_on__lt=day)),
            near=Count("id", filter=Q(deadline_on__gte=day, deadline_on__lte=cutoff)),
        )
        .order_by()
    )
    by_status = {r["status"]: r for r in rows}
    steps = []
    for status in workflow.STEPS:
        r = by_status.get(status)
        if r:
            steps.append({"status": status, "label": Status(status).label, "total": r["total"], "overdue": r["overdue"], "near": r["near"]})
    return {
        "steps": steps,
        "total": sum(s["total"] for s in steps),
        "overdue": sum(s["overdue"] for s in steps),
        "near": sum(s["near"] for s in steps),
    }


def todo_page(
    actor: Actor,
    *,
    division_code: str | None = None,
    status: str | None = None,
    only: str | None = None,  # "overdue" | "near"
    calendar: WorkCalendar | None = None,
) -> QuerySet[Application]:
    """Cases on this actor's list, most urgent first (deadline, then age)."""
    calendar = calendar or work_calendar()
    day = today()
    qs = todo_queryset(actor, division_code=division_code)
    if status:
        qs = qs.filter(status=status)
    if only == "overdue":
        qs = qs.filter(deadline_on__lt=day)
    elif only == "near":
        qs = qs.filter(deadline_on__gte=day, deadline_on__lte=near_due_cutoff(day, calendar))
    # Cases with a running clock first, soonest deadline first; then the oldest.
    return qs.select_related("applicant").order_by(F("deadline_on").asc(nulls_last=True), "submitted_on", "id")


def decorate(applications, calendar: WorkCalendar | None = None) -> list[TodoRow]:
    """Remaining working days and colour for one page of cases."""
    calendar = calendar or work_calendar()
    day = today()
    cutoff = near_due_cutoff(day, calendar)
    out = []
    for application in applications:
        deadline = application.deadline_on
        if deadline is None or application.status not in (*workflow.STEPS[1:6],):
            out.append(TodoRow(application, None, "neutral"))
            continue
        remaining = calendar.remaining(day, deadline)
        if day > deadline:
            tone = "danger"
        elif deadline <= cutoff:
            tone = "warn"
        else:
            tone = "ok"
        out.append(TodoRow(application, remaining, tone))
    return out


def list_enrolments_for(
    actor: Actor, *, division_code: str | None = None, program: str | None = None, status: str | None = None
) -> QuerySet[Enrolment]:
    if not actor.has(Perm.VIEW_REGISTRY):
        return Enrolment.objects.none()
    qs = Enrolment.objects.within(actor, division_code)
    if program:
        qs = qs.filter(program=program)
    if status:
        qs = qs.filter(status=status)
    return qs


def active_enrolments_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[Enrolment]:
    return list_enrolments_for(actor, division_code=division_code, status=EnrolmentStatus.ACTIVE)


def list_review_tasks_for(actor: Actor, *, division_code: str | None = None, status: str = ReviewStatus.OPEN) -> QuerySet[ReviewTask]:
    if not actor.has(Perm.REVIEW_APPLICATION):
        return ReviewTask.objects.none()
    return ReviewTask.objects.within(actor, division_code).filter(status=status)


def list_batches_for(actor: Actor) -> QuerySet[PaymentBatch]:
    if not (actor.has(Perm.PREPARE_PAYROLL) or actor.has(Perm.APPROVE_PAYROLL)):
        return PaymentBatch.objects.none()
    return PaymentBatch.objects.visible_to(actor)


def advance_paperwork_due(actor: Actor) -> QuerySet[Application]:
    """先行救助 whose papers are not yet complete (late ones flagged by the screen)."""
    return Application.objects.visible_to(actor).filter(
        advance_paid_fen__isnull=False, advance_paperwork_done_on__isnull=True
    ).order_by("advance_paperwork_due_on")


def active_programs_of(actor: Actor, person) -> set[str]:
    """Programs a person is currently covered by: as a person (特困 …) or through their
    household (低保). Other service lines ask this instead of trusting a typed category."""
    from django.db.models import Q

    subject = Q(subject_kind="person", subject_id=person.pk)
    if person.household_id:
        subject |= Q(subject_kind="household", subject_id=person.household_id)
    return set(active_enrolments_for(actor).filter(subject).values_list("program", flat=True))
