"""Intake's long work, done by the background worker (minzheng/jobs): reading, checking and
matching an uploaded file (tens of thousands of rows) for its preview."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.exchange.actions import do_preview_import
from minzheng.jobs.registry import JobKind, JobOutput, Progress, register_job_kind

IMPORT_PREVIEW = "exchange.preview"


def preview_job(actor: Actor, params: dict[str, Any], progress: Progress) -> JobOutput:
    progress(10, "读取并校验文件")
    result = do_preview_import(actor, params["kind"], filename=params.get("filename", ""), content=params["input_file"])
    batch = result.batch
    if result.duplicate:
        lines = [f"该文件已于批次{batch.pk}导入，重复导入不会更改任何数据。"]
    else:
        lines = [f"已读取并校验 {params.get('filename', '')}：共 {batch.total_rows:,} 行，其中有错误的 {batch.error_rows:,} 行。请在预览中确认后导入。"]
    return JobOutput(lines=lines, links=[("查看导入预览", reverse("exchange:batch", args=[batch.pk]))], data={"batch_id": batch.pk, "duplicate": result.duplicate})


def register_jobs() -> None:
    register_job_kind(JobKind(IMPORT_PREVIEW, "导入文件预览", preview_job, go_to_result=True))
