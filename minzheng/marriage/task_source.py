"""The divorce calendar on the workbench (待办 with deadlines): applications in their cooling-off
period (deadline: the last day either party may withdraw) and those awaiting both parties
(deadline: the last day to register, after which the sweep deems them withdrawn)."""

from __future__ import annotations

from django.db.models import Case, F, When
from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.cases.tasks import (
    FeedContext,
    SourceResult,
    register_task_source,
    source_from_queryset,
)
from minzheng.marriage.enums import DivorceStatus
from minzheng.marriage.permissions import MarriagePerm
from minzheng.marriage.selectors import list_divorces_for

LABEL = "离婚冷静期"


def divorces_due(actor: Actor, context: FeedContext) -> SourceResult | None:
    if not actor.has(MarriagePerm.REGISTER_MARRIAGE) or actor.level != "district":
        return None
    qs = list_divorces_for(actor).filter(status__in=(DivorceStatus.ACCEPTED, DivorceStatus.AWAITING_ISSUE))

    qs = qs.annotate(due_on=Case(When(status=DivorceStatus.ACCEPTED, then=F("cooling_end_on")), default=F("issue_deadline_on")))

    def item(d):
        if d.status == DivorceStatus.ACCEPTED:
            return context.item(label=LABEL, title=f"{d.number} · 冷静期", step="冷静期（可撤回）", url=reverse("marriage:divorce-detail", args=[d.pk]),
                                deadline=d.cooling_end_on, actions=("撤回离婚申请",))  # fmt: skip
        return context.item(label=LABEL, title=f"{d.number} · 待双方到场", step="待双方到场登记", url=reverse("marriage:divorce-detail", args=[d.pk]),
                            deadline=d.issue_deadline_on, actions=("准予离婚登记", "不予登记"))  # fmt: skip

    result = source_from_queryset(qs, context, label=LABEL, url=reverse("marriage:divorces") + "?status=open", item=item, due_field="due_on")
    return result if result.total else None


def register() -> None:
    register_task_source("marriage.divorces", divorces_due)
