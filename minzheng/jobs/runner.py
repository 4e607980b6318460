"""Doing one job: as its owner, with progress written as it goes, the outcome stored."""

from __future__ import annotations

import logging

from django.utils import timezone

from minzheng.accounts.actor import build_actor
from minzheng.accounts.models import User
from minzheng.core.errors import DomainError
from minzheng.jobs.models import BackgroundJob, JobStatus
from minzheng.jobs.registry import find_job_kind

logger = logging.getLogger(__name__)

FAILED_MESSAGE = "处理中出现错误，任务未完成。请稍后重试；如仍不成功，请联系系统管理员（任务编号 {pk}）。"


def report_progress(job_id: int, percent: int, message: str) -> None:
    """Move a running job's bar (0–100) and say what it is doing; written at once (no
    transaction is held), so the status partial shows it on its next poll."""
    percent = max(0, min(99, int(percent)))  # 100 only when done
    BackgroundJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(progress=percent, message=message[:200])


def _fail(job_id: int, message: str) -> None:
    BackgroundJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED, message=message[:200], input_content=None, finished_at=timezone.now()
    )


def execute_job(job_id: int) -> str:
    """Run a queued job once (a second delivery of the same job does nothing)."""
    claimed = BackgroundJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=1, message="开始处理"
    )
    if not claimed:
        return "skipped"
    job = BackgroundJob.objects.get(pk=job_id)
    user = User.objects.filter(pk=job.owner_id).first()
    actor = build_actor(user)
    if not actor.is_authenticated:
        _fail(job_id, "提交人账号已停用，任务未执行。")
        return JobStatus.FAILED
    try:
        kind = find_job_kind(job.kind)
        params = dict(job.params)
        if job.input_content is not None:
            params["input_file"] = bytes(job.input_content)
        output = kind.run(actor, params, lambda percent, message: report_progress(job_id, percent, message))
    except DomainError as e:
        _fail(job_id, e.message)
        return JobStatus.FAILED
    except Exception:  # noqa: BLE001 — logged with its traceback; the user sees a Chinese sentence
        logger.exception("background job %s (%s) failed", job_id, job.kind)
        _fail(job_id, FAILED_MESSAGE.format(pk=job_id))
        return JobStatus.FAILED
    BackgroundJob.objects.filter(pk=job_id).update(
        status=JobStatus.DONE,
        progress=100,
        message="已完成",
        result={"lines": list(output.lines), "links": [list(link) for link in output.links], "data": output.data},
        file_content=output.file,
        file_name=output.file_name if output.file is not None else "",
        file_type=output.file_type if output.file is not None else "",
        input_content=None,  # the upload is not kept once the work has read it
        finished_at=timezone.now(),
    )
    return JobStatus.DONE
