"""Rescue work on the workbench: people in the station past their stay limit (超期滞留), for
the station's staff; people in hospital past the review days (在院超期复核), for the station's
staff; 防走失 checks due (January / July) for the villages."""

from __future__ import annotations

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.cases.tasks import (
    FeedContext,
    SourceResult,
    register_task_source,
    source_from_queryset,
)
from minzheng.rescue.selectors import hospital_days, list_cases_for, list_hospital_stays_for, list_wandering_for

OVERSTAY = "超期在站"
WANDERING = "易流浪走失人员核查"
HOSPITAL = "在院超期复核"


def overstay_source(actor: Actor, context: FeedContext) -> SourceResult | None:
    # Due on the last day of the stay: overdue from the day after, 临期 within three working days.
    qs = list_cases_for(actor, present=True).filter(stay_until__lte=context.cutoff)
    result = source_from_queryset(
        qs, context, label=OVERSTAY, url=reverse("rescue:case-list") + "?present=1",
        due_field="stay_until",
        item=lambda case: context.item(
            label=OVERSTAY, title=case.number, step=f"{case.get_status_display()}，在站期限{case.stay_until:%Y-%m-%d}",
            url=reverse("rescue:case-detail", args=[case.pk]), deadline=case.stay_until, actions=("延长在站期限",),
        ),
    )  # fmt: skip
    return result if result.total else None


def wandering_source(actor: Actor, context: FeedContext) -> SourceResult | None:
    qs = list_wandering_for(actor).filter(next_check_on__lte=context.cutoff)
    result = source_from_queryset(
        qs, context, label=WANDERING, url=reverse("rescue:wandering-list"), due_field="next_check_on",
        item=lambda e: context.item(
            label=WANDERING, title=e.person.name, step="半年核查", url=reverse("rescue:wandering-detail", args=[e.pk]),
            deadline=e.next_check_on, actions=("核查",),
        ),
    )  # fmt: skip
    return result if result.total else None


def hospital_source(actor: Actor, context: FeedContext) -> SourceResult | None:
    # An open 送医救治 past the review days (parameter hospital.review_days, working default).
    qs = list_hospital_stays_for(actor, open_only=True).filter(review_on__lte=context.cutoff)
    result = source_from_queryset(
        qs, context, label=HOSPITAL, url=reverse("rescue:home") + "#in-hospital", due_field="review_on",
        item=lambda stay: context.item(
            label=HOSPITAL, title=stay.case.number,
            step=f"{stay.hospital}，{stay.sent_on:%Y-%m-%d}送医，在院{hospital_days(stay, context.today)}天",
            url=reverse("rescue:case-detail", args=[stay.case_id]), deadline=stay.review_on, actions=("登记出院结果",),
        ),
    )  # fmt: skip
    return result if result.total else None


def register() -> None:
    register_task_source("rescue.overstay", overstay_source)
    register_task_source("rescue.wandering", wandering_source)
    register_task_source("rescue.hospital", hospital_source)
