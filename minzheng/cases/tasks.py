"""The open-task feed: every open case a user may act on, across every registered workflow.

Derived from the workflows' transition tables, the actor's jurisdiction and the cases' states
— there is no inbox table to drift. A case is on a user's list when a forward transition
(``task=True``) leaves its state and the user's role and level may take it; each task carries
its step, its deadline, the working days left, and whether it is overdue or due soon
(within the workflow's ``due_soon_working_days``, three by default).

Work that is not a kit case yet (assistance review tasks, discovery tasks, eldercare visits
due, planning values awaiting approval) joins the same feed through *task sources*: each app
registers ``register_task_source(key, source)`` from its ``ready()``; ``workbench_feed`` asks
every workflow and every source, so the shell (web) imports no app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.cases.calendar import WorkCalendar, work_calendar
from minzheng.cases.registry import registered_workflows
from minzheng.cases.workflow import Workflow
from minzheng.core import clock


@dataclass(frozen=True)
class Task:
    workflow: Workflow
    case: object
    step: str  # the state's label
    actions: tuple[str, ...]  # what this user may do here (labels)
    deadline: dt.date | None  # the deadline running in this state
    remaining: int | None  # working days left (0 on the day, negative once past)
    overdue: bool
    due_soon: bool

    @property
    def tone(self) -> str:
        """danger (超期) / warn (临期) / ok / neutral (no clock runs)."""
        if self.deadline is None:
            return "neutral"
        return "danger" if self.overdue else "warn" if self.due_soon else "ok"

    @property
    def label(self) -> str:
        return self.workflow.label

    @property
    def title(self) -> str:
        return self.workflow.describe(self.case)

    @property
    def url(self) -> str:
        return self.workflow.url(self.case) if self.workflow.url else ""


def task_queryset(actor: Actor, workflow: Workflow, *, division_code: str | None = None) -> QuerySet:
    """The cases of one workflow on this actor's list (a callable level is checked again in
    task_rows)."""
    q, _ = workflow.task_filter(actor)
    model = workflow.model_class
    if q is None:
        return model.objects.none()
    return model.objects.within(actor, division_code).filter(q)


def ordered(qs: QuerySet) -> QuerySet:
    """Cases with a running clock first, soonest deadline first; then the oldest."""
    return qs.order_by(F("deadline_on").asc(nulls_last=True), "id")


def deadline_status(
    workflow: Workflow, case, *, today: dt.date, calendar: WorkCalendar, cutoff: dt.date | None = None
) -> tuple[dt.date | None, int | None, bool, bool]:
    """(deadline running in the case's state, working days left, overdue, due soon)."""
    deadline = workflow.deadline_of(case)
    if deadline is None:
        return None, None, False, False
    cutoff = cutoff or workflow.due_soon_cutoff(today, calendar)
    return deadline, calendar.remaining(today, deadline), today > deadline, today <= deadline <= cutoff


def task_rows(
    actor: Actor, workflow: Workflow, cases, *, today: dt.date | None = None, calendar: WorkCalendar | None = None
) -> list[Task]:
    """Decorate cases (one page) with step, actions, deadline and tone."""
    day = today or clock.today()
    calendar = calendar or work_calendar()
    cutoff = workflow.due_soon_cutoff(day, calendar)
    _, post = workflow.task_filter(actor)
    out = []
    for case in cases:
        if post and not workflow.is_task_for(actor, case):
            continue
        deadline, remaining, overdue, due_soon = deadline_status(workflow, case, today=day, calendar=calendar, cutoff=cutoff)
        labels = tuple(dict.fromkeys(t.label for t in workflow.allowed(actor, case) if t.task))
        out.append(
            Task(
                workflow=workflow,
                case=case,
                step=workflow.state_label(case.status),
                actions=labels,
                deadline=deadline,
                remaining=remaining,
                overdue=overdue,
                due_soon=due_soon,
            )
        )
    return out


def open_tasks_for(
    actor: Actor,
    *,
    division_code: str | None = None,
    today: dt.date | None = None,
    limit_per_workflow: int = 200,
    workflows: tuple[Workflow, ...] | None = None,
) -> list[Task]:
    """The workbench feed: overdue first, then by deadline, then cases without a clock."""
    day = today or clock.today()
    calendar = work_calendar()
    tasks: list[Task] = []
    for workflow in workflows or registered_workflows():
        qs = ordered(task_queryset(actor, workflow, division_code=division_code))[:limit_per_workflow]
        tasks.extend(task_rows(actor, workflow, qs, today=day, calendar=calendar))
    return sorted(tasks, key=lambda t: (not t.overdue, t.deadline or dt.date.max, t.case.pk))


def task_counts(
    actor: Actor,
    workflow: Workflow,
    *,
    division_code: str | None = None,
    today: dt.date | None = None,
    calendar: WorkCalendar | None = None,
) -> dict:
    """Counts by step with 超期 and 临期 — one aggregate query. Steps in the order declared."""
    day = today or clock.today()
    cutoff = workflow.due_soon_cutoff(day, calendar)
    qs = task_queryset(actor, workflow, division_code=division_code)
    if workflow.task_filter(actor)[1]:
        # A callable level: the database cannot tell whose step it is; count in Python.
        tasks = task_rows(actor, workflow, qs, today=day, calendar=calendar)
        by_status: dict[str, dict] = {}
        for t in tasks:
            r = by_status.setdefault(t.case.status, {"total": 0, "overdue": 0, "near": 0})
            r["total"] += 1
            r["overdue"] += t.overdue
            r["near"] += t.due_soon
        return _summary(workflow, by_status)
    rows = (
        qs.values("status")
        .annotate(
            total=Count("id"),
            overdue=Count("id", filter=workflow.overdue_q(day)),
            near=Count("id", filter=workflow.due_soon_q(day, cutoff)),
        )
        .order_by()
    )
    return _summary(workflow, {r["status"]: r for r in rows})


def _summary(workflow: Workflow, by_status: dict) -> dict:
    steps = []
    for state in workflow.states:
        r = by_status.get(state.code)
        if r:
            steps.append({"status": state.code, "label": state.label, "total": r["total"], "overdue": r["overdue"], "near": r["near"]})
    return {
        "workflow": workflow.name,
        "label": workflow.label,
        "steps": steps,
        "total": sum(s["total"] for s in steps),
        "overdue": sum(s["overdue"] for s in steps),
        "near": sum(s["near"] for s in steps),
    }


def task_counts_for(actor: Actor, *, today: dt.date | None = None) -> list[dict]:
    """The workbench summary: one row per workflow that has tasks for this actor."""
    calendar = work_calendar()
    out = []
    for workflow in registered_workflows():
        counts = task_counts(actor, workflow, today=today, calendar=calendar)
        if counts["total"]:
            out.append(counts)
    return out


# --- task sources: open work that is not a kit case (yet) ---------------------------------


@dataclass(frozen=True)
class FeedItem:
    """One open task of a task source, shaped like ``Task`` for the workbench."""

    label: str  # the line / kind of work (业务)
    title: str
    step: str
    url: str = ""
    actions: tuple[str, ...] = ()
    deadline: dt.date | None = None
    remaining: int | None = None
    overdue: bool = False
    due_soon: bool = False

    @property
    def tone(self) -> str:
        if self.deadline is None:
            return "neutral"
        return "danger" if self.overdue else "warn" if self.due_soon else "ok"


@dataclass(frozen=True)
class FeedContext:
    """What a source needs to date its items: today, the work calendar, the 临期 cutoff (three
    working days ahead) and how many items the workbench shows at most."""

    today: dt.date
    calendar: WorkCalendar
    cutoff: dt.date
    limit: int

    def item(self, *, label: str, title: str, step: str, url: str = "", deadline: dt.date | None = None,
             actions: tuple[str, ...] = ()) -> FeedItem:
        if deadline is None:
            return FeedItem(label=label, title=title, step=step, url=url, actions=actions)
        return FeedItem(
            label=label, title=title, step=step, url=url, actions=actions, deadline=deadline,
            remaining=self.calendar.remaining(self.today, deadline),
            overdue=self.today > deadline, due_soon=self.today <= deadline <= self.cutoff,
        )  # fmt: skip


@dataclass(frozen=True)
class SourceResult:
    """A source's answer for one actor: its counts and its most urgent items (at most
    ``FeedContext.limit``); ``url`` is the list where the rest is."""

    label: str
    total: int
    overdue: int = 0
    near: int = 0
    items: list[FeedItem] = field(default_factory=list)
    url: str = ""


def source_from_queryset(
    qs: QuerySet, context: FeedContext, *, label: str, url: str, item: Callable[[object], FeedItem],
    due_field: str | None = "due_on",
) -> SourceResult:
    """A source whose open tasks are the rows of one queryset (with a date field ``due_field``
    as the deadline, or none): the counts in one aggregate query, the ``limit`` soonest rows
    through ``item``."""
    if due_field is None:
        total = qs.count()
        return SourceResult(label=label, total=total, items=[item(r) for r in qs[: context.limit]] if total else [], url=url)
    counts = qs.order_by().aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(**{f"{due_field}__lt": context.today})),
        near=Count("pk", filter=Q(**{f"{due_field}__gte": context.today, f"{due_field}__lte": context.cutoff})),
    )
    items = [item(r) for r in qs.order_by(due_field, "pk")[: context.limit]] if counts["total"] else []
    return SourceResult(label=label, total=counts["total"], overdue=counts["overdue"], near=counts["near"], items=items, url=url)


TaskSource = Callable[[Actor, FeedContext], "SourceResult | None"]

_SOURCES: dict[str, TaskSource] = {}


def register_task_source(key: str, source: TaskSource) -> None:
    """Add (or replace, on a second ready()) a source of open tasks for the workbench."""
    _SOURCES[key] = source


def registered_task_sources() -> dict[str, TaskSource]:
    return dict(_SOURCES)


def workbench_feed(actor: Actor, *, today: dt.date | None = None, limit: int = 20) -> tuple[list[dict], list]:
    """(one summary row per workflow or source with open tasks, the ``limit`` most urgent
    tasks of all of them: overdue first, then by deadline, then those without a clock)."""
    day = today or clock.today()
    calendar = work_calendar()
    counts = task_counts_for(actor, today=day)
    tasks: list = list(open_tasks_for(actor, today=day, limit_per_workflow=limit))
    context = FeedContext(today=day, calendar=calendar, cutoff=calendar.add_working_days(day, 3), limit=limit)
    for key, source in registered_task_sources().items():
        result = source(actor, context)
        if result is None or not result.total:
            continue
        counts.append({"workflow": key, "label": result.label, "total": result.total, "overdue": result.overdue,
                       "near": result.near, "url": result.url})  # fmt: skip
        tasks.extend(result.items[:limit])
    tasks.sort(key=lambda t: (not t.overdue, t.deadline or dt.date.max))
    return counts, tasks[:limit]
