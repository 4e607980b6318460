"""Signals from other departments, the alerts and tasks they raise, and the 三留守 registry.

Every row carries the 12-digit code of the person's village in ``division_code`` and is read
through ``visible_to(actor)`` / ``access_by_id`` (accounts/scoping.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.core.stored_photos import StoredPhoto
from minzheng.discovery.enums import (
    AlertKind,
    AlertProgram,
    AlertStatus,
    EscalationReason,
    FeedKind,
    LeftBehindCategory,
    LeftBehindEndReason,
    RiskLevel,
    TaskKind,
    TaskOutcome,
    TaskStatus,
)


def _user_fk(label: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=label
    )


class Signal(models.Model):
    """One matched row of a department feed. The ID number is not kept: the row points at the
    registry person it matched, and ``row_key`` (a hash over the blind index and the row's
    business key) makes a re-imported row a no-op."""

    # No database FK constraints on the two references of this high-volume table: on PostgreSQL
    # a 100,000-row import would otherwise check and lock (FOR KEY SHARE) 100,000 person rows
    # at commit — 5–6 s of the 20 s budget (docs/performance.md, "Feeds and alerts"). Both
    # targets are never deleted (persons are kept for life, batches are kept with their report;
    # on_delete=PROTECT still guards the ORM), and both are known to exist when the rows are
    # written (matched persons, the batch of the same transaction).
    kind = models.CharField("数据类别", max_length=24, choices=FeedKind.choices)
    batch = models.ForeignKey(
        "exchange.ImportBatch", on_delete=models.PROTECT, related_name="+", verbose_name="导入批次", db_constraint=False
    )
    row_number = models.PositiveIntegerField("文件行号")
    row_key = models.CharField("记录键", max_length=64)
    # db_index=False: the (person, kind, event_date) index below serves person lookups.
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="人员", db_index=False,
        db_constraint=False,
    )  # fmt: skip
    household_id = models.BigIntegerField("导入时所在家庭", null=True, blank=True)
    division_code = models.CharField("区划代码", max_length=12)
    event_date = models.DateField("事件日期")
    amount_fen = models.BigIntegerField("金额（分）", default=0)  # out-of-pocket, loss, benefit
    grade = models.PositiveSmallIntegerField("等级", default=0)  # disability grade
    code = models.CharField("类别代码", max_length=32, blank=True)  # change type, reason, event type
    detail = models.JSONField("其他信息", default=dict, blank=True)
    name_mismatch = models.BooleanField("姓名与登记不一致", default=False)
    created_at = models.DateTimeField("导入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "部门信号"
        constraints = [models.UniqueConstraint(fields=["kind", "row_key"], name="disc_signal_once")]
        indexes = [
            models.Index(fields=["person", "kind", "event_date"], name="disc_signal_person_idx"),
            models.Index(fields=["household_id", "kind", "event_date"], name="disc_signal_household_idx"),
        ]


class Alert(models.Model):
    """A person or household who may need help (or whose payment must stop), found from signals.

    ``subject_key`` is ``h<household id>`` for household programs, ``p<person id>`` for person
    programs; one alert per subject, program and period (a month, YYYY-MM)."""

    kind = models.CharField("预警类型", max_length=24, choices=AlertKind.choices)
    program = models.CharField("事项", max_length=32, choices=AlertProgram.choices)
    subject_key = models.CharField("对象键", max_length=24)
    period = models.CharField("期间", max_length=7)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    household_id = models.BigIntegerField("家庭", null=True, blank=True)
    division_code = models.CharField("区划代码", max_length=12)
    signal = models.ForeignKey(Signal, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    batch = models.ForeignKey("exchange.ImportBatch", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.CharField("预警原因", max_length=300)
    facts = models.JSONField("依据（数值、阈值、参数）", default=dict, blank=True)
    provisional = models.BooleanField("依据含待确认参数", default=False)
    status = models.CharField("状态", max_length=8, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    created_at = models.DateTimeField("预警时间", auto_now_add=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "预警"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["subject_key", "program", "period"], name="disc_alert_once_per_period")
        ]
        indexes = [
            models.Index(fields=["division_code", "kind"], name="disc_alert_division_idx"),
            models.Index(fields=["subject_key", "program", "status"], name="disc_alert_subject_idx"),
            models.Index(fields=["created_at"], name="disc_alert_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.period}）"


class Task(models.Model):
    """The work an alert asks for, at the village of the person, with a due date."""

    alert = models.OneToOneField(Alert, on_delete=models.PROTECT, related_name="task", verbose_name="预警")
    kind = models.CharField("任务类型", max_length=16, choices=TaskKind.choices)
    division_code = models.CharField("区划代码", max_length=12)
    assignee = _user_fk("责任人")
    due_on = models.DateField("办理期限")
    status = models.CharField("状态", max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    escalated_at = models.DateTimeField("上报乡镇（街道）时间", null=True, blank=True)
    escalation_reason = models.CharField("上报原因", max_length=16, choices=EscalationReason.choices, blank=True)
    death_confirmed_at = models.DateTimeField("核实死亡时间", null=True, blank=True)  # before ADR 0004
    death_report = models.ForeignKey(
        "registry.DeathReport", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="死亡信息报告"
    )
    outcome = models.CharField("办理结果", max_length=24, choices=TaskOutcome.choices, blank=True)
    outcome_note = models.CharField("情况说明", max_length=500, blank=True)
    outcome_by = _user_fk("办理人")
    outcome_by_name = models.CharField("办理人", max_length=150, blank=True)
    outcome_at = models.DateTimeField("办结时间", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "预警任务"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["division_code", "status", "due_on"], name="disc_task_division_idx"),
            models.Index(fields=["status", "due_on"], name="disc_task_due_idx"),
            models.Index(fields=["assignee", "status"], name="disc_task_assignee_idx"),
        ]


class LeftBehind(models.Model):
    """One person on the 三留守 registry (a person may be on it once per category)."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    category = models.CharField("类别", max_length=8, choices=LeftBehindCategory.choices)
    risk_level = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    division_code = models.CharField("区划代码", max_length=12)
    guardian = models.CharField("监护人/联系人及关系", max_length=100, blank=True)
    situation = models.CharField("基本情况", max_length=300, blank=True)
    responsible = _user_fk("联系人（走访责任人）")
    registered_on = models.DateField("登记日期")
    last_visited_on = models.DateField("最近走访日期", null=True, blank=True)
    next_visit_due = models.DateField("下次走访日期")
    active = models.BooleanField("在册", default=True)
    ended_on = models.DateField("退出日期", null=True, blank=True)
    end_reason = models.CharField("退出原因", max_length=16, choices=LeftBehindEndReason.choices, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "三留守人员"
        ordering = ["next_visit_due", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "category"], condition=models.Q(active=True), name="disc_leftbehind_once"
            )
        ]
        indexes = [
            models.Index(fields=["division_code", "active", "next_visit_due"], name="disc_lb_division_idx"),
            models.Index(fields=["person", "active"], name="disc_lb_person_idx"),
        ]


class Visit(models.Model):
    left_behind = models.ForeignKey(LeftBehind, on_delete=models.PROTECT, related_name="visits")
    division_code = models.CharField("区划代码", max_length=12)
    visited_at = models.DateTimeField("走访时间")
    place = models.CharField("走访地点", max_length=100)
    findings = models.TextField("走访情况")
    needs_follow_up = models.BooleanField("需要跟进", default=False)
    follow_up = models.CharField("跟进措施", max_length=300, blank=True)
    risk_level_after = models.CharField("走访后风险等级", max_length=8, choices=RiskLevel.choices)
    visitor = _user_fk("走访人")
    visitor_name = models.CharField("走访人", max_length=150)
    task = models.ForeignKey(Task, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "走访记录"
        ordering = ["-visited_at", "-id"]
        indexes = [models.Index(fields=["division_code", "visited_at"], name="disc_visit_division_idx")]


def _photo_path(instance: VisitPhoto, filename: str) -> str:
    return f"discovery/visits/{instance.division_code}/{instance.sha256[:16]}{instance.extension}"


class VisitPhoto(StoredPhoto):
    """A photo of a visit, re-encoded without its EXIF data (no GPS, no device) before storing."""

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField("照片", upload_to=_photo_path)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "走访照片"


__all__ = ["Alert", "LeftBehind", "Signal", "Task", "Visit", "VisitPhoto"]
