"""Asking for background work: one audited action."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from minzheng.accounts.actor import Actor
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import PermissionDenied
from minzheng.jobs.models import BackgroundJob
from minzheng.jobs.registry import find_job_kind
from minzheng.jobs.runner import report_progress
from minzheng.jobs.tasks import run_background_job

__all__ = ["do_enqueue_job", "report_progress"]


def do_enqueue_job(
    actor: Actor,
    kind: str,
    *,
    params: dict[str, Any] | None = None,
    label: str = "",
    scope: str = "",
    input_file: bytes | None = None,
) -> BackgroundJob:
    """Record the job and hand it to the worker. ``params`` must be JSON (the work reads them
    back); ``label`` names it on screen (default: the kind's label). In tests (ImmediateBackend)
    the work is done before this returns. ``input_file``: an upload the work reads (``params["input_file"]``)."""
    spec = find_job_kind(kind)
    if actor.user_id is None:
        raise PermissionDenied("后台任务须由登录用户提交")
    if spec.perm is not None:
        actor.require(spec.perm)
    with transaction.atomic():
        job = BackgroundJob.objects.create(
            kind=kind, label=(label or spec.label)[:120], owner_id=actor.user_id, scope=scope, params=params or {},
            input_content=input_file,
        )
        record_audit_event(
            actor,
            AuditAction.CREATE,
            object_type="background_job",
            object_id=job.pk,
            division_code=scope,
            summary=f"提交后台任务：{job.label}",
            extra={"kind": kind, "params": params or {}},
        )
    run_background_job.enqueue(job_id=job.pk)
    return job
