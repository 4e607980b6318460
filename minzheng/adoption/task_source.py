"""Adoption work on the workbench besides the kit's case steps: 回访 (follow-up visits after
registration) due within three working days or overdue, for the town and the district."""

from __future__ import annotations

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.adoption.enums import VisitStatus
from minzheng.adoption.permissions import AdoptionPerm
from minzheng.adoption.selectors import list_visits_for
from minzheng.cases.tasks import (
    FeedContext,
    SourceResult,
    register_task_source,
    source_from_queryset,
)
from minzheng.core.masking import mask_name

LABEL = "收养回访"


def visits_due(actor: Actor, context: FeedContext) -> SourceResult | None:
    if not actor.has(AdoptionPerm.VISIT_ADOPTION) or actor.level not in ("town", "district"):
        return None
    qs = list_visits_for(actor).filter(status=VisitStatus.DUE, due_on__lte=context.cutoff)

    def item(visit):
        return context.item(
            label=LABEL,
            title=f"{visit.adoption.number} · 第{visit.sequence}次回访（{mask_name(visit.adoption.child.name)}）",
            step="待回访",
            url=reverse("adoption:detail", args=[visit.adoption_id]),
            deadline=visit.due_on,
            actions=("登记回访",),
        )

    result = source_from_queryset(qs, context, label=LABEL, url=reverse("adoption:visits"), item=item, due_field="due_on")
    return result if result.total else None


def register() -> None:
    register_task_source("adoption.visits", visits_due)
