"""Planning work on the workbench: hand-entered indicator values waiting for the district's
approval (填报审核). No deadline runs on them; the oldest first."""

from __future__ import annotations

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.cases.tasks import FeedContext, SourceResult, register_task_source, source_from_queryset
from minzheng.divisions.directory import get_directory
from minzheng.planning.enums import SubmissionStatus
from minzheng.planning.selectors import submissions_for

LABEL = "指标填报审核"


def pending_submissions(actor: Actor, context: FeedContext) -> SourceResult | None:
    if not (actor.has(Perm.APPROVE_INDICATORS) and actor.level == "district"):
        return None
    qs = submissions_for(actor).filter(status=SubmissionStatus.PENDING).select_related("indicator").order_by("submitted_at", "pk")
    directory = get_directory()
    url = reverse("planning:submissions")

    def item(sub):
        period = f"{sub.year}年" + (f"{sub.month}月" if 1 <= sub.month <= 12 else "")
        return context.item(
            label=LABEL,
            title=f"{sub.indicator.name} · {directory.name(sub.division_code)} · {period}",
            step=sub.get_status_display(),
            url=url,
            actions=("审核",),
        )

    return source_from_queryset(qs, context, label=LABEL, url=url, item=item, due_field=None)


def register() -> None:
    register_task_source("planning.submissions", pending_submissions)
