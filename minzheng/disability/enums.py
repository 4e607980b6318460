"""Choices of the disability-subsidy line (两项补贴). Codes are stable English identifiers;
labels are what users see. The subsidy codes are assistance's and the rules engine's program
codes."""

from django.db import models

from minzheng.registry.enums import DisabilityCategory  # noqa: F401  (re-exported for forms)


class Subsidy(models.TextChoices):
    LIVING = "disability_living_subsidy", "困难残疾人生活补贴"
    CARE = "severe_disability_care_subsidy", "重度残疾人护理补贴"


class Source(models.TextChoices):
    APPLICATION = "application", "本人或家属申请"
    FEED = "feed", "区残联数据推送"
    ALERT = "alert", "主动发现预警"
    ROSTER = "roster", "存量名单导入"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    REVIEW = "review", "乡镇审核"
    DECISION = "decision", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "不予批准"
    ENDED = "ended", "已停发"


OPEN_STATUSES = (Status.SUBMITTED, Status.REVIEW, Status.DECISION)
LIVE_STATUSES = (*OPEN_STATUSES, Status.APPROVED)


class Outcome(models.TextChoices):
    APPROVE = "approve", "同意"
    REFUSE = "refuse", "不同意"


class EndReason(models.TextChoices):
    DEATH = "death", "死亡"
    GRADE_OUT_OF_RANGE = "grade", "残疾等级变更后不再符合条件"
    CERTIFICATE_REVOKED = "revoked", "残疾人证注销"
    LEFT_ASSISTANCE = "left_assistance", "所在家庭退出低保（本人退出特困）"
    MOVED_AWAY = "moved_away", "迁出本区"
    REVIEW_NOT_ELIGIBLE = "review", "复核不再符合条件"


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "继续享受"
    END = "end", "停发"
