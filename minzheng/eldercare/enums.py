"""Choices of the elderly-care service line (Chinese labels, English values)."""

from __future__ import annotations

from django.db import models


class FacilityKind(models.TextChoices):
    INSTITUTION = "institution", "养老机构"
    TEKUN_FACILITY = "tekun_facility", "特困供养设施（敬老院）"
    CARE_CENTRE = "care_centre", "区域性集中照护中心"
    STREET_CENTRE = "street_centre", "街道养老服务中心"
    TOWN_CENTRE = "town_centre", "乡镇养老服务中心"
    COMMUNITY_STATION = "community_station", "社区养老服务站"
    VILLAGE_POINT = "village_point", "村养老服务点"
    HAPPINESS_HOME = "happiness_home", "农村幸福院"


# Residential kinds: the 养老机构 of the statistics (敬老院 and 照护中心 are institutions in law).
INSTITUTION_KINDS = (FacilityKind.INSTITUTION, FacilityKind.TEKUN_FACILITY, FacilityKind.CARE_CENTRE)
# Community service facilities that make a 15-minute home-care circle (issue: centre, station or point).
CIRCLE_KINDS = (
    FacilityKind.STREET_CENTRE,
    FacilityKind.TOWN_CENTRE,
    FacilityKind.COMMUNITY_STATION,
    FacilityKind.VILLAGE_POINT,
)


class Ownership(models.TextChoices):
    PUBLIC = "public", "公办"
    PRIVATE = "private", "民办"
    PUBLIC_PRIVATE = "public_private", "公建民营"


class MedicalCapability(models.TextChoices):
    CLINIC = "clinic", "内设医疗机构"
    AGREEMENT = "agreement", "与医疗机构签约合作"
    NONE = "none", "无"


class LicenceKind(models.TextChoices):
    LICENCE = "licence", "设立许可"
    FILING = "filing", "备案"
    NONE = "none", "未办理"


class FacilityStatus(models.TextChoices):
    OPERATING = "operating", "运营中"
    UNDER_CONSTRUCTION = "under_construction", "在建"
    CLOSED = "closed", "已停业"


class CapabilityLevel(models.TextChoices):
    INTACT = "intact", "能力完好"
    MILD = "mild", "能力轻度受损（轻度失能）"
    MODERATE = "moderate", "能力中度受损（中度失能）"
    SEVERE = "severe", "能力重度受损（重度失能）"
    COMPLETE = "complete", "能力完全丧失（完全失能）"


class AssessmentReason(models.TextChoices):
    FIRST = "first", "首次评估"
    ROUTINE = "routine", "常规评估"
    CHANGE = "change", "状况变化即时评估"
    DISPUTE = "dispute", "因评估结果有异议复评"


class CheckOutReason(models.TextChoices):
    RETURNED_HOME = "returned_home", "返家"
    TRANSFERRED = "transferred", "转院/转机构"
    DECEASED = "deceased", "死亡"
    OTHER = "other", "其他"


class ServiceKind(models.TextChoices):
    MEAL = "meal", "助餐"
    CLEANING = "cleaning", "助洁"
    BATHING = "bathing", "助浴"
    MEDICAL = "medical", "助医"
    VISIT = "visit", "探访"
    REHAB = "rehab", "康复"
    EMERGENCY = "emergency", "紧急救援"
    ERRAND = "errand", "助行代办"


class SubsidyCategory(models.TextChoices):
    TEKUN = "tekun", "特困人员"
    DIBAO = "dibao", "低保对象"
    LOW_INCOME = "low_income", "低收入人口"
    DISABLED_SEVERE = "disabled_severe", "经评估重度及以上失能"
    DISABLED_MODERATE = "disabled_moderate", "经评估中度失能"
    GENERAL = "general", "其他老年人（自费）"


class OrderStatus(models.TextChoices):
    REQUESTED = "requested", "已申请"
    DISPATCHED = "dispatched", "已派单"
    IN_SERVICE = "in_service", "服务中"
    COMPLETED = "completed", "已完成"
    SETTLED = "settled", "已结算"
    CANCELLED = "cancelled", "已取消"


class VisitGroup(models.TextChoices):
    LIVING_ALONE = "living_alone", "独居老人"
    LEFT_BEHIND = "left_behind", "留守老人"
    SCATTERED_TEKUN = "scattered_tekun", "分散供养特困老人"


class RiskLevel(models.TextChoices):
    HIGH = "high", "高风险"
    MEDIUM = "medium", "中风险"
    LOW = "low", "低风险"


class FamilyBedStatus(models.TextChoices):
    ACTIVE = "active", "服务中"
    ENDED = "ended", "已撤床"
