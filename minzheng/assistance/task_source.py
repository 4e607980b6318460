"""Assistance work on the workbench that is not a kit case: open review tasks (定期复核,
死亡核销, 渐退期满复核), with their due dates, and raises waiting for a second person (调增待确认,
no deadline: they are paid at the old amount until confirmed)."""

from __future__ import annotations

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.assistance.selectors import list_review_tasks_for, objections_to_answer_for, raises_to_confirm_for
from minzheng.core.money import format_yuan
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


def raises_to_confirm(actor: Actor, context: FeedContext) -> SourceResult | None:
    qs = raises_to_confirm_for(actor).order_by("proposed_on", "pk")

    def item(req):
        return context.item(
            label="调增待确认",
            title=f"{req.enrolment.payee.name} · {format_yuan(req.old_amount_fen)}元 → {format_yuan(req.amount_fen)}元",
            step=f"{req.proposed_by_name}提出",
            url=reverse("assistance:enrolment-detail", args=[req.enrolment_id]),
            deadline=None,
            actions=("确认", "退回"),
        )

    return source_from_queryset(qs, context, label="调增待确认", url=reverse("assistance:enrolments"), item=item, due_field=None)


def objections_to_answer(actor: Actor, context: FeedContext) -> SourceResult | None:
    qs = objections_to_answer_for(actor)

    def item(objection):
        return context.item(
            label="公示异议",
            title=f"{objection.notice.number} 第{objection.entry_index + 1}条",
            step="待核实",
            url=reverse("assistance:objection", args=[objection.pk]),
            deadline=objection.notice.period_end,
            actions=("核实处理",),
        )

    return source_from_queryset(qs, context, label="公示异议", url=reverse("assistance:notices"), item=item, due_field=None)


def register() -> None:
    register_task_source("assistance.objections", objections_to_answer)
    register_task_source("assistance.reviews", review_tasks)
    register_task_source("assistance.raises", raises_to_confirm)
