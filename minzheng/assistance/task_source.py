"""Assistance work on the workbench that is not a kit case: open review tasks (定期复核,
死亡核销, 渐退期满复核), with their due dates."""

from __future__ import annotations

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.assistance.selectors import list_review_tasks_for
from minzheng.cases.tasks import FeedContext, SourceResult, register_task_source, source_from_queryset


def review_tasks(actor: Actor, context: FeedContext) -> SourceResult | None:
    qs = list_review_tasks_for(actor).select_related("enrolment__payee")

    def item(task):
        return context.item(
            label="保障对象复核",
            title=f"{task.enrolment.payee.name} · {task.get_program_display()}",
            step=task.get_kind_display(),
            url=reverse("assistance:review-detail", args=[task.pk]),
            deadline=task.due_on,
            actions=("复核",),
        )

    return source_from_queryset(qs, context, label="保障对象复核", url=reverse("assistance:reviews"), item=item)


def register() -> None:
    register_task_source("assistance.reviews", review_tasks)
