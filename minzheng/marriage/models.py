"""The marriage registry (婚姻登记处): appointments at its offices, marriage registrations,
divorces by agreement with their cooling-off calendar, the cases on an existing registration
(补领, 更正, 撤销 for 冒名顶替, a court's judgment recorded), and the counselling room
(婚姻家庭辅导).

The registry is a district unit working for the whole district and beyond (全国通办 since
2025-05-10): every row carries the district's code in ``division_code`` (as the rescue
station's), so only district-level users with the line's permission see any of it.

A party is either a person of our registry (``*_person``) or entered at the counter from the
居民身份证; either way the row keeps the party's name, the ID number (SM4 ciphertext, the
registry's blind index for the "already married" check, the masked form), the birth date and
the 户籍 code the 跨省通办 flag is read from.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.models import CaseModel
from minzheng.marriage.enums import (
    AmendmentKind,
    AmendmentStatus,
    AppointmentKind,
    AppointmentStatus,
    CancellationBasis,
    CertificateKind,
    CorrectionField,
    CounsellingOutcome,
    DivorceStatus,
    DocumentKind,
    EndKind,
    JudgmentKind,
    MarriageStatus,
    PriorStatus,
    SessionKind,
)

USER = settings.AUTH_USER_MODEL


def _user_fk(verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=verbose_name)


class Office(models.Model):
    """A registry office (婚姻登记处 or its branch counter)."""

    name = models.CharField("登记处名称", max_length=100)
    address = models.CharField("地址", max_length=200, blank=True)
    division_code = models.CharField("区划代码", max_length=12)
    is_active = models.BooleanField("启用", default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "婚姻登记处"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Slot(models.Model):
    """A time slot of an office on a day, with its capacity (couples). ``booked`` is kept by the
    booking actions with a conditional UPDATE; the database refuses ``booked > capacity``."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="slots")
    division_code = models.CharField("区划代码", max_length=12)
    day = models.DateField("日期")
    starts_at = models.TimeField("开始时间")
    ends_at = models.TimeField("结束时间")
    capacity = models.PositiveSmallIntegerField("可预约对数")
    booked = models.PositiveSmallIntegerField("已预约对数", default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "预约时段"
        ordering = ["day", "starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "day", "starts_at"], name="marriage_slot_once"),
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="marriage_slot_not_overbooked"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="marriage_slot_ends_after_start"),
        ]

    @property
    def free(self) -> int:
        return self.capacity - self.booked


class Appointment(models.Model):
    number = models.CharField("预约号", max_length=20, unique=True)
    slot = models.ForeignKey(Slot, on_delete=models.PROTECT, related_name="appointments")
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("办理事项", max_length=12, choices=AppointmentKind.choices)
    man_name = models.CharField("男方姓名", max_length=50)
    woman_name = models.CharField("女方姓名", max_length=50)
    phone_encrypted = models.TextField("联系电话（密文）", blank=True)
    phone_masked = models.CharField("联系电话（脱敏）", max_length=20, blank=True)
    status = models.CharField("状态", max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED)
    booked_on = models.DateField("预约日期")
    cancelled_on = models.DateField("取消日期", null=True, blank=True)
    created_by = _user_fk("登记人")
    # 网上预约: the citizens' site's account that booked it (issue 22), none at the counter.
    citizen_account_id = models.BigIntegerField("网上预约群众账号", null=True, blank=True, db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "婚姻登记预约"
        ordering = ["slot__day", "slot__starts_at", "id"]


class TwoParties(models.Model):
    """男方 and 女方 of a marriage or a divorce (民法典 第1046–1049条: a man and a woman)."""

    man_person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="男方（在册人员）")
    man_name = models.CharField("男方姓名", max_length=50)
    man_id_encrypted = models.TextField("男方身份证号码（密文）")
    man_id_index = models.CharField("男方身份证号码检索索引", max_length=64, db_index=True)
    man_id_masked = models.CharField("男方身份证号码（脱敏）", max_length=18)
    man_birth_date = models.DateField("男方出生日期")
    man_hukou_code = models.CharField("男方户籍地区划代码", max_length=12)
    woman_person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="女方（在册人员）")
    woman_name = models.CharField("女方姓名", max_length=50)
    woman_id_encrypted = models.TextField("女方身份证号码（密文）")
    woman_id_index = models.CharField("女方身份证号码检索索引", max_length=64, db_index=True)
    woman_id_masked = models.CharField("女方身份证号码（脱敏）", max_length=18)
    woman_birth_date = models.DateField("女方出生日期")
    woman_hukou_code = models.CharField("女方户籍地区划代码", max_length=12)
    cross_province = models.BooleanField("跨省通办", default=False)

    class Meta:
        abstract = True


class Marriage(CaseModel, TwoParties):
    """结婚登记: 初审 → 受理 → 审查 → 登记(发证) in one visit, or 不予登记 with the grounds."""

    number = models.CharField("登记编号", max_length=32, unique=True)
    division_code = models.CharField("区划代码", max_length=12)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="登记处")
    appointment = models.ForeignKey(Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="预约")
    man_prior = models.CharField("男方婚姻状况", max_length=10, choices=PriorStatus.choices)
    woman_prior = models.CharField("女方婚姻状况", max_length=10, choices=PriorStatus.choices)
    both_present = models.BooleanField("双方亲自到场", default=False)
    voluntary = models.BooleanField("双方完全自愿", default=False)
    declaration_signed = models.BooleanField("已签署《申请结婚登记声明书》", default=False)
    no_prohibited_relation = models.BooleanField("声明无禁止结婚的亲属关系", default=False)
    ceremony = models.BooleanField("颁证仪式", default=False)
    status = models.CharField("状态", max_length=16, choices=MarriageStatus.choices, default=MarriageStatus.APPLIED)
    applied_on = models.DateField("申请日期")
    conditions = models.JSONField("结婚条件审查结果", default=list, blank=True)
    registered_on = models.DateField("登记日期", null=True, blank=True)
    certificate_number = models.CharField("结婚证字号", max_length=32, blank=True)
    refused_on = models.DateField("不予登记日期", null=True, blank=True)
    refusal_reasons = models.JSONField("不予登记理由", default=list, blank=True)
    ended_on = models.DateField("婚姻关系终止日期", null=True, blank=True)
    end_kind = models.CharField("终止情形", max_length=20, choices=EndKind.choices, blank=True)
    end_note = models.CharField("终止说明", max_length=200, blank=True)
    decided_by = _user_fk("登记员")
    created_by = _user_fk("受理人")

    # CaseModel's clock fields stay empty: no time limit is declared (the task feed reads them).
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "结婚登记"
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "registered_on"], name="marriage_status_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_current(self) -> bool:
        return self.status == MarriageStatus.REGISTERED and self.ended_on is None

    @property
    def remarriage(self) -> bool:
        return (self.man_prior != PriorStatus.SINGLE or self.woman_prior != PriorStatus.SINGLE)


class Divorce(CaseModel, TwoParties):
    """协议离婚 (民法典 第1076–1078条): 申请 → 受理 (day D) → 冷静期 D+1…D+30 (either may
    withdraw) → 30 days in which both come to register, else deemed withdrawn."""

    number = models.CharField("申请编号", max_length=32, unique=True)
    division_code = models.CharField("区划代码", max_length=12)
    office = models.ForeignKey(Office, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="受理登记处")
    marriage = models.ForeignKey(Marriage, on_delete=models.PROTECT, null=True, blank=True, related_name="divorces", verbose_name="本处结婚登记")
    marriage_certificate = models.CharField("结婚证字号", max_length=32)
    agreement_children = models.TextField("子女抚养")
    agreement_property = models.TextField("财产处理")
    agreement_debts = models.TextField("债务处理", blank=True)
    status = models.CharField("状态", max_length=16, choices=DivorceStatus.choices, default=DivorceStatus.APPLIED)
    applied_on = models.DateField("申请日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    cooling_end_on = models.DateField("冷静期届满日", null=True, blank=True)
    issue_deadline_on = models.DateField("申请发证截止日", null=True, blank=True)
    withdrawn_on = models.DateField("撤回日期", null=True, blank=True)
    withdrawn_by = models.CharField("撤回方", max_length=8, blank=True)
    lapsed_on = models.DateField("视为撤回日期", null=True, blank=True)
    registered_on = models.DateField("离婚登记日期", null=True, blank=True)
    certificate_number = models.CharField("离婚证字号", max_length=32, blank=True)
    refused_on = models.DateField("不予受理/不予登记日期", null=True, blank=True)
    refusal_reason = models.TextField("不予受理/不予登记理由", blank=True)
    created_by = _user_fk("受理人")

    # CaseModel's clock fields stay empty: no time limit is declared (the task feed reads them).
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "离婚登记"
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.number


class Amendment(CaseModel):
    """A case on an existing registration: 补领, 更正, 撤销 (冒名顶替), or a court judgment
    recorded against it. 审查 → (告知, for 撤销) → 决定 (办结 / 不予办理); 送达, 归档 dated."""

    number = models.CharField("案件编号", max_length=32, unique=True)
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("事项", max_length=16, choices=AmendmentKind.choices)
    marriage = models.ForeignKey(Marriage, on_delete=models.PROTECT, related_name="amendments", verbose_name="结婚登记")
    divorce = models.ForeignKey(Divorce, on_delete=models.PROTECT, null=True, blank=True, related_name="amendments", verbose_name="离婚登记")
    certificate_kind = models.CharField("补领证件", max_length=10, choices=CertificateKind.choices, blank=True)
    applicant = models.CharField("申请人/来文单位", max_length=100)
    basis = models.CharField("撤销依据", max_length=16, choices=CancellationBasis.choices, blank=True)
    authority = models.CharField("作出机关", max_length=100, blank=True)
    document_number = models.CharField("文书编号", max_length=64, blank=True)
    judgment_kind = models.CharField("判决结果", max_length=10, choices=JudgmentKind.choices, blank=True)
    effective_on = models.DateField("判决生效日期", null=True, blank=True)
    correction_field = models.CharField("更正项目", max_length=20, choices=CorrectionField.choices, blank=True)
    old_value = models.CharField("原登记内容", max_length=100, blank=True)
    new_value = models.CharField("更正后内容", max_length=100, blank=True)
    description = models.TextField("情况说明", blank=True)
    status = models.CharField("状态", max_length=12, choices=AmendmentStatus.choices, default=AmendmentStatus.APPLIED)
    applied_on = models.DateField("申请日期")
    notified_on = models.DateField("告知日期", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    new_certificate_number = models.CharField("补发证件字号", max_length=32, blank=True)
    served_on = models.DateField("送达日期", null=True, blank=True)
    archived_on = models.DateField("归档日期", null=True, blank=True)
    refusal_reason = models.TextField("不予办理理由", blank=True)
    created_by = _user_fk("受理人")

    # CaseModel's clock fields stay empty: no time limit is declared (the task feed reads them).
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "婚姻登记证件与更正案件"
        ordering = ["-id"]


class AmendmentDocument(models.Model):
    amendment = models.ForeignKey(Amendment, on_delete=models.PROTECT, related_name="documents")
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("材料", max_length=24, choices=DocumentKind.choices)
    reference = models.CharField("文号/说明", max_length=100, blank=True)
    received_on = models.DateField("收件日期")
    received_by = _user_fk("收件人")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "案件材料"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["amendment", "kind"], name="marriage_amendment_document_once")]


class CounsellingReferral(models.Model):
    """A divorcing couple referred to the 婚姻家庭辅导室 at the application, and the outcome."""

    divorce = models.OneToOneField(Divorce, on_delete=models.PROTECT, related_name="referral")
    division_code = models.CharField("区划代码", max_length=12)
    referred_on = models.DateField("转介日期")
    outcome = models.CharField("辅导结果", max_length=12, choices=CounsellingOutcome.choices, default=CounsellingOutcome.PENDING)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    referred_by = _user_fk("转介人")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "婚姻家庭辅导转介"
        ordering = ["-id"]


class CounsellingSession(models.Model):
    """One service record of the counselling room (a referral's session or any other)."""

    division_code = models.CharField("区划代码", max_length=12)
    referral = models.ForeignKey(CounsellingReferral, on_delete=models.PROTECT, null=True, blank=True, related_name="sessions")
    held_on = models.DateField("服务日期")
    kind = models.CharField("服务类型", max_length=12, choices=SessionKind.choices)
    people = models.PositiveSmallIntegerField("服务人数")
    counsellor = models.CharField("辅导员", max_length=50)
    topic = models.CharField("主题", max_length=200, blank=True)
    recorded_by = _user_fk("记录人")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "婚姻家庭辅导服务记录"
        ordering = ["-held_on", "-id"]
