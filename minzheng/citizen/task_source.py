"""群众留言 on the workbench (待办): the unanswered messages of the actor's topics and divisions,
with the answer deadline (working days) — overdue ones counted and shown as such."""

from __future__ import annotations

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.cases.tasks import FeedContext, SourceResult, register_task_source, source_from_queryset
from minzheng.citizen.messages import messages_to_answer_for


def messages_to_answer(actor: Actor, context: FeedContext) -> SourceResult | None:
    qs = messages_to_answer_for(actor)

    def item(message):
        return context.item(
            label="群众留言",
            title=f"{message.number} · {message.get_topic_display()}",
            step="待答复",
            url=reverse("citizen_staff:message", args=[message.pk]),
            deadline=message.due_on,
            actions=("答复",),
        )

    return source_from_queryset(qs, context, label="群众留言", url=reverse("citizen_staff:messages"), item=item)


def register() -> None:
    register_task_source("citizen.messages", messages_to_answer)
