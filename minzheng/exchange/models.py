"""One import: an uploaded file or a machine client's batch of rows, its checks and outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet


class BatchStatus(models.TextChoices):
    PREVIEW = "preview", "待确认导入"
    REFUSED = "refused", "已拒绝（有错误，未导入）"
    COMMITTED = "committed", "已导入"
    DISCARDED = "discarded", "已放弃"


class CommitMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", "全部导入（有任何错误则不导入）"
    GOOD_ROWS_ONLY = "good_rows_only", "仅导入正确的行（保留错误报告）"


class BatchSource(models.TextChoices):
    UPLOAD = "upload", "页面上传"
    API = "api", "接口推送"


class ImportBatch(models.Model):
    """Scoped by the importer's division (district imports carry 500102)."""

    kind = models.CharField("导入类型", max_length=40, db_index=True)
    source = models.CharField("来源", max_length=8, choices=BatchSource.choices, default=BatchSource.UPLOAD)
    filename = models.CharField("文件名", max_length=200, blank=True)
    # SHA-256 of the file bytes (or of the canonical JSON rows, or the client's Idempotency-Key):
    # the same content is imported at most once.
    content_key = models.CharField("内容摘要（SHA-256）", max_length=64)
    division_code = models.CharField("导入人辖区", max_length=12)
    status = models.CharField("状态", max_length=10, choices=BatchStatus.choices, default=BatchStatus.PREVIEW)
    mode = models.CharField("导入方式", max_length=16, choices=CommitMode.choices, blank=True)
    total_rows = models.PositiveIntegerField("数据行数", default=0)
    valid_rows = models.PositiveIntegerField("通过校验行数", default=0)
    error_rows = models.PositiveIntegerField("错误行数", default=0)
    matched_rows = models.PositiveIntegerField("匹配到人员行数", default=0)
    unmatched_rows = models.PositiveIntegerField("未匹配人员行数", default=0)
    imported_rows = models.PositiveIntegerField("写入行数", default=0)
    skipped_rows = models.PositiveIntegerField("已导入过而跳过的行数", default=0)
    file_errors = models.JSONField("文件级错误", default=list, blank=True)
    errors = models.JSONField("行级错误（前2000条）", default=list, blank=True)  # [[row, column, message]]
    error_count = models.PositiveIntegerField("行级错误数", default=0)
    warning_count = models.PositiveIntegerField("提示数", default=0)
    summary = models.JSONField("导入结果", default=dict, blank=True)
    report = models.BinaryField("错误报告（xlsx）", blank=True, default=b"")
    # The validated, matched rows (with their ID numbers), compressed and SM4-encrypted, kept only
    # between preview and commit: the commit writes exactly what the preview showed.
    staged_rows_encrypted = models.TextField("待导入数据（密文）", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="上传人"
    )
    created_by_name = models.CharField("上传人", max_length=150, blank=True)
    created_at = models.DateTimeField("上传时间", auto_now_add=True)
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="导入人"
    )
    committed_at = models.DateTimeField("处理时间", null=True, blank=True)
    seconds = models.FloatField("处理耗时（秒）", default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "导入批次"
        ordering = ["-id"]
        indexes = [models.Index(fields=["kind", "content_key"], name="exch_batch_key_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_key"], condition=models.Q(status="committed"), name="exch_batch_once"
            )
        ]

    def __str__(self) -> str:
        return f"导入批次 {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (BatchStatus.PREVIEW, BatchStatus.REFUSED)
