"""Elderly-care work on the workbench: 探访关爱 visits that are overdue or due within three
working days (next visit = last visit, or registration, + the interval of the risk level). A
village (community) worker sees the targets of their villages; anyone else the targets they are
personally responsible for."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.cases.tasks import FeedContext, SourceResult, register_task_source
from minzheng.eldercare.selectors import due_date, list_visit_targets_for, visit_intervals

LABEL = "探访关爱"


def _due_by(intervals: dict[str, int], day: dt.date, *, strictly: bool = False) -> Q:
    """Targets whose next visit falls before (strictly) or on ``day``."""
    lookup = "base__lt" if strictly else "base__lte"
    cond = Q()
    for level, days in intervals.items():
        cond |= Q(risk_level=level, **{lookup: day - dt.timedelta(days=days)})
    return cond


def visits_due(actor: Actor, context: FeedContext) -> SourceResult | None:
    qs = list_visit_targets_for(actor)
    if actor.level != "village":
        qs = qs.filter(responsible_user_id=actor.user_id)
    intervals = visit_intervals(context.today)
    qs = qs.annotate(base=Coalesce("last_visited_on", "registered_on"))
    due = _due_by(intervals, context.cutoff)
    counts = qs.filter(due).aggregate(total=Count("pk"), overdue=Count("pk", filter=_due_by(intervals, context.today, strictly=True)))
    if not counts["total"]:
        return None
    # The soonest per risk level, then merged: the database cannot add a level's interval itself.
    rows = []
    for level, days in intervals.items():
        rows.extend(qs.filter(due, risk_level=level).order_by("base", "pk")[: context.limit])
    rows.sort(key=lambda t: (due_date(t, intervals), t.pk))
    items = [
        context.item(
            label=LABEL,
            title=f"{t.person.name} · {t.get_group_display()}",
            step=f"{t.get_risk_level_display()}，待探访",
            url=reverse("eldercare:visit-target", args=[t.pk]),
            deadline=due_date(t, intervals),
            actions=("登记探访",),
        )
        for t in rows[: context.limit]
    ]
    return SourceResult(
        label=LABEL, total=counts["total"], overdue=counts["overdue"], near=counts["total"] - counts["overdue"],
        items=items, url=reverse("eldercare:visit-list"),
    )  # fmt: skip


def register() -> None:
    register_task_source("eldercare.visits", visits_due)
