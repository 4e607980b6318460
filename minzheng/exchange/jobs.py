"""Intake's long work, done by the background worker (minzheng/jobs): reading, checking and
matching an uploaded file (tens of thousands of rows) for its preview, and writing a confirmed
batch (the spec's commit, one transaction: all or nothing)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.core.snapshots import refresh_snapshots
from minzheng.exchange.actions import do_commit_import, do_preview_import, spec_for
from minzheng.exchange.models import BatchStatus, ImportBatch
from minzheng.jobs.registry import JobKind, JobOutput, Progress, register_job_kind

IMPORT_PREVIEW = "exchange.preview"
IMPORT_COMMIT = "exchange.commit"


def preview_job(actor: Actor, params: dict[str, Any], progress: Progress) -> JobOutput:
    progress(10, "读取并校验文件")
    result = do_preview_import(actor, params["kind"], filename=params.get("filename", ""), content=params["input_file"])
    batch = result.batch
    if result.duplicate:
        lines = [f"该文件已于批次{batch.pk}导入，重复导入不会更改任何数据。"]
    elif batch.file_errors:  # refused as a whole (too many rows, unreadable, no header): nothing staged
        lines = [f"{params.get('filename', '')}无法导入：{batch.file_errors[0]}。未写入任何数据。"]
    else:
        lines = [f"已读取并校验 {params.get('filename', '')}：共 {batch.total_rows:,} 行，其中有错误的 {batch.error_rows:,} 行。请在预览中确认后导入。"]
    return JobOutput(lines=lines, links=[("查看导入预览", reverse("exchange:batch", args=[batch.pk]))], data={"batch_id": batch.pk, "duplicate": result.duplicate})


def commit_outcome(batch: ImportBatch, *, all_or_nothing: bool) -> str:
    """What the batch page says after a commit: refused (nothing written) or what was written."""
    if batch.status == BatchStatus.REFUSED:
        hint = "" if all_or_nothing else "，或选择仅导入正确的行"
        return f"文件有{batch.error_rows}行错误，已拒绝导入，未写入任何数据。请下载错误报告修改后重新上传{hint}。"
    if "alerts" in batch.summary:
        return f"导入完成：写入{batch.imported_rows}行，生成预警{batch.summary.get('alerts', 0)}条。"
    return f"导入完成：写入{batch.imported_rows}行。"


def commit_job(actor: Actor, params: dict[str, Any], progress: Progress) -> JobOutput:
    """Write a previewed batch. ``do_commit_import`` is one transaction: a refusal or a failure
    part-way leaves every row as it was (the job then says so, the batch stays open or refused)."""
    progress(10, "正在写入数据（全部成功才生效，出错则不写入任何数据）")
    batch = do_commit_import(actor, int(params["batch_id"]), params["mode"])
    if batch.status == BatchStatus.COMMITTED:  # registrations, deaths …: the pages' counts are recounted
        refresh_snapshots(progress=lambda percent, message: progress(60 + percent * 2 // 5, message))
    spec = spec_for(actor, batch.kind)
    line = commit_outcome(batch, all_or_nothing=spec.all_or_nothing)
    return JobOutput(
        lines=[line], links=[("查看导入批次", reverse("exchange:batch", args=[batch.pk]))],
        data={"batch_id": batch.pk, "status": batch.status, "refused": batch.status == BatchStatus.REFUSED},
    )  # fmt: skip


def register_jobs() -> None:
    register_job_kind(JobKind(IMPORT_PREVIEW, "导入文件预览", preview_job, go_to_result=True))
    register_job_kind(JobKind(IMPORT_COMMIT, "确认导入", commit_job, go_to_result=True))
