"""Choices of the 低收入人口 line. Codes are stable English identifiers; labels are what users see."""

from django.db import models


class Tier(models.TextChoices):
    """The categories of the 低收入人口 (policy-facts §4), highest first: a person in several is
    registered in the highest one."""

    TEKUN = "tekun", "特困人员"
    DIBAO = "dibao", "低保对象"
    EDGE = "edge", "低保边缘家庭成员"
    RIGID = "rigid", "刚性支出困难家庭成员"
    RELAPSE = "relapse", "防止返贫监测对象"
    OTHER = "other", "其他困难人员"


TIER_RANK = {tier: rank for rank, tier in enumerate(Tier.values)}


class SourceKind(models.TextChoices):
    ENROLMENT = "enrolment", "救助保障记录"
    RECOGNITION = "recognition", "认定决定"
    SCREENING = "screening", "动态监测筛查"
    FEED = "feed", "部门数据"


class ListingKind(models.TextChoices):
    """Departments' rosters of people in hardship that the platform does not decide itself:
    each is imported as the sending department's list (exchange) and places the people on it in
    the register's tier of ``LISTING_TIER``."""

    RELAPSE = "relapse", "防止返贫监测对象"
    YOUFU = "youfu", "困难重点优抚对象"


# 防止返贫监测对象 are a category of the 低收入人口 in the merged schemes (policy-facts §4);
# 困难重点优抚对象 are 其他困难人员 of the register (and a 惠民殡葬 group, policy-facts §9).
LISTING_TIER = {ListingKind.RELAPSE: Tier.RELAPSE, ListingKind.YOUFU: Tier.OTHER}
LISTING_DEPARTMENT = {ListingKind.RELAPSE: "区农业农村委（乡村振兴）", ListingKind.YOUFU: "区退役军人事务局"}
FEED_TIERS = tuple(t.value for t in LISTING_TIER.values())


class RecognitionKind(models.TextChoices):
    EDGE = "edge", "低保边缘家庭"
    RIGID = "rigid", "刚性支出困难家庭"


KIND_TIER = {RecognitionKind.EDGE: Tier.EDGE, RecognitionKind.RIGID: Tier.RIGID}
# The rules engine's program that decides each kind.
KIND_PROGRAM = {RecognitionKind.EDGE: "low_income_edge", RecognitionKind.RIGID: "rigid_spending_hardship"}


class Origin(models.TextChoices):
    APPLICATION = "application", "本人申请"
    DISCOVERY = "discovery", "主动发现"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "家庭经济状况核对"
    DECISION = "decision", "乡镇认定"
    RECOGNISED = "recognised", "已认定"
    REFUSED = "refused", "不予认定"
    ENDED = "ended", "已终止"


OPEN_STATUSES = (Status.SUBMITTED, Status.DECISION)


class Outcome(models.TextChoices):
    APPROVE = "approve", "认定"
    REFUSE = "refuse", "不予认定"


class FigureName(models.TextChoices):
    """The district's annual figures entered on the platform: each is a rules parameter."""

    DISPOSABLE_INCOME = "district.per_capita_disposable_income_prev_year", "居民人均可支配收入"
    CONSUMPTION = "district.per_capita_consumption_expenditure_prev_year", "居民人均消费支出"


# The programs whose recipients receive the 价格临时补贴 (policy-facts §7: 城乡低保对象,
# 特困人员, 孤儿, 事实无人抚养儿童 — the groups the platform pays monthly).
PRICE_SUBSIDY_RECIPIENT_PROGRAMS = ("dibao", "tekun", "orphan_allowance", "defacto_child_allowance")
