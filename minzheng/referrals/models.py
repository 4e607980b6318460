"""Referrals to special assistance (专项救助转介) and 精神障碍社区康复 files.

A ``Referral`` is a case of the workflow ``referrals.referral`` (workflow.py): ``status`` and
``version`` are written only by ``cases.actions.do_transition``; its history is
``cases.CaseEvent``; its deadline is the kit's ``deadline_on`` (set by the person who refers,
by default the parameter ``referrals.feedback_working_days`` working days ahead).

A ``RehabFile`` holds health data: the diagnosis category is encrypted at rest (SM4-GCM, ADR
0002), as is the guardian's phone (stored masked beside it); only ``ReferralPerm.REHAB``
reads a file, and every read is audited (rehab.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.models import CaseModel
from minzheng.referrals.enums import ReferralKind, ReferralOutcome, ReferralStatus, RehabStatus

USER = settings.AUTH_USER_MODEL


def _user_fk(verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=verbose_name)


class ReceivingUnit(models.Model):
    """A unit that receives referrals of one kind (区医疗保障局 for 医疗救助, …). District-wide
    reference data kept by the district (``MANAGE_RECEIVING_UNITS``); the seeded ones are
    working defaults, ``provisional`` until the district confirms them (shown 「参数待确认」)."""

    kind = models.CharField("转介类别", max_length=12, choices=ReferralKind.choices)
    name = models.CharField("接收单位", max_length=80)
    contact = models.CharField("联系科室或电话", max_length=80, blank=True)
    provisional = models.BooleanField("待确认", default=False)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "转介接收单位"
        ordering = ["kind", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="referral_unit_kind_name_uniq")]

    def __str__(self) -> str:
        return self.name


class Referral(CaseModel):
    number = models.CharField("转介编号", max_length=20, unique=True)
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+", verbose_name="家庭")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="转介对象"
    )
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    kind = models.CharField("转介类别", max_length=12, choices=ReferralKind.choices)
    receiving_unit = models.ForeignKey(ReceivingUnit, on_delete=models.PROTECT, related_name="referrals", verbose_name="接收单位")
    reason = models.TextField("转介事由")
    status = models.CharField("状态", max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.REFERRED)
    received_on = models.DateField("接收日期", null=True, blank=True)
    receiver_name = models.CharField("接收人", max_length=50, blank=True)
    outcome = models.CharField("办理结果", max_length=14, choices=ReferralOutcome.choices, blank=True)
    feedback = models.TextField("反馈意见", blank=True)
    fed_back_on = models.DateField("反馈日期", null=True, blank=True)
    created_by = _user_fk("转介人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # The referrer chooses the deadline (deadline_on); no step limits.
    step_deadline_on = None

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专项救助转介"
        indexes = [
            models.Index(fields=["division_code", "status"], name="referral_div_status_idx"),
            models.Index(fields=["status", "division_code"], name="referral_status_div_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class RehabFile(models.Model):
    person = models.OneToOneField("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="康复对象")
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    diagnosis_encrypted = models.TextField("诊断类别（密文）")
    guardian_name = models.CharField("监护人", max_length=50)
    guardian_relation = models.CharField("与本人关系", max_length=20)
    guardian_phone_encrypted = models.TextField("监护人电话（密文）", blank=True)
    guardian_phone_masked = models.CharField("监护人电话（脱敏）", max_length=20, blank=True)
    institution = models.CharField("康复机构", max_length=80)
    started_on = models.DateField("建档日期")
    status = models.CharField("状态", max_length=8, choices=RehabStatus.choices, default=RehabStatus.ACTIVE)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    closed_reason = models.CharField("结束原因", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_by = _user_fk("建档人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "精神障碍社区康复档案"
        indexes = [models.Index(fields=["division_code", "status"], name="rehab_div_status_idx")]

    def __str__(self) -> str:
        return f"康复档案 {self.pk}"


class RehabService(models.Model):
    """One service received (a day, what, by whom) — never clinical notes."""

    file = models.ForeignKey(RehabFile, on_delete=models.PROTECT, related_name="services", verbose_name="康复档案")
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    served_on = models.DateField("服务日期")
    content = models.CharField("服务内容", max_length=200)
    provider = models.CharField("服务提供方", max_length=80)
    created_by = _user_fk("登记人")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "社区康复服务记录"
        ordering = ["-served_on", "-id"]
