"""The one background task: run a BackgroundJob (the worker: `manage.py db_worker`)."""

from __future__ import annotations

from django.tasks import task

from minzheng.jobs.runner import execute_job


@task
def run_background_job(*, job_id: int) -> str:
    return execute_job(job_id)
