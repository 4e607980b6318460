"""Choices of the social-work line: English values, Chinese labels."""

from django.db import models


class CertLevel(models.TextChoices):
    NONE = "none", "未取得职业资格"
    ASSISTANT = "assistant", "助理社工师"
    SOCIAL_WORKER = "social_worker", "社工师"
    SENIOR = "senior", "高级社工师"


class Education(models.TextChoices):
    HIGH_SCHOOL = "high_school", "高中（中专）及以下"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "本科"
    POSTGRADUATE = "postgraduate", "研究生"


COLLEGE_OR_ABOVE = (Education.COLLEGE, Education.BACHELOR, Education.POSTGRADUATE)


class StationLevel(models.TextChoices):
    CENTRE = "centre", "区社会工作指导中心"
    TOWN = "town", "乡镇（街道）社会工作站"
    VILLAGE = "village", "村（社区）社会工作室"


class ProjectStatus(models.TextChoices):
    TENDER = "tender", "招标中"
    CONTRACTED = "contracted", "已签约"
    IN_SERVICE = "in_service", "服务中"
    MIDTERM = "midterm", "已中期评估"
    CLOSED = "closed", "已终期评估"


class TargetGroup(models.TextChoices):
    ELDERLY = "elderly", "老年人"
    DISABLED = "disabled", "残疾人"
    CHILDREN = "children", "困境儿童"
    LEFT_BEHIND = "left_behind", "农村留守人员"
    ASSISTANCE = "assistance", "社会救助对象"
    COMMUNITY = "community", "社区居民"


class ServiceKind(models.TextChoices):
    CASE = "case", "个案服务"
    GROUP = "group", "小组活动"
    COMMUNITY = "community", "社区活动"


class PaymentStatus(models.TextChoices):
    PROPOSED = "proposed", "待复核"
    APPROVED = "approved", "已复核拨付"
