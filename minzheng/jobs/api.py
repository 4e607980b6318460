"""The background jobs of the API (`/api/v1/jobs/{id}`): long work an endpoint hands to the
worker (reform simulation) answers 202 with the job, and the client follows it here. A job is
seen by the user who asked for it only (the same 404 for missing and not yours)."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema

from minzheng.jobs.access import access_job_by_id
from minzheng.jobs.models import BackgroundJob, JobStatus

router = Router()


class JobOut(Schema):
    job_id: int
    kind: str
    status: str
    status_label: str
    progress: int
    message: str
    url: str
    result: dict[str, Any] | None


def job_out(job: BackgroundJob) -> dict[str, Any]:
    """A job as the API shows it; ``result`` is the work's data once it is done."""
    done = job.status == JobStatus.DONE and isinstance(job.result, dict)
    return {"job_id": job.pk, "kind": job.kind, "status": job.status, "status_label": job.get_status_display(),
            "progress": job.progress, "message": job.message, "url": f"/api/v1/jobs/{job.pk}",
            "result": job.result.get("data") if done else None}  # fmt: skip


@router.get("/{job_id}", response=JobOut, summary="后台任务的状态与结果（仅提交人可见）")
def get_job(request, job_id: int):
    return job_out(access_job_by_id(request.actor, job_id))
