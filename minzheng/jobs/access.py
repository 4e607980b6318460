"""A job is seen by the user who asked for it only (missing and not-yours: the same 404)."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.core.errors import NotFound
from minzheng.jobs.models import BackgroundJob


def access_job_by_id(actor: Actor, job_id: object) -> BackgroundJob:
    try:
        pk = int(str(job_id))
    except ValueError:
        raise NotFound("未找到该任务") from None
    job = BackgroundJob.objects.filter(pk=pk, owner_id=actor.user_id).first() if actor.user_id else None
    if job is None:
        raise NotFound("未找到该任务")
    return job
