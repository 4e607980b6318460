"""Elderly-care rows. Every row carries the 12-digit (or 9-digit for town-level facilities)
code of its division and is read only through ``visible_to(actor)`` / ``access_by_id``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.models import CaseModel
from minzheng.eldercare.enums import (
    AssessmentReason,
    CapabilityLevel,
    CheckOutReason,
    FacilityKind,
    FacilityStatus,
    FamilyBedStatus,
    LicenceKind,
    MedicalCapability,
    OrderStatus,
    Ownership,
    RiskLevel,
    ServiceKind,
    SubsidyCategory,
    VisitGroup,
)


class VillageLocation(models.Model):
    """The map point of a village or community (synthetic for the demo district)."""

    division_code = models.CharField("村（社区）代码", max_length=12, unique=True)
    lon = models.FloatField("经度")
    lat = models.FloatField("纬度")
    is_synthetic = models.BooleanField("模拟坐标", default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "村（社区）位置"

    def __str__(self) -> str:
        return self.division_code


class Facility(models.Model):
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("设施类型", max_length=24, choices=FacilityKind.choices)
    ownership = models.CharField("举办性质", max_length=16, choices=Ownership.choices, default=Ownership.PUBLIC)
    operator_name = models.CharField("运营方", max_length=100, blank=True)
    division_code = models.CharField("所在区划代码", max_length=12)
    address = models.CharField("地址", max_length=200, blank=True)
    lon = models.FloatField("经度")
    lat = models.FloatField("纬度")
    beds_total = models.PositiveIntegerField("床位总数", default=0)
    beds_nursing = models.PositiveIntegerField("护理型床位", default=0)
    occupied_beds = models.PositiveIntegerField("在住人数", default=0)
    star_rating = models.PositiveSmallIntegerField("星级（0为未评定）", default=0)
    medical_capability = models.CharField(
        "医疗服务能力", max_length=12, choices=MedicalCapability.choices, default=MedicalCapability.NONE
    )
    medical_partner = models.CharField("签约医疗机构", max_length=100, blank=True)
    has_rehab = models.BooleanField("具备康复服务能力", default=False)
    licence_kind = models.CharField("许可/备案", max_length=10, choices=LicenceKind.choices, default=LicenceKind.NONE)
    licence_number = models.CharField("许可/备案编号", max_length=60, blank=True)
    staff_managers = models.PositiveSmallIntegerField("管理人员", default=0)
    staff_carers = models.PositiveSmallIntegerField("护理员", default=0)
    staff_qualified_carers = models.PositiveSmallIntegerField("持证护理员", default=0)
    staff_professionals = models.PositiveSmallIntegerField("医护/社工/康复等专业人员", default=0)
    status = models.CharField("状态", max_length=20, choices=FacilityStatus.choices, default=FacilityStatus.OPERATING)
    key_project_ref = models.CharField("重点项目", max_length=40, blank=True)
    planned_period = models.CharField("建设期", max_length=20, blank=True)
    opened_on = models.DateField("开业日期", null=True, blank=True)
    is_demo = models.BooleanField("演示数据", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "养老服务设施"
        indexes = [
            models.Index(fields=["division_code"], name="ec_facility_division_idx"),
            models.Index(fields=["kind", "status"], name="ec_facility_kind_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(beds_nursing__lte=models.F("beds_total")), name="ec_nursing_le_total"),
            models.CheckConstraint(condition=models.Q(star_rating__lte=5), name="ec_star_le_5"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_medical_or_rehab(self) -> bool:
        return self.medical_capability != MedicalCapability.NONE or self.has_rehab

    @property
    def vacant_beds(self) -> int:
        return max(self.beds_total - self.occupied_beds, 0)


class Assessment(models.Model):
    """One 老年人能力评估 (GB/T 42195-2022) of a registry person."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="capability_assessments")
    division_code = models.CharField("区划代码", max_length=12)
    assessed_on = models.DateField("评估日期")
    reason = models.CharField("评估原因", max_length=12, choices=AssessmentReason.choices)
    assessors = models.JSONField("评估员", default=list)
    items = models.JSONField("各项评分", default=dict)
    coma = models.BooleanField("昏迷", default=False)
    dementia_or_mental_disorder = models.BooleanField("确诊痴呆或精神疾病", default=False)
    risk_events_30d = models.PositiveSmallIntegerField("近30天照护风险事件次数", default=0)
    dimension_scores = models.JSONField("一级指标得分", default=dict)
    total = models.PositiveSmallIntegerField("总分")
    preliminary_level = models.CharField("初步等级", max_length=10, choices=CapabilityLevel.choices)
    final_level = models.CharField("最终等级", max_length=10, choices=CapabilityLevel.choices)
    adjustments = models.JSONField("等级变更依据", default=list)
    next_due_on = models.DateField("下次评估日期")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "老年人能力评估"
        indexes = [
            models.Index(fields=["person", "-assessed_on"], name="ec_assess_person_idx"),
            models.Index(fields=["division_code"], name="ec_assess_division_idx"),
        ]


class Residency(models.Model):
    """A registry person living in an institution: check-in opens it, check-out closes it."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="residencies")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="residencies")
    division_code = models.CharField("机构所在区划代码", max_length=12)
    checked_in_on = models.DateField("入住日期")
    checked_out_on = models.DateField("退住日期", null=True, blank=True)
    check_out_reason = models.CharField("退住原因", max_length=16, choices=CheckOutReason.choices, blank=True)
    is_tekun_concentrated = models.BooleanField("特困人员集中供养", default=False)
    bed_number = models.CharField("床号", max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "机构入住"
        indexes = [models.Index(fields=["division_code"], name="ec_residency_division_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(checked_out_on__isnull=True), name="ec_one_open_residency"
            )
        ]


class Provider(models.Model):
    """A home-care service provider (often the operator of a centre or station)."""

    name = models.CharField("服务商名称", max_length=100)
    division_code = models.CharField("服务区域代码", max_length=12)
    facility = models.ForeignKey(Facility, on_delete=models.SET_NULL, null=True, blank=True, related_name="providers")
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "居家养老服务商"

    def __str__(self) -> str:
        return self.name


class ProviderSettlement(models.Model):
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="settlements")
    division_code = models.CharField("区划代码", max_length=12)
    month = models.CharField("结算月份", max_length=7)
    order_count = models.PositiveIntegerField("工单数")
    total_fen = models.BigIntegerField("服务金额（分）")
    subsidy_fen = models.BigIntegerField("政府补贴（分）")
    self_pay_fen = models.BigIntegerField("个人自付（分）")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "服务商结算"
        constraints = [models.UniqueConstraint(fields=["provider", "month"], name="ec_settlement_once")]


class CareOrder(CaseModel):
    """A home and community care order: request → dispatch → check-in/out → completion → settlement.

    A case of the workflow ``eldercare.order`` (workflow.py): ``status`` and ``version`` are
    written only by ``cases.actions.do_transition``; the history is ``cases.CaseEvent``. No
    time limit is declared, so the kit's clock fields stay empty."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="care_orders")
    division_code = models.CharField("服务对象区划代码", max_length=12)
    service_kind = models.CharField("服务项目", max_length=16, choices=ServiceKind.choices)
    quantity = models.PositiveSmallIntegerField("数量", default=1)
    category = models.CharField("补贴类别", max_length=20, choices=SubsidyCategory.choices)
    requested_on = models.DateField("申请日期")
    note = models.CharField("需求说明", max_length=200, blank=True)
    status = models.CharField("状态", max_length=12, choices=OrderStatus.choices, default=OrderStatus.REQUESTED)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, null=True, blank=True, related_name="orders")
    dispatched_at = models.DateTimeField("派单时间", null=True, blank=True)
    worker_name = models.CharField("服务人员", max_length=50, blank=True)
    check_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    check_in_lon = models.FloatField("签到经度", null=True, blank=True)
    check_in_lat = models.FloatField("签到纬度", null=True, blank=True)
    check_out_at = models.DateTimeField("签退时间", null=True, blank=True)
    check_out_lon = models.FloatField("签退经度", null=True, blank=True)
    check_out_lat = models.FloatField("签退纬度", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    rating = models.PositiveSmallIntegerField("评价（1–5）", null=True, blank=True)
    rating_comment = models.CharField("评价意见", max_length=200, blank=True)
    service_month = models.CharField("服务月份", max_length=7, blank=True)
    unit_price_fen = models.BigIntegerField("单价（分）", default=0)
    price_fen = models.BigIntegerField("服务金额（分）", default=0)
    subsidy_fen = models.BigIntegerField("政府补贴（分）", default=0)
    self_pay_fen = models.BigIntegerField("个人自付（分）", default=0)
    pricing = models.JSONField("计价依据", default=dict, blank=True)
    settlement = models.ForeignKey(
        ProviderSettlement, on_delete=models.PROTECT, null=True, blank=True, related_name="orders"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "居家社区养老服务工单"
        indexes = [
            models.Index(fields=["division_code"], name="ec_order_division_idx"),
            # The workbench's task feed: open orders of a state within the actor's divisions.
            models.Index(fields=["status", "division_code"], name="ec_order_status_idx"),
            models.Index(fields=["person", "service_month"], name="ec_order_person_month_idx"),
            models.Index(fields=["provider", "service_month", "status"], name="ec_order_provider_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=5), name="ec_rating_1_5"
            )
        ]


class VisitTarget(models.Model):
    """An elderly person on the visiting list (独居/留守/分散供养特困), with a risk level."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="visit_targets")
    division_code = models.CharField("区划代码", max_length=12)
    group = models.CharField("对象类别", max_length=20, choices=VisitGroup.choices)
    risk_level = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="责任人",
    )
    registered_on = models.DateField("纳入日期")
    last_visited_on = models.DateField("最近探访日期", null=True, blank=True)
    is_active = models.BooleanField("在册", default=True)
    note = models.CharField("备注", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "探访关爱对象"
        indexes = [models.Index(fields=["division_code"], name="ec_visittarget_division_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "group"], condition=models.Q(is_active=True), name="ec_one_active_target"
            )
        ]


class VisitRecord(models.Model):
    target = models.ForeignKey(VisitTarget, on_delete=models.PROTECT, related_name="records")
    division_code = models.CharField("区划代码", max_length=12)
    visited_on = models.DateField("探访日期")
    visitor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    visitor_name = models.CharField("探访人", max_length=50)
    findings = models.TextField("探访情况")
    needs_follow_up = models.BooleanField("需要跟进", default=False)
    follow_up = models.CharField("跟进措施", max_length=200, blank=True)
    lon = models.FloatField("经度", null=True, blank=True)
    lat = models.FloatField("纬度", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "探访记录"
        indexes = [models.Index(fields=["division_code"], name="ec_visit_division_idx")]


class FamilyCareBed(models.Model):
    """家庭养老床位: professional care brought into the home by a provider."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="family_care_beds")
    division_code = models.CharField("区划代码", max_length=12)
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="family_beds")
    registered_on = models.DateField("建床日期")
    status = models.CharField("状态", max_length=8, choices=FamilyBedStatus.choices, default=FamilyBedStatus.ACTIVE)
    ended_on = models.DateField("撤床日期", null=True, blank=True)
    care_plan = models.CharField("服务计划", max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭养老床位"
        indexes = [models.Index(fields=["division_code"], name="ec_familybed_division_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="active"), name="ec_one_active_family_bed"
            )
        ]


class FamilyBedService(models.Model):
    bed = models.ForeignKey(FamilyCareBed, on_delete=models.PROTECT, related_name="services")
    division_code = models.CharField("区划代码", max_length=12)
    served_on = models.DateField("服务日期")
    content = models.CharField("服务内容", max_length=200)
    minutes = models.PositiveSmallIntegerField("服务时长（分钟）")
    staff_name = models.CharField("服务人员", max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭养老床位服务记录"
