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
from minzheng.registry.enums import JoinRequestSource
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.selectors import join_requests_for

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


HOUSEHOLD_LABEL = "家庭户变更"


def household_changes_due(actor: Actor, context: FeedContext) -> SourceResult | None:
    """For the village (and the town): a spouse to put in one of its households at the couple's
    request, sent by the marriage registry. No time limit is set by any source: no deadline."""
    if not actor.has(RegistryPerm.EDIT_REGISTRY):
        return None
    qs = join_requests_for(actor, status="pending", source=JoinRequestSource.MARRIAGE)
    url = reverse("registry:join-requests")

    def item(r):
        return context.item(label=HOUSEHOLD_LABEL, title=f"{r.person.name} 婚入 {r.household.label}", step="待办理",
                            url=url, deadline=None, actions=("办理", "不予办理"))  # fmt: skip

    result = source_from_queryset(qs, context, label=HOUSEHOLD_LABEL, url=url, item=item, due_field=None)
    return result if result.total else None


def register() -> None:
    register_task_source("marriage.divorces", divorces_due)
    register_task_source("marriage.household_changes", household_changes_due)
