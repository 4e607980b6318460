"""Discovery work on the workbench: open 预警 tasks (入户核实, 走访, 复核, 死亡核实). A village
(community) worker sees every open task of their villages; a town or district user the ones a
village escalated (上报) to them — the rest is the villages' work."""

from __future__ import annotations

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.cases.tasks import FeedContext, SourceResult, register_task_source, source_from_queryset
from minzheng.discovery.selectors import list_tasks_for


def discovery_tasks(actor: Actor, context: FeedContext) -> SourceResult | None:
    escalated = actor.level != "village"
    qs = list_tasks_for(actor, escalated=escalated)

    def item(task):
        return context.item(
            label="主动发现",
            title=f"{task.alert.person.name} · {task.alert.get_kind_display()}",
            step=task.get_kind_display() + ("（已上报）" if task.escalated_at else ""),
            url=reverse("discovery:alert", args=[task.alert_id]),
            deadline=task.due_on,
            actions=("办理",),
        )

    list_url = reverse("discovery:task-list") + ("?escalated=1" if escalated else "")
    return source_from_queryset(qs, context, label="主动发现", url=list_url, item=item)


def register() -> None:
    register_task_source("discovery.tasks", discovery_tasks)
