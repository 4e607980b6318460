"""Social-work rows. Every row carries the code of its division (a station's or an agency's
town or village, the district for the district's own; a professional's workplace; a project's
buyer — the district or a town) and is read only through ``visible_to(actor)`` / ``access_by_id``.

An agency links to its registered social organisation (``organisation``, minzheng.sociorgs) found
by its 统一社会信用代码 or name through ``sociorgs.selectors.find_registered`` (docs/socialwork.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.models import CaseModel
from minzheng.socialwork.enums import (
    CertLevel,
    Education,
    PaymentStatus,
    ProjectStatus,
    ServiceKind,
    StationLevel,
)


def _user_fk(label: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=label
    )


class Agency(models.Model):
    """A social-work service agency (社会工作服务机构)."""

    name = models.CharField("机构名称", max_length=100)
    registration_no = models.CharField("登记证号（统一社会信用代码）", max_length=30)
    division_code = models.CharField("登记所在区划代码", max_length=12)
    private = models.BooleanField("民办社工服务机构", default=True)
    registered_on = models.DateField("登记日期")
    deregistered_on = models.DateField("注销日期", null=True, blank=True)
    organisation = models.ForeignKey("sociorgs.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name="登记的社会组织")  # fmt: skip

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "社工服务机构"
        constraints = [models.UniqueConstraint(fields=["registration_no"], name="sw_agency_registration_unique")]

    def __str__(self) -> str:
        return self.name


class Station(models.Model):
    """A place of the three-level network: the district's guidance centre, a town's 社工站, a
    village's (community's) 社工室."""

    level = models.CharField("层级", max_length=10, choices=StationLevel.choices)
    name = models.CharField("名称", max_length=100)
    division_code = models.CharField("区划代码", max_length=12)
    premises_sqm = models.PositiveIntegerField("场地面积（平方米）")
    address = models.CharField("地址", max_length=200, blank=True)
    opened_on = models.DateField("建成运行日期")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="stations", verbose_name="运营机构")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "社会工作服务站点"

    def __str__(self) -> str:
        return self.name


class Professional(models.Model):
    """A social-work professional (社会工作专业人才) of the talent register (indicator 7)."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    division_code = models.CharField("工作地区划代码", max_length=12)
    employer = models.CharField("工作单位", max_length=100)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name="所在社工机构")
    station = models.ForeignKey(Station, on_delete=models.PROTECT, null=True, blank=True, related_name="staff", verbose_name="所在站点")
    post = models.CharField("岗位", max_length=60)
    education = models.CharField("学历", max_length=16, choices=Education.choices)
    cert_level = models.CharField("职业资格", max_length=16, choices=CertLevel.choices, default=CertLevel.NONE)
    cert_number = models.CharField("证书编号", max_length=40, blank=True)
    cert_year = models.PositiveIntegerField("取得证书年份", null=True, blank=True)
    training_hours = models.PositiveIntegerField("年度继续教育（培训）学时", default=0)
    joined_on = models.DateField("入职日期")
    left_on = models.DateField("离职日期", null=True, blank=True)
    leave_reason = models.CharField("离职原因", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "社会工作专业人才"
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(left_on__isnull=True), name="sw_professional_one_active"),
        ]


class Project(CaseModel):
    """A purchased social-work service project (政府购买社会工作服务项目): bought by the district
    (division = the district) or a town; 招标 → 签约 → 服务 → 中期评估 → 终期评估."""

    status = models.CharField("状态", max_length=24, choices=ProjectStatus.choices, default=ProjectStatus.TENDER)
    number = models.CharField("项目编号", max_length=20, unique=True)
    title = models.CharField("项目名称", max_length=120)
    division_code = models.CharField("购买方区划代码", max_length=12)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="projects", verbose_name="承接机构")
    budget_fen = models.BigIntegerField("项目预算（分）")
    starts_on = models.DateField("服务开始日期")
    ends_on = models.DateField("服务结束日期")
    target_groups = models.CharField("服务对象", max_length=200)  # comma-joined TargetGroup values
    indicators = models.TextField("绩效指标", blank=True)
    midterm_score = models.PositiveIntegerField("中期评估得分", null=True, blank=True)
    midterm_on = models.DateField("中期评估日期", null=True, blank=True)
    final_score = models.PositiveIntegerField("终期评估得分", null=True, blank=True)
    final_on = models.DateField("终期评估日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "购买社会工作服务项目"

    def __str__(self) -> str:
        return self.title


class ServiceRecord(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="records", verbose_name="项目")
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("服务类型", max_length=12, choices=ServiceKind.choices)
    held_on = models.DateField("服务日期")
    people_served = models.PositiveIntegerField("服务人数")
    summary = models.CharField("服务内容", max_length=500)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "服务记录"


class Payment(models.Model):
    """A milestone payment: proposed by one user, checked by another (maker-checker)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="payments", verbose_name="项目")
    division_code = models.CharField("区划代码", max_length=12)
    milestone = models.CharField("拨付节点", max_length=60)
    amount_fen = models.BigIntegerField("金额（分）")
    status = models.CharField("状态", max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.PROPOSED)
    proposed_by = _user_fk("提出人")
    proposed_on = models.DateField("提出日期")
    approved_by = _user_fk("复核人")
    approved_on = models.DateField("复核日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "项目拨付"
