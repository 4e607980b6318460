"""A piece of long work (a screening run, a payroll run, a simulation, a big export) done by
the background worker on behalf of one user, with its progress and its result.

Only the user who asked sees it (jobs/access.py); the work itself runs as that user, so what
it reads and writes stays inside the user's divisions. ``division_code`` records the scope the
job was asked for ("" = the user's whole scope), for the audit trail and the job list.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class JobStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "未完成"


class BackgroundJob(models.Model):
    kind = models.CharField("任务类型", max_length=64)
    label = models.CharField("任务", max_length=120)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="提交人")
    scope = models.CharField("范围（区划代码）", max_length=12, blank=True)
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("进度（%）", default=0)
    message = models.CharField("进度说明", max_length=200, blank=True)
    input_content = models.BinaryField("上传的文件", null=True, blank=True)  # e.g. an import to preview
    result = models.JSONField("结果", null=True, blank=True)
    file_content = models.BinaryField("结果文件", null=True, blank=True)
    file_name = models.CharField("结果文件名", max_length=200, blank=True)
    file_type = models.CharField("文件类型", max_length=120, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        ordering = ["-id"]
        indexes = [models.Index(fields=["owner", "kind", "status"], name="job_owner_kind_idx")]

    def __str__(self) -> str:
        return f"{self.label}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def has_file(self) -> bool:
        return bool(self.file_name)

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
