"""Child welfare: the recognition of 孤儿, 事实无人抚养儿童 and 困境儿童 (a case of the kit's
workflow, ``workflow.RECOGNITION``), the decisions with the rules engine's explanation, the
yearly reviews, and the town protection stations (indicator 11).

The allowance itself is not here: a recognised orphan or de-facto-unsupported child is an
enrolment of assistance's program (``orphan_allowance`` / ``defacto_child_allowance``), paid
by assistance's one payroll (docs/adr/0005-child-allowances.md); ``enrolment_id`` names it.

Every row carries the 12-digit code of its village (the station: its town's 9 digits) in
``division_code`` and is read through ``visible_to`` / ``access_by_id``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.assistance.enums import Channel
from minzheng.cases.models import CaseModel
from minzheng.core.stored_photos import StoredPhoto
from minzheng.children.enums import (
    AdmissionReason,
    CareMeasure,
    Category,
    Condition,
    DischargeReason,
    ClosureReason,
    EndReason,
    GuardianStatus,
    Intervention,
    Outcome,
    Placement,
    Placement93,
    ProtectionStatus,
    RECOGNITION_DOCUMENTS,
    ReporterKind,
    ReviewOutcome,
    RiskLevel,
    Schooling,
    Source,
    Status,
    WorkerRole,
)

USER = settings.AUTH_USER_MODEL


def _user_fk(verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=verbose_name)


class Recognition(CaseModel):
    """One child's recognition in one category: registered at the village (an application or a
    child found on a visit), reviewed by the town, decided by the district; then recognised
    until it ends (18, adoption, a parent's return, death …). No time limit: none was found
    for these categories (docs/children.md §1)."""

    number = models.CharField("认定编号", max_length=32, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="儿童")
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    category = models.CharField("儿童类别", max_length=24, choices=Category.choices)
    placement = models.CharField("养育方式", max_length=16, choices=Placement.choices, default=Placement.SCATTERED)
    grounds = models.JSONField("认定情形", default=list)
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    guardian = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="监护人（领款人）"
    )
    guardian_relation = models.CharField("监护人与儿童关系", max_length=20, blank=True)
    guardian_status = models.CharField("监护人状况", max_length=16, choices=GuardianStatus.choices, blank=True)
    situation = models.TextField("基本情况", blank=True)
    documents = models.JSONField("已收取材料", default=list, blank=True)
    # 网上申请 (issue 22): the guardian applied on the citizens' site (``guardian`` is then the
    # citizen who applied).
    channel = models.CharField("申请渠道", max_length=8, choices=Channel.choices, default=Channel.COUNTER)

    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_on = models.DateField("登记日期")
    submitted_by = _user_fk("登记人")
    town_opinion = models.TextField("乡镇审核意见", blank=True)
    reviewed_by = _user_fk("乡镇审核人")
    publicity_start = models.DateField("公示开始", null=True, blank=True)
    publicity_end = models.DateField("公示结束", null=True, blank=True)
    decided_on = models.DateField("认定日期", null=True, blank=True)
    decided_by = _user_fk("认定人")
    refusal_reasons = models.TextField("不予认定理由", blank=True)
    amount_fen = models.BigIntegerField("月基本生活费（分）", null=True, blank=True)
    enrolment_id = models.BigIntegerField("保障记录编号（社会救助）", null=True, blank=True)
    next_review_on = models.DateField("下次复核日期", null=True, blank=True)
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=16, choices=EndReason.choices, blank=True)
    end_note = models.CharField("终止说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "困境儿童认定"
        indexes = [
            models.Index(fields=["division_code", "status"], name="child_rec_div_status_idx"),
            models.Index(fields=["person", "status"], name="child_rec_person_idx"),
        ]
        constraints = [
            # One open or live recognition per child and category.
            models.UniqueConstraint(
                fields=["person", "category"],
                condition=models.Q(status__in=["submitted", "publicity", "decision", "recognised"]),
                name="child_rec_one_live_per_category",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def has_allowance(self) -> bool:
        return self.enrolment_id is not None


def _photo_path(instance: "RecognitionPhoto", filename: str) -> str:
    return f"children/photos/{instance.division_code}/{filename}"


class RecognitionPhoto(StoredPhoto):
    """A photo of one of the recognition's papers (``RECOGNITION_DOCUMENTS``) sent from the
    guardian's phone with a 网上申请, re-encoded without its metadata (core.photos). It is not
    the receipt: the village still records the papers it has seen (``documents``)."""

    recognition = models.ForeignKey(Recognition, on_delete=models.PROTECT, related_name="photos")
    kind = models.CharField("材料", max_length=24, choices=[(d.value, d.label) for d in RECOGNITION_DOCUMENTS])
    file = models.FileField("照片", upload_to=_photo_path)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "认定申请材料照片"
        ordering = ["id"]


class RecognitionDecision(models.Model):
    """The district's decision (or a change of the amount) with the rules engine's verdict as
    it stood: the facts, the parameter values used, the result and its conditions."""

    recognition = models.ForeignKey(Recognition, on_delete=models.PROTECT, related_name="decisions")
    division_code = models.CharField("区划代码", max_length=12)
    outcome = models.CharField("结论", max_length=8, choices=Outcome.choices)
    program = models.CharField("保障项目", max_length=32, blank=True)
    period = models.CharField("核算期", max_length=7, blank=True)
    facts = models.JSONField("输入事实", default=dict)
    parameters = models.JSONField("所用参数", default=dict)
    result = models.JSONField("规则引擎结果", default=dict)
    engine_eligible = models.BooleanField("规则引擎判定符合", null=True)
    amount_fen = models.BigIntegerField("月基本生活费（分）", default=0)
    reasons = models.TextField("理由", blank=True)
    decided_by = _user_fk("决定人")
    decided_at = models.DateTimeField("决定时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "认定决定"
        ordering = ["id"]


class RecognitionReview(models.Model):
    """复核 of a recognised child: continue (next review in a year) or end."""

    recognition = models.ForeignKey(Recognition, on_delete=models.PROTECT, related_name="reviews")
    division_code = models.CharField("区划代码", max_length=12)
    reviewed_on = models.DateField("复核日期")
    outcome = models.CharField("复核结果", max_length=10, choices=ReviewOutcome.choices)
    note = models.TextField("复核意见")
    reviewed_by = _user_fk("复核人")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "认定复核"
        ordering = ["-reviewed_on", "-id"]


class ProtectionStation(models.Model):
    """乡镇（街道）未成年人保护工作站: one per town (未成年人保护法 art. 81), the numerator of
    plan indicator 11."""

    division_code = models.CharField("乡镇（街道）代码", max_length=12, unique=True)
    name = models.CharField("工作站名称", max_length=80)
    established_on = models.DateField("设立日期")
    staff_count = models.PositiveSmallIntegerField("工作人员数", default=0)
    premises_m2 = models.PositiveIntegerField("场所面积（平方米）", default=0)
    address = models.CharField("地址", max_length=120, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "未成年人保护工作站"
        ordering = ["division_code"]

    def __str__(self) -> str:
        return self.name


class ChildProfile(models.Model):
    """What the child's file (一人一档) keeps beyond the registry: school, health, notes.
    One per child; identity, disability, household and guardians are read from the registry
    and the recognitions, allowances from assistance, visits from discovery."""

    person = models.OneToOneField("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="儿童")
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    school = models.CharField("就读学校", max_length=80, blank=True)
    grade = models.CharField("年级", max_length=20, blank=True)
    schooling = models.CharField("就学状况", max_length=12, choices=Schooling.choices, default=Schooling.UNKNOWN)
    health = models.CharField("健康状况", max_length=200, blank=True)
    notes = models.TextField("其他情况", blank=True)
    updated_by_name = models.CharField("更新人", max_length=150, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "儿童档案"


class ProtectionCase(CaseModel):
    """A minors' protection case from a 强制报告 (form or feed): emergency handling, assessment,
    intervention (监护干预, 国家临时监护, 国家长期监护 with their grounds), referral, follow-up,
    closure (workflow ``children.protection``). Seen only by protection staff of the town and
    the district (``HANDLE_PROTECTION``); every read audited; the reporter is confidential."""

    number = models.CharField("案件编号", max_length=32, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="未成年人")
    child_name = models.CharField("未成年人姓名", max_length=50)
    child_description = models.CharField("身份不明时的特征", max_length=200, blank=True)
    division_code = models.CharField("发生地村（社区）代码", max_length=12)
    reporter_kind = models.CharField("报告主体", max_length=12, choices=ReporterKind.choices)
    reporter_unit = models.CharField("报告单位", max_length=80, blank=True)
    reporter_contact_encrypted = models.TextField("报告人联系方式（密文）", blank=True)
    harm_kinds = models.JSONField("侵害或危险情形", default=list)
    description = models.TextField("报告内容")
    reported_at = models.DateTimeField("报告时间")
    status = models.CharField("状态", max_length=16, choices=ProtectionStatus.choices, default=ProtectionStatus.REPORTED)
    emergency_measures = models.TextField("紧急处置措施", blank=True)
    risk_level = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices, blank=True)
    assessment = models.TextField("调查评估意见", blank=True)
    intervention = models.CharField("干预方式", max_length=16, choices=Intervention.choices, blank=True)
    guardianship_grounds = models.JSONField("监护依据", default=list, blank=True)
    placement = models.CharField("安置方式", max_length=10, choices=Placement93.choices, blank=True)
    intervention_decided_on = models.DateField("干预决定日期", null=True, blank=True)
    referrals = models.JSONField("转介记录", default=list, blank=True)
    follow_ups = models.JSONField("回访记录", default=list, blank=True)
    documents = models.JSONField("已收取材料", default=list, blank=True)
    closure_reason = models.CharField("结案原因", max_length=12, choices=ClosureReason.choices, blank=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    created_by = _user_fk("登记人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "未成年人保护案件"
        indexes = [models.Index(fields=["division_code", "status"], name="child_prot_div_status_idx")]

    def __str__(self) -> str:
        return self.number


class ChildWorker(models.Model):
    """儿童督导员 (a town's, ``division_code`` 9 digits) or 儿童主任 (a village's, 12 digits),
    with the training records (yearly training: service-lines §3)."""

    role = models.CharField("类别", max_length=12, choices=WorkerRole.choices)
    name = models.CharField("姓名", max_length=50)
    division_code = models.CharField("所在乡镇（街道）或村（社区）代码", max_length=12)
    appointed_on = models.DateField("任职日期")
    active = models.BooleanField("在职", default=True)
    trainings = models.JSONField("培训记录", default=list, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "儿童督导员、儿童主任"
        ordering = ["division_code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["role", "division_code"], condition=models.Q(active=True), name="child_worker_one_active")
        ]


class WelfareInstitution(models.Model):
    """儿童福利机构: the 涪陵区儿童福利院 of the plan's key project (building 3,500 m², 100
    beds) as a facility with its capacity. A district facility (``division_code`` the village
    where it stands); its residents are the children's own rows."""

    name = models.CharField("机构名称", max_length=80, unique=True)
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    address = models.CharField("地址", max_length=120, blank=True)
    floor_area_m2 = models.PositiveIntegerField("建筑面积（平方米）", default=0)
    beds = models.PositiveSmallIntegerField("床位数")
    opened_on = models.DateField("投入使用日期", null=True, blank=True)
    source = models.CharField("来源", max_length=120, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "儿童福利机构"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class InstitutionResident(models.Model):
    """A child living in the institution: admitted with a reason, discharged with a reason;
    ``division_code`` is the child's own village, so the child's town sees its residency."""

    institution = models.ForeignKey(WelfareInstitution, on_delete=models.PROTECT, related_name="residents", verbose_name="机构")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="儿童")
    division_code = models.CharField("儿童户籍村（社区）代码", max_length=12)
    admitted_on = models.DateField("入院日期")
    admission_reason = models.CharField("入院原因", max_length=12, choices=AdmissionReason.choices)
    admission_note = models.CharField("入院说明", max_length=300, blank=True)
    recognition = models.ForeignKey(Recognition, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="孤儿或事实无人抚养儿童认定")
    protection_case = models.ForeignKey(ProtectionCase, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="未成年人保护案件")
    discharged_on = models.DateField("离院日期", null=True, blank=True)
    discharge_reason = models.CharField("离院原因", max_length=12, choices=DischargeReason.choices, blank=True)
    discharge_note = models.CharField("离院说明", max_length=300, blank=True)
    admitted_by_name = models.CharField("办理人", max_length=150, blank=True)
    discharged_by_name = models.CharField("离院办理人", max_length=150, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "福利院在院儿童"
        ordering = ["-admitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(discharged_on__isnull=True), name="child_resident_once"),
        ]


class LeftBehindAssessment(models.Model):
    """A left-behind child's assessment (安全处境、监护情况、身心健康 and a risk level), beside
    discovery's 三留守 entry and visits."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="儿童")
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    assessed_on = models.DateField("评估日期")
    safety = models.CharField("安全处境", max_length=8, choices=Condition.choices)
    guardianship = models.CharField("监护情况", max_length=8, choices=Condition.choices)
    health = models.CharField("身心健康", max_length=8, choices=Condition.choices)
    risk_level = models.CharField("风险等级", max_length=8, choices=RiskLevel.choices)
    findings = models.TextField("评估情况")
    assessed_by_name = models.CharField("评估人", max_length=150)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "留守儿童评估"
        ordering = ["-assessed_on", "-id"]


class CarePlan(models.Model):
    """关爱服务计划 of a left-behind child: the measures, the person responsible, the review
    date. One current plan per child: a new plan replaces the previous one."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="儿童")
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    assessment = models.ForeignKey(LeftBehindAssessment, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="依据的评估")
    measures = models.JSONField("关爱服务措施", default=list)
    detail = models.TextField("服务内容", blank=True)
    responsible = models.CharField("责任人", max_length=50)
    review_on = models.DateField("复评日期")
    current = models.BooleanField("现行计划", default=True)
    made_on = models.DateField("制定日期")
    made_by_name = models.CharField("制定人", max_length=150)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "留守儿童关爱服务计划"
        ordering = ["-made_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["person"], condition=models.Q(current=True), name="child_care_plan_one_current")]

    @property
    def measure_labels(self) -> list[str]:
        return [CareMeasure(m).label for m in self.measures if m in CareMeasure.values]
