"""The current user's jobs."""

from __future__ import annotations

from django.db.models import QuerySet

from minzheng.accounts.actor import Actor
from minzheng.jobs.models import BackgroundJob, JobStatus


def jobs_of(actor: Actor, *, kind: str | None = None) -> QuerySet[BackgroundJob]:
    qs = BackgroundJob.objects.filter(owner_id=actor.user_id).defer("file_content")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-id")


def unfinished_jobs_of(actor: Actor, *, kind: str) -> QuerySet[BackgroundJob]:
    return jobs_of(actor, kind=kind).filter(status__in=(JobStatus.QUEUED, JobStatus.RUNNING))
