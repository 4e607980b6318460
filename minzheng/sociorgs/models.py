"""Social-organisation rows. Every row carries the code of the organisation's domicile division
(its town or village; 区本级 for a body domiciled nowhere narrower) and is read only through
``visible_to(actor)`` / ``access_by_id``: a town officer sees the organisations of the town."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.models import CaseModel
from minzheng.sociorgs.enums import (
    Authority,
    Grade,
    InspectionResult,
    ListKind,
    OrgStatus,
    OrgType,
    PartyStatus,
    PenaltyKind,
    PenaltyStatus,
    ProcedureKind,
    ProcedureStatus,
    RefusalGround,
    Sanction,
    Sector,
)


def _user_fk(label: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=label
    )


class Organisation(models.Model):
    """A registered social organisation (社会团体, 社会服务机构 or 基金会)."""

    name = models.CharField("名称", max_length=100)
    credit_code = models.CharField("统一社会信用代码", max_length=18, unique=True)
    org_type = models.CharField("类型", max_length=12, choices=OrgType.choices)
    sector = models.CharField("行业类别", max_length=12, choices=Sector.choices)
    division_code = models.CharField("住所所在区划代码", max_length=12)
    address = models.CharField("住所", max_length=200, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50)
    supervising_unit = models.CharField("业务主管单位", max_length=100, blank=True)  # blank: 直接登记
    registered_capital_fen = models.BigIntegerField("注册资金（分）")
    party_status = models.CharField("党建情况", max_length=12, choices=PartyStatus.choices, default=PartyStatus.NONE)
    authority = models.CharField("登记管理机关", max_length=12, choices=Authority.choices, default=Authority.DISTRICT)
    registered_on = models.DateField("成立登记日期")
    certificate_no = models.CharField("登记证书编号", max_length=40, blank=True)
    status = models.CharField("状态", max_length=14, choices=OrgStatus.choices, default=OrgStatus.ACTIVE)
    ended_on = models.DateField("注销（撤销）日期", null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "社会组织"
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=models.Q(registered_capital_fen__gte=0), name="so_capital_not_negative")]
        indexes = [models.Index(fields=["division_code"]), models.Index(fields=["org_type", "status"])]

    def __str__(self) -> str:
        return self.name


class OrganisationChange(models.Model):
    """One field's change of an organisation: the history of every change (登记事项变更)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="changes")
    division_code = models.CharField("区划代码", max_length=12)
    field = models.CharField("事项", max_length=40)
    label = models.CharField("事项名称", max_length=40)
    old_value = models.CharField("变更前", max_length=200, blank=True)
    new_value = models.CharField("变更后", max_length=200, blank=True)
    changed_on = models.DateField("变更日期")
    source = models.CharField("依据", max_length=100, blank=True)
    actor_name = models.CharField("经办人", max_length=50)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-changed_on", "-id"]


class Procedure(CaseModel):
    """A registration procedure: 成立登记 (筹备 first), 变更登记 or 注销登记 — a kit case."""

    number = models.CharField("受理编号", max_length=24, unique=True)
    kind = models.CharField("登记事项", max_length=12, choices=ProcedureKind.choices)
    status = models.CharField("状态", max_length=12, choices=ProcedureStatus.choices, default=ProcedureStatus.SUBMITTED)
    division_code = models.CharField("住所所在区划代码", max_length=12)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="procedures")
    applicant = models.CharField("申请单位（拟设立组织）名称", max_length=100)
    data = models.JSONField("申请事项", default=dict)  # the proposed registration items (or changes)
    submitted_on = models.DateField("申请日期")
    decided_on = models.DateField("决定日期", null=True, blank=True)
    refusal_ground = models.CharField("不予登记事由", max_length=12, choices=RefusalGround.choices, blank=True)
    refusal_detail = models.CharField("不予登记理由", max_length=300, blank=True)
    certificate_no = models.CharField("登记证书编号", max_length=40, blank=True)
    created_by = _user_fk("录入人")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "社会组织登记申请"
        ordering = ["-submitted_on", "-id"]


class ProcedureDocument(models.Model):
    """A document received with a procedure (its kind is what the kit's DocumentRequirement reads)."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="documents")
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("材料", max_length=32)
    received_on = models.DateField("收到日期")
    note = models.CharField("说明", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["procedure", "kind"], name="so_document_once")]


class AnnualInspection(models.Model):
    """年检 of one year (the year reported on) with its conclusion."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="inspections")
    division_code = models.CharField("区划代码", max_length=12)
    year = models.PositiveSmallIntegerField("年度")
    submitted_on = models.DateField("报送日期", null=True, blank=True)
    result = models.CharField("结论", max_length=10, choices=InspectionResult.choices)
    note = models.CharField("说明", max_length=300, blank=True)
    recorded_by = _user_fk("录入人")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["organisation", "year"], name="so_inspection_once_a_year")]


class Assessment(models.Model):
    """评估等级 (1A–5A) with its validity."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="assessments")
    division_code = models.CharField("区划代码", max_length=12)
    grade = models.CharField("等级", max_length=2, choices=Grade.choices)
    score = models.PositiveSmallIntegerField("评估得分", null=True, blank=True)
    assessed_on = models.DateField("评定日期")
    valid_until = models.DateField("有效期至")
    recorded_by = _user_fk("录入人")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-assessed_on", "-id"]


class CreditListing(models.Model):
    """An entry on the 活动异常名录 or the 严重违法失信名单, and its removal."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="listings")
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("名单", max_length=10, choices=ListKind.choices)
    reason = models.CharField("列入事由", max_length=300)
    listed_on = models.DateField("列入日期")
    removed_on = models.DateField("移出日期", null=True, blank=True)
    removal_reason = models.CharField("移出事由", max_length=300, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-listed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind"], condition=models.Q(removed_on__isnull=True), name="so_listed_once"),
        ]


class PenaltyCase(CaseModel):
    """An administrative penalty case against a registered organisation, or a 取缔 case against an
    illegal one: 立案 → 调查 → 告知 → 决定 → 执行 (a kit case)."""

    number = models.CharField("案件编号", max_length=24, unique=True)
    kind = models.CharField("案件类型", max_length=10, choices=PenaltyKind.choices)
    status = models.CharField("状态", max_length=14, choices=PenaltyStatus.choices, default=PenaltyStatus.FILED)
    division_code = models.CharField("区划代码", max_length=12)  # the organisation's, or where the conduct occurs
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="penalty_cases")
    subject_name = models.CharField("当事人（组织）名称", max_length=100)
    facts = models.TextField("违法事实")
    filed_on = models.DateField("立案日期")
    findings = models.TextField("调查结论", blank=True)
    notified_on = models.DateField("告知日期", null=True, blank=True)
    sanction = models.CharField("处理决定", max_length=10, choices=Sanction.choices, blank=True)
    fine_fen = models.BigIntegerField("罚款金额（分）", default=0)
    decision_no = models.CharField("决定书文号", max_length=40, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    executed_on = models.DateField("执行完毕日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政处罚（取缔）案件"
        ordering = ["-filed_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(fine_fen__gte=0), name="so_fine_not_negative")]
