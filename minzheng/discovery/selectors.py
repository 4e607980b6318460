"""Reads of active discovery: always through visible_to(actor) / access_by_id (scoping.py)."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, OuterRef, Q, QuerySet
from django.db.models.functions import Substr

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id
from minzheng.assistance.selectors import application_made_since
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.discovery.enums import AlertKind, LeftBehindCategory, TaskKind, TaskOutcome, TaskStatus
from minzheng.discovery.models import Alert, LeftBehind, Signal, Task, VisitPhoto
from minzheng.divisions.directory import get_directory


def _can_read(actor: Actor) -> bool:
    return actor.has(Perm.VIEW_REGISTRY)


def list_alerts_for(
    actor: Actor, *, division_code: str | None = None, kind: str = "", status: str = "", program: str = ""
) -> QuerySet[Alert]:
    if not _can_read(actor):
        return Alert.objects.none()
    qs = Alert.objects.within(actor, division_code).select_related("person", "task")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if program:
        qs = qs.filter(program=program)
    return qs.order_by("-id")


def list_tasks_for(
    actor: Actor,
    *,
    division_code: str | None = None,
    status: str = TaskStatus.OPEN,
    mine: bool = False,
    overdue: bool = False,
    escalated: bool = False,
    kind: str = "",
    today: dt.date | None = None,
) -> QuerySet[Task]:
    if not _can_read(actor):
        return Task.objects.none()
    qs = Task.objects.within(actor, division_code).select_related("alert", "alert__person")
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(assignee_id=actor.user_id)
    if overdue:
        qs = qs.filter(due_on__lt=today or clock.today())
    if escalated:
        qs = qs.filter(escalated_at__isnull=False)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("due_on", "id")


def access_alert_by_id(actor: Actor, alert_id: object) -> Alert:
    actor.require(Perm.VIEW_REGISTRY)
    alert = access_by_id(Alert.objects.select_related("person", "task", "signal"), actor, alert_id)
    record_audit_event(
        actor,
        AuditAction.VIEW,
        object_type="discovery_alert",
        object_id=alert.pk,
        division_code=alert.division_code,
        summary=f"查看预警 {alert.get_kind_display()}：{alert.person.name}（{alert.person.id_number_masked}）",
    )
    return alert


def access_signal_by_id(actor: Actor, signal_id: object) -> Signal:
    """One matched row of a department feed (e.g. a 残联 certificate row another line takes an
    application from): scoped, the same NotFound for missing and not yours."""
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(Signal.objects.select_related("person"), actor, signal_id)


def access_task_by_id(actor: Actor, task_id: object) -> Task:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(Task.objects.select_related("alert", "alert__person"), actor, task_id)


def list_left_behind_for(
    actor: Actor,
    *,
    division_code: str | None = None,
    category: str = "",
    due_only: bool = False,
    active: bool = True,
    today: dt.date | None = None,
) -> QuerySet[LeftBehind]:
    if not _can_read(actor):
        return LeftBehind.objects.none()
    qs = LeftBehind.objects.within(actor, division_code).select_related("person")
    if active:
        qs = qs.filter(active=True)
    if category:
        qs = qs.filter(category=category)
    if due_only:
        qs = qs.filter(next_visit_due__lte=today or clock.today())
    return qs.order_by("next_visit_due", "id")


def access_left_behind_by_id(actor: Actor, entry_id: object, *, audit: bool = True) -> LeftBehind:
    actor.require(Perm.VIEW_REGISTRY)
    entry = access_by_id(LeftBehind.objects.select_related("person", "responsible"), actor, entry_id)
    if audit:
        record_audit_event(
            actor,
            AuditAction.VIEW,
            object_type="left_behind",
            object_id=entry.pk,
            division_code=entry.division_code,
            summary=f"查看三留守人员 {entry.person.name}（{entry.person.id_number_masked}）",
        )
    return entry


def access_photo_by_id(actor: Actor, photo_id: object) -> VisitPhoto:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(VisitPhoto.objects.all(), actor, photo_id)


# ---------------------------------------------------------------------------------------------
# Dashboard
# ---------------------------------------------------------------------------------------------


@dataclass
class Dashboard:
    kinds: list[tuple[str, str]]
    rows: list[dict]  # per town: {code, name, counts: {kind: n}, total}
    totals: dict[str, int]
    open_tasks: int = 0
    overdue_tasks: int = 0
    escalated_tasks: int = 0
    done_tasks: int = 0
    median_response_days: float | None = None
    mean_response_days: float | None = None
    became_applications: int = 0
    assessable_done: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    left_behind: dict[str, int] = field(default_factory=dict)
    visits_due: int = 0

    @property
    def application_share(self) -> float | None:
        if not self.assessable_done:
            return None
        return self.became_applications / self.assessable_done


def _application_exists():
    """An assistance application for the alert's household or person, made on or after the alert."""
    return application_made_since(
        household_id=OuterRef("alert__household_id"),
        person_id=OuterRef("alert__person_id"),
        since=OuterRef("alert__created_at"),
    )


def dashboard_for(actor: Actor, *, division_code: str | None = None, since: dt.date | None = None, today: dt.date | None = None) -> Dashboard:
    """Alerts by town and kind, response times and the share that became applications — all
    within the actor's scope (and the division picked in the tree)."""
    today = today or clock.today()
    directory = get_directory()
    alerts = list_alerts_for(actor, division_code=division_code)
    tasks = list_tasks_for(actor, division_code=division_code, status="")
    if since:
        alerts = alerts.filter(created_at__date__gte=since)
        tasks = tasks.filter(created_at__date__gte=since)
    counts = alerts.order_by().annotate(town=Substr("division_code", 1, 9)).values("town", "kind").annotate(n=Count("id"))
    rows: dict[str, dict] = {}
    totals: dict[str, int] = {k: 0 for k in AlertKind.values}
    for item in counts:
        row = rows.setdefault(item["town"], {"code": item["town"], "name": directory.name(item["town"]), "counts": {}, "total": 0})
        row["counts"][item["kind"]] = item["n"]
        row["total"] += item["n"]
        totals[item["kind"]] = totals.get(item["kind"], 0) + item["n"]
    board = Dashboard(kinds=list(AlertKind.choices), rows=sorted(rows.values(), key=lambda r: r["code"]), totals=totals)
    open_tasks = tasks.filter(status=TaskStatus.OPEN)
    board.open_tasks = open_tasks.count()
    board.overdue_tasks = open_tasks.filter(due_on__lt=today).count()
    board.escalated_tasks = open_tasks.filter(escalated_at__isnull=False).count()
    done = tasks.filter(status=TaskStatus.DONE)
    durations = [
        (outcome_at - created).total_seconds() / 86400 for created, outcome_at in done.values_list("created_at", "outcome_at") if outcome_at
    ]
    board.done_tasks = len(durations)
    if durations:
        board.median_response_days = round(statistics.median(durations), 1)
        board.mean_response_days = round(statistics.fmean(durations), 1)
    board.outcomes = {o: n for o, n in done.order_by().values_list("outcome").annotate(n=Count("id"))}
    assessable = done.exclude(kind__in=(TaskKind.STOP_PAYMENT, TaskKind.VERIFY_DEATH))
    board.assessable_done = assessable.count()
    board.became_applications = (
        assessable.annotate(applied=_application_exists()).filter(Q(outcome=TaskOutcome.APPLICATION_STARTED) | Q(applied=True)).count()
    )
    left = list_left_behind_for(actor, division_code=division_code)
    board.left_behind = {c: 0 for c in LeftBehindCategory.values}
    board.left_behind.update({c: n for c, n in left.order_by().values_list("category").annotate(n=Count("id"))})
    board.visits_due = left.filter(next_visit_due__lte=today).count()
    return board


__all__ = [
    "Dashboard",
    "access_alert_by_id",
    "access_left_behind_by_id",
    "access_photo_by_id",
    "access_task_by_id",
    "dashboard_for",
    "list_alerts_for",
    "list_left_behind_for",
    "list_tasks_for",
]
