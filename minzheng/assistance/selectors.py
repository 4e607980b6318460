"""List reads of the casework line, always through visible_to(actor).

The 待办 list is the case kit's task feed (minzheng/cases/tasks.py) over the declared workflow
(workflow.WORKFLOW): which steps this actor may take, the actor's jurisdiction and the cases'
states — there is no separate inbox table to drift.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
from django.db import connection
from django.db.models import Count, Exists, F, Q, QuerySet, Sum

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.assistance.enums import LIVE_ENROLMENT_STATUSES, BatchStatus, OPEN_STATUSES, EnrolmentStatus, Program, ReviewStatus, Status
from minzheng.assistance.models import (
    NoticeObjection,
    AdjustmentRequest,
    AdjustmentStatus,
    Application,
    Enrolment,
    Payment,
    PaymentBatch,
    PublicNotice,
    ReviewTask,
)
from minzheng.assistance.workflow import WORKFLOW
from minzheng.cases import tasks
from minzheng.cases.calendar import WorkCalendar, work_calendar
from minzheng.cases.models import CaseEvent
from minzheng.cases.actions import corrections_of as kit_corrections_of, open_correction
from minzheng.core.clock import today
from minzheng.core.periods import month_start
from minzheng.registry.facts import read_columns, read_frame
from minzheng.registry.models import Person
from minzheng.registry.selectors import current_household_of
from minzheng.core.errors import NotFound


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


def history_of(application: Application) -> QuerySet[CaseEvent]:
    """The case's history (the kit's CaseEvent rows), oldest first; the case itself was read
    through the scoped access path."""
    return CaseEvent.objects.for_case(WORKFLOW, application).order_by("id")


@dataclass(frozen=True)
class TodoRow:
    application: Application
    remaining: int | None  # working days; None when no time limit runs
    tone: str  # ok / warn (临期) / danger (超期) / neutral

    @property
    def overdue(self) -> bool:
        return self.tone == "danger"


def todo_queryset(actor: Actor, *, division_code: str | None = None) -> QuerySet[Application]:
    return tasks.task_queryset(actor, WORKFLOW, division_code=division_code)


def near_due_cutoff(day: dt.date, calendar: WorkCalendar) -> dt.date:
    """Deadlines on or before this date are 临期 (within the display threshold)."""
    return WORKFLOW.due_soon_cutoff(day, calendar)


def todo_counts(actor: Actor, *, division_code: str | None = None, calendar: WorkCalendar | None = None) -> dict:
    """Counts by step, with 超期 and 临期 — one aggregate query."""
    counts = tasks.task_counts(actor, WORKFLOW, division_code=division_code, today=today(), calendar=calendar)
    return {k: counts[k] for k in ("steps", "total", "overdue", "near")}


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
        qs = qs.filter(WORKFLOW.overdue_q(day))
    elif only == "near":
        qs = qs.filter(WORKFLOW.due_soon_q(day, near_due_cutoff(day, calendar)))
    # Cases with a running clock first, soonest deadline first; then the oldest.
    return qs.select_related("applicant").order_by(F("deadline_on").asc(nulls_last=True), "submitted_on", "id")


def decorate(applications, calendar: WorkCalendar | None = None) -> list[TodoRow]:
    """Remaining working days and colour for one page of cases."""
    calendar = calendar or work_calendar()
    day = today()
    cutoff = near_due_cutoff(day, calendar)
    out = []
    for application in applications:
        deadline, remaining, overdue, due_soon = tasks.deadline_status(WORKFLOW, application, today=day, calendar=calendar, cutoff=cutoff)
        tone = "neutral" if deadline is None else "danger" if overdue else "warn" if due_soon else "ok"
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


def raises_to_confirm_for(actor: Actor) -> QuerySet[AdjustmentRequest]:
    """Pending raises (调增待确认) in the actor's divisions that the actor may confirm: at the town
    or the district, not their own proposals."""
    if not actor.has(Perm.REVIEW_APPLICATION) or actor.level not in ("town", "district"):
        return AdjustmentRequest.objects.none()
    return (AdjustmentRequest.objects.visible_to(actor).filter(status=AdjustmentStatus.PENDING).exclude(proposed_by_id=actor.user_id)
            .select_related("enrolment__payee"))  # fmt: skip


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
    subject = Q(subject_kind="person", subject_id=person.pk)
    if person.household_id:
        subject |= Q(subject_kind="household", subject_id=person.household_id)
    return set(active_enrolments_for(actor).filter(subject).values_list("program", flat=True))


def enrolled_subject_ids(program: str, subject_kind: str, subject_ids: list[int]) -> set[int]:
    """Which of these households or persons are enrolled (active or suspended) in the program
    (not scoped: an import is refused for a subject already paid, wherever)."""
    if not subject_ids:
        return set()
    return set(
        Enrolment.objects.filter(
            program=program,
            subject_kind=subject_kind,
            subject_id__in=subject_ids,
            status__in=(EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED),
        ).values_list("subject_id", flat=True)
    )


def payments_of_batch(batch: PaymentBatch) -> QuerySet[Payment]:
    """The payments of a batch the caller has already accessed (access_batch_by_id)."""
    return Payment.objects.filter(batch=batch).select_related("enrolment__payee").order_by("division_code", "id")


def list_notices_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[PublicNotice]:
    if not actor.has(Perm.VIEW_REGISTRY):
        return PublicNotice.objects.none()
    return PublicNotice.objects.within(actor, division_code).order_by("-id")


# ---------------------------------------------------------------------------------------------
# What other lines read of assistance (discovery, screening). They never import its models.
# ---------------------------------------------------------------------------------------------


def live_enrolments(actor: Actor | None = None) -> QuerySet[Enrolment]:
    """Enrolments that still hold (active or suspended), within the actor's jurisdiction when
    one is given (None: all, for the system's own batch work and demo data)."""
    qs = Enrolment.objects.visible_to(actor) if actor is not None else Enrolment.objects.all()
    return qs.filter(status__in=LIVE_ENROLMENT_STATUSES)


def live_enrolment_person_ids(actor: Actor | None = None) -> tuple[QuerySet, QuerySet]:
    """(subject person ids, payee ids) of the live enrolments, as subqueries."""
    live = live_enrolments(actor)
    return live.filter(person__isnull=False).values("person_id"), live.values("payee_id")


def live_enrolment_programs() -> set[str]:
    """The programs that have at least one live enrolment anywhere."""
    return set(live_enrolments().values_list("program", flat=True).distinct())


def temporary_help_since(actor: Actor, since: dt.date) -> tuple[QuerySet[Application], QuerySet[Enrolment]]:
    """Temporary-assistance applications (not refused) submitted since a date, and temporary
    enrolments starting in or after its month: people already being helped."""
    applications = (
        Application.objects.visible_to(actor)
        .filter(program=Program.TEMPORARY, submitted_on__gte=since)
        .exclude(status=Status.REFUSED)
    )
    enrolments = Enrolment.objects.visible_to(actor).filter(program=Program.TEMPORARY, start_month__gte=month_start(since))
    return applications, enrolments


def open_dibao_applications(actor: Actor) -> QuerySet[Application]:
    """Dibao applications submitted or somewhere in the workflow, not yet decided."""
    return Application.objects.visible_to(actor).filter(program=Program.DIBAO, status__in=[Status.SUBMITTED, *OPEN_STATUSES])


def application_made_since(*, household_id, person_id, since) -> Exists:
    """An Exists() of an application for the household or the person made on or after a
    moment; the arguments are expressions (OuterRef) of the caller's query."""
    return Exists(
        Application.objects.filter(Q(household_id=household_id) | Q(person_id=person_id), created_at__gte=since)
    )


def live_enrolment_keys_frame() -> pl.DataFrame:
    """(program, subject_kind, subject_id) of every live enrolment, one statement."""
    qn = connection.ops.quote_name
    statuses = ", ".join(["%s"] * len(LIVE_ENROLMENT_STATUSES))
    sql = f"SELECT program, subject_kind, subject_id FROM {qn(Enrolment._meta.db_table)} WHERE status IN ({statuses})"
    return read_frame(sql, [str(s) for s in LIVE_ENROLMENT_STATUSES], {"program": pl.Utf8, "subject_kind": pl.Utf8, "subject_id": pl.Int64})


CURRENT_ENROLMENT_SCHEMA: dict[str, pl.DataType] = {
    "enrolment_id": pl.Int64,
    "program": pl.Utf8,
    "subject_kind": pl.Utf8,
    "subject_id": pl.Int64,
    "enrolled_amount_fen": pl.Int64,
    "status": pl.Utf8,
    "enrolment_division_code": pl.Utf8,
    "enrolment_household_id": pl.Int64,
    "enrolment_person_id": pl.Int64,
    "subject_deceased": pl.Int64,
    "payee_deceased": pl.Int64,
    "people_covered": pl.Int64,
}


def current_enrolments_frame(programs: tuple[str, ...], month_start: dt.date) -> pl.DataFrame:
    """Live enrolments of the programs whose months cover the month, with whether the subject
    person and the payee are recorded as deceased (booleans). One SQL statement."""
    qn = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(programs))
    statuses = ", ".join(["%s"] * len(LIVE_ENROLMENT_STATUSES))
    # Joined with the deceased only, read off the partial index person_deceased_idx (whose
    # predicate the condition must repeat literally): joining all 1.15 M people made
    # PostgreSQL hash them all (0.76 s at scale 1.0; 0.03 s this way).
    flag = "is_deceased" if connection.vendor == "postgresql" else "is_deceased = 1"
    deceased = f"(SELECT id FROM {qn(Person._meta.db_table)} WHERE {flag})"
    if connection.vendor == "postgresql":
        joins = (
            f" LEFT JOIN {deceased} sd ON e.subject_kind = 'person' AND sd.id = e.subject_id"
            f" LEFT JOIN {deceased} pd ON pd.id = e.payee_id"
        )
        subject_dead, payee_dead = "CASE WHEN sd.id IS NULL THEN 0 ELSE 1 END", "CASE WHEN pd.id IS NULL THEN 0 ELSE 1 END"
    else:
        # SQLite turns those joins into a primary-key lookup of each enrolment's person (cold
        # reads of wide rows: 0.3 s in a new process); IN (…) reads the partial index once
        # (0.03 s). PostgreSQL is the other way round (30 ms joined, 60 ms with IN).
        joins = ""
        subject_dead = f"CASE WHEN e.subject_kind = 'person' AND e.subject_id IN {deceased} THEN 1 ELSE 0 END"
        payee_dead = f"CASE WHEN e.payee_id IN {deceased} THEN 1 ELSE 0 END"
    columns = [
        "e.id", "e.program", "e.subject_kind", "e.subject_id", "e.amount_fen", "e.status", "e.division_code",
        "e.household_id", "e.person_id", subject_dead, payee_dead, "e.people_covered",
    ]  # fmt: skip
    rest = (
        f"FROM {qn(Enrolment._meta.db_table)} e{joins}"
        f" WHERE e.status IN ({statuses}) AND e.program IN ({marks})"
        " AND e.start_month <= %s AND (e.end_month IS NULL OR e.end_month >= %s)"
    )
    params = [*(str(s) for s in LIVE_ENROLMENT_STATUSES), *programs, month_start, month_start]
    # Codes only among the text columns: the CSV read of read_columns (≈ 4 × faster than rows
    # through the SQLite driver for the ~80,000 enrolments of the district).
    frame = read_columns(list(zip(columns, CURRENT_ENROLMENT_SCHEMA, strict=True)), rest, params, CURRENT_ENROLMENT_SCHEMA)
    return frame.with_columns(pl.col("subject_deceased") == 1, pl.col("payee_deceased") == 1)


def payment_totals(actor: Actor, *, programs: tuple[str, ...], period: str, division_code: str | None = None) -> dict[str, dict]:
    """What the payroll paid for each program in a month, within the actor's divisions: the
    persons paid (distinct subjects), the payments and the amount in fen — from the batches
    of that month (prepared or approved). Other lines (children's dashboard) read it here."""
    out = {p: {"persons": 0, "payments": 0, "amount_fen": 0, "approved": False} for p in programs}
    if not actor.has(Perm.VIEW_REGISTRY):
        return out
    rows = (
        Payment.objects.within(actor, division_code)
        .filter(program__in=programs, period=period)
        .values("program")
        .annotate(persons=Count("subject_id", distinct=True), payments=Count("id"), amount_fen=Sum("amount_fen"))
    )
    for r in rows:
        out[r["program"]].update(persons=r["persons"], payments=r["payments"], amount_fen=r["amount_fen"] or 0)
    approved = PaymentBatch.objects.filter(program__in=programs, period=period, status=BatchStatus.APPROVED).values_list("program", flat=True)
    for p in approved:
        out[p]["approved"] = True
    return out


def applications_of_family(person: Person) -> QuerySet[Application]:
    """A citizen's own cases (issue 22): those they applied for, those of which they are the
    subject, and those of their current household — nobody else's. Newest first."""
    household = current_household_of(person)
    mine = Q(applicant=person) | Q(person=person)
    if household is not None:
        mine |= Q(household=household)
    return Application.objects.filter(mine).order_by("-submitted_on", "-id")


def application_of_family(person: Person, application_id: object) -> Application:
    """One of ``person``'s family's cases, else NotFound (missing and not theirs alike)."""
    try:
        pk = int(str(application_id))
    except ValueError:
        raise NotFound() from None
    application = applications_of_family(person).filter(pk=pk).first()
    if application is None:
        raise NotFound()
    return application


def corrections_of(application: Application):
    """The case's 补正 requests and answers, oldest first (the case was reached through scoping
    or the family's own cases)."""
    return kit_corrections_of(WORKFLOW, application)


def open_correction_of(application: Application):
    return open_correction(WORKFLOW, application)


# Who has the case now, in the words a family understands (the citizens' site).
_HANDLER = {
    Status.SUBMITTED: "乡镇（街道）受理",
    Status.INVESTIGATION: "村（社区）、乡镇（街道）入户调查",
    Status.ECONOMIC_CHECK: "乡镇（街道）核对家庭经济状况",
    Status.REVIEW: "乡镇（街道）审核",
    Status.PUBLICITY: "在村（社区）公示",
    Status.APPROVED: "已办结",
    Status.REFUSED: "已办结",
    Status.ARCHIVED: "已办结",
}


def handler_of(application: Application) -> str:
    if application.status == Status.CONFIRMATION:
        return "乡镇（街道）审核确认" if application.confirm_level == "town" else "区民政局审核确认"
    return _HANDLER.get(application.status, "")


def objections_to_answer_for(actor: Actor) -> QuerySet[NoticeObjection]:
    """公示异议 not yet answered in the actor's divisions, for those who may answer them (the
    town's and the district's reviewers), oldest first."""
    if not actor.has(Perm.REVIEW_APPLICATION) or actor.level not in ("town", "district"):
        return NoticeObjection.objects.none()
    return NoticeObjection.objects.visible_to(actor).filter(answered_at__isnull=True).select_related("notice").order_by("raised_at", "pk")


def objections_of(application: Application) -> QuerySet[NoticeObjection]:
    """The objections that reached this case (read through the case's scoped access path)."""
    return application.objections.select_related("notice").order_by("raised_at", "pk")


def current_notices(*, town_code: str = "") -> QuerySet[PublicNotice]:
    """The notices whose period runs today, newest first (the citizens' site reads them without
    signing in: they hold only ENTRY_FIELDS)."""
    day = today()
    qs = PublicNotice.objects.filter(period_start__lte=day, period_end__gte=day)
    if town_code:
        qs = qs.filter(division_code__startswith=town_code)
    return qs.order_by("-period_start", "-id")


def current_notice(notice_id: object) -> PublicNotice:
    try:
        pk = int(str(notice_id))
    except ValueError:
        raise NotFound() from None
    notice = current_notices().filter(pk=pk).first()
    if notice is None:
        raise NotFound()
    return notice
