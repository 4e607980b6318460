"""Append-only audit trail: every write and every view of a person or household."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    VIEW = "view", "查看"
    CREATE = "create", "新增"
    UPDATE = "update", "修改"
    DELETE = "delete", "删除"
    REVEAL = "reveal", "查看完整证件号"
    EXPORT = "export", "导出"
    PRINT = "print", "打印"
    IMPORT = "import", "导入"
    TRANSITION = "transition", "流程流转"
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出"
    SEARCH = "search", "查询"
    SYSTEM = "system", "系统任务"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):  # noqa: ARG002
        raise RuntimeError("审计记录只可追加，不可修改")

    def delete(self):
        raise RuntimeError("审计记录只可追加，不可删除")


class AuditEvent(models.Model):
    """One row per audited event. Never updated or deleted (also enforced by a DB trigger)."""

    occurred_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="用户"
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    actor_kind = models.CharField("操作主体", max_length=16, default="user")  # user | system | citizen
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)
    action = models.CharField("操作", max_length=16, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField("对象类型", max_length=64, blank=True, db_index=True)
    object_id = models.CharField("对象编号", max_length=64, blank=True, db_index=True)
    division_code = models.CharField("区划代码", max_length=12, blank=True, db_index=True)
    summary = models.CharField("摘要", max_length=300, blank=True)
    changed_fields = models.JSONField("变更字段", default=dict, blank=True)
    extra = models.JSONField("附加信息", default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计日志"
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "-id"], name="audit_object_idx")]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("审计记录只可追加，不可修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("审计记录只可追加，不可删除")


class Snapshot(models.Model):
    """Precomputed figures of one division (区划统计, 养老服务 dashboard …): written in bulk by
    ``core.snapshots.refresh_snapshots`` (after generation and imports, nightly, 重新统计), read
    by the pages instead of counting a million rows per request. See docs/performance.md."""

    kind = models.CharField("统计类别", max_length=40)
    division_code = models.CharField("区划代码", max_length=12)
    data = models.JSONField("统计结果")
    computed_at = models.DateTimeField("统计时间")
    # A registration, an edit or a death in the division since computed_at: the page says the
    # figures may not include it (and offers 重新统计); the next refresh clears it.
    stale = models.BooleanField("此后有变更", default=False)

    class Meta:
        verbose_name = "统计快照"
        constraints = [models.UniqueConstraint(fields=["kind", "division_code"], name="snapshot_kind_division_uniq")]

    def __str__(self) -> str:
        return f"{self.kind} {self.division_code}"
