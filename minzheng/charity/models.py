"""Charity rows, each with the division code of the charity's domicile (the organisation's), read
only through ``visible_to(actor)`` / ``access_by_id``. The organisation itself is the social-
organisation line's row (referred to by name, never imported)."""

from __future__ import annotations

from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.charity.enums import CharityStatus, DonorKind, DutyKind


class Charity(models.Model):
    """A 慈善组织: a registered organisation recognised (认定) or registered as a charity."""

    organisation = models.OneToOneField("sociorgs.Organisation", on_delete=models.PROTECT, related_name="charity")
    division_code = models.CharField("区划代码", max_length=12)
    name = models.CharField("名称", max_length=100)
    applied_on = models.DateField("申请认定日期")
    recognised_on = models.DateField("认定日期")
    decision_no = models.CharField("认定文号", max_length=40)
    status = models.CharField("状态", max_length=12, choices=CharityStatus.choices, default=CharityStatus.ACTIVE)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "慈善组织"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FundraisingQualification(models.Model):
    """公开募捐资格 with its validity (from the certificate)."""

    charity = models.ForeignKey(Charity, on_delete=models.CASCADE, related_name="qualifications")
    division_code = models.CharField("区划代码", max_length=12)
    granted_on = models.DateField("取得日期")
    valid_until = models.DateField("有效期至")
    certificate_no = models.CharField("证书编号", max_length=40)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-granted_on"]


class Campaign(models.Model):
    """A public fundraising campaign with its plan filing (备案)."""

    charity = models.ForeignKey(Charity, on_delete=models.CASCADE, related_name="campaigns")
    division_code = models.CharField("区划代码", max_length=12)
    name = models.CharField("募捐活动名称", max_length=100)
    filed_on = models.DateField("方案备案日期")
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期")
    emergency = models.BooleanField("应急募捐", default=False)
    target_fen = models.BigIntegerField("募捐目标（分）", default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(target_fen__gte=0), name="ch_target_not_negative")]


class Donation(models.Model):
    """A donation received: donor kind, cash amount and in-kind value in fen, receipt number
    (unique; blank when the donor declined a receipt)."""

    charity = models.ForeignKey(Charity, on_delete=models.PROTECT, related_name="donations")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="donations")
    division_code = models.CharField("区划代码", max_length=12)
    received_on = models.DateField("接受日期")
    donor_kind = models.CharField("捐赠人类型", max_length=14, choices=DonorKind.choices)
    donor_name = models.CharField("捐赠人", max_length=100, blank=True)
    amount_fen = models.BigIntegerField("货币捐赠（分）", default=0)
    in_kind_value_fen = models.BigIntegerField("物资折价（分）", default=0)
    in_kind_description = models.CharField("捐赠物资", max_length=200, blank=True)
    receipt_no = models.CharField("捐赠票据号", max_length=40, blank=True)
    receipt_declined = models.BooleanField("捐赠人不要票据", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_fen__gte=0, in_kind_value_fen__gte=0), name="ch_donation_not_negative"),
            models.UniqueConstraint(fields=["receipt_no"], condition=~models.Q(receipt_no=""), name="ch_receipt_unique"),
        ]

    @property
    def total_fen(self) -> int:
        return self.amount_fen + self.in_kind_value_fen


class Project(models.Model):
    charity = models.ForeignKey(Charity, on_delete=models.CASCADE, related_name="projects")
    division_code = models.CharField("区划代码", max_length=12)
    name = models.CharField("项目名称", max_length=100)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("结束日期", null=True, blank=True)
    budget_fen = models.BigIntegerField("预算（分）", default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "-id"]


class Spending(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="spendings")
    division_code = models.CharField("区划代码", max_length=12)
    spent_on = models.DateField("支出日期")
    amount_fen = models.BigIntegerField("金额（分）")
    purpose = models.CharField("用途", max_length=200)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-spent_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gt=0), name="ch_spending_positive")]


class Trust(models.Model):
    """慈善信托 filing: the trustee files within 7 days of signing."""

    division_code = models.CharField("区划代码", max_length=12)
    name = models.CharField("信托名称", max_length=100)
    trustee = models.CharField("受托人", max_length=100)
    settlor = models.CharField("委托人", max_length=100)
    signed_on = models.DateField("合同签订日期")
    filed_on = models.DateField("备案日期")
    property_fen = models.BigIntegerField("信托财产（分）")
    purpose = models.CharField("信托目的", max_length=200)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-filed_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(property_fen__gte=0), name="ch_trust_not_negative")]


class DisclosureDuty(models.Model):
    """A disclosure duty with its deadline; done when published (overdue: past due, not done)."""

    charity = models.ForeignKey(Charity, on_delete=models.CASCADE, null=True, blank=True, related_name="duties")
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, null=True, blank=True, related_name="duties")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="duties")
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("公开事项", max_length=20, choices=DutyKind.choices)
    title = models.CharField("事项", max_length=200)
    due_on = models.DateField("公开期限")
    done_on = models.DateField("公开日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["charity", "trust", "campaign", "kind", "due_on"], name="ch_duty_once")]
