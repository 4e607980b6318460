"""Choices of plan monitoring (Chinese labels, English values)."""

from __future__ import annotations

from django.db import models

ANNUAL = 0  # IndicatorValue.month for a whole-year (year-end) figure


class IndicatorKind(models.TextChoices):
    MAIN = "main", "主要指标"
    OTHER = "other", "其他量化目标"


class TargetRule(models.TextChoices):
    AT_LEAST = "gte", "不低于（≥）"
    EQUAL = "eq", "等于（=）"
    AT_MOST = "lte", "不高于（≤）"
    GROWTH_VS_REFERENCE = "growth_ref", "增速不低于参照序列"


class Attribute(models.TextChoices):
    BINDING = "binding", "约束性"
    EXPECTED = "expected", "预期性"
    UNSPECIFIED = "", "未标注"


class Direction(models.TextChoices):
    UP = "up", "越高越好"
    DOWN = "down", "越低越好"
    HOLD = "hold", "保持目标值"


class Aggregation(models.TextChoices):
    RATIO = "ratio", "比率（全区=合计分子÷合计分母）"
    SUM = "sum", "总量（全区=各镇街合计）"
    DISTRICT = "district", "全区统一（不分镇街）"


class Source(models.TextChoices):
    COMPUTED = "computed", "系统计算"
    MANUAL = "manual", "手工填报"


class SubmissionStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已审核"
    RETURNED = "returned", "已退回"


class Status(models.TextChoices):
    ON_TRACK = "on_track", "进度正常"
    AT_RISK = "at_risk", "存在风险"
    OFF_TRACK = "off_track", "进度滞后"
    NO_DATA = "no_data", "暂无数据"
    NOT_ASSESSABLE = "not_assessable", "无法评价"


STATUS_TONE = {
    Status.ON_TRACK: "ok",
    Status.AT_RISK: "warn",
    Status.OFF_TRACK: "danger",
    Status.NO_DATA: "neutral",
    Status.NOT_ASSESSABLE: "neutral",
}
STATUS_COLOUR = {  # red / amber / green, as on the dashboard and in the reports
    Status.ON_TRACK: "#1a7f37",
    Status.AT_RISK: "#d48806",
    Status.OFF_TRACK: "#c62828",
    Status.NO_DATA: "#9aa4b1",
    Status.NOT_ASSESSABLE: "#9aa4b1",
}
STATUS_LIGHT = {
    Status.ON_TRACK: "绿",
    Status.AT_RISK: "黄",
    Status.OFF_TRACK: "红",
    Status.NO_DATA: "灰",
    Status.NOT_ASSESSABLE: "灰",
}


class ReportKind(models.TextChoices):
    MIDTERM = "midterm", "中期评估报告"
    FINAL = "final", "终期评估报告"


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word（DOCX）"

