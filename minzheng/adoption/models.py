"""Adoption registration (收养登记): the case (a case of the kit's workflow ``adoption.case``),
the papers checked in, the adopter assessment (收养评估) with its report, and the follow-up
visits after registration (回访).

Every row carries the 12-digit code of the child's village (where the child lives when the
application is made) in ``division_code`` and is read through ``visible_to`` / ``access_by_id``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.adoption.enums import (
    AssessmentBody,
    Conclusion,
    DissolutionGround,
    DocumentKind,
    Kind,
    Placer,
    Status,
    VisitStatus,
)
from minzheng.cases.models import CaseModel

USER = settings.AUTH_USER_MODEL


def _user_fk(verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=verbose_name)


class Adoption(CaseModel):
    """One adoption: applied for at the district bureau, 受理 once the papers are in, a 60-day
    notice for a child whose birth parents cannot be found, the assessment (not for a
    step-parent), the review (30 days from the complete file), then 登记 or 不予登记; later
    解除. The workflow-wide clock is unused: the review and the assessment carry step limits."""

    number = models.CharField("收养登记编号", max_length=32, unique=True)
    division_code = models.CharField("被收养人所在村（社区）代码", max_length=12)
    child = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="被收养人")
    adopter = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="收养人")
    co_adopter = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="共同收养人（配偶）"
    )
    kind = models.CharField("被收养人情形", max_length=20, choices=Kind.choices)
    placer = models.CharField("送养人", max_length=16, choices=Placer.choices)
    placer_name = models.CharField("送养人（机构）名称", max_length=100)
    # The facts the conditions read (declared by the adopters, proved by the papers checked in).
    adopter_has_spouse = models.BooleanField("收养人有配偶", default=False)
    birth_children = models.PositiveSmallIntegerField("收养人现有子女数（不含收养）", default=0)
    adopted_children = models.PositiveSmallIntegerField("收养人已收养子女数", default=0)
    unsuitable_disease = models.BooleanField("患有医学上认为不应当收养子女的疾病", default=False)
    criminal_record = models.BooleanField("有不利于被收养人健康成长的违法犯罪记录", default=False)
    child_consents = models.BooleanField("被收养人同意被收养", default=False)
    placer_agrees = models.BooleanField("送养人同意送养", default=True)
    situation = models.TextField("收养人基本情况", blank=True)

    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.APPLIED)
    applied_on = models.DateField("申请日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    notice_start = models.DateField("公告开始", null=True, blank=True)
    notice_end = models.DateField("公告期满", null=True, blank=True)
    registered_on = models.DateField("登记日期", null=True, blank=True)
    certificate_number = models.CharField("收养登记证字号", max_length=32, blank=True)
    refused_on = models.DateField("不予登记日期", null=True, blank=True)
    refusal_reasons = models.JSONField("不予登记理由", default=list, blank=True)
    conditions = models.JSONField("收养条件审查结果", default=list, blank=True)
    decided_by = _user_fk("登记员")
    dissolved_on = models.DateField("解除日期", null=True, blank=True)
    dissolution_ground = models.CharField("解除情形", max_length=20, choices=DissolutionGround.choices, blank=True)
    created_by = _user_fk("申请登记人")

    # CaseModel's workflow-wide clock fields stay empty: only step limits are declared.
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "收养登记"
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "division_code"], name="adoption_status_idx")]

    def __str__(self) -> str:
        return self.number


class AdoptionDocument(models.Model):
    """A paper checked in by the registrar (the original goes to the permanent archive)."""

    adoption = models.ForeignKey(Adoption, on_delete=models.PROTECT, related_name="documents")
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("材料", max_length=20, choices=DocumentKind.choices)
    received_on = models.DateField("收件日期")
    note = models.CharField("说明", max_length=200, blank=True)
    received_by = _user_fk("收件人")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "收养登记材料"
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["adoption", "kind"], name="adoption_document_once")]


class Assessment(models.Model):
    """收养评估 (民发〔2020〕144号): by the bureau (≥2 established staff) or an entrusted
    organisation; free of charge; its report is stored and printable."""

    adoption = models.ForeignKey(Adoption, on_delete=models.PROTECT, related_name="assessments")
    division_code = models.CharField("区划代码", max_length=12)
    body = models.CharField("评估主体", max_length=12, choices=AssessmentBody.choices)
    organisation = models.CharField("受委托机构名称", max_length=100, blank=True)
    assessors = models.JSONField("评估人员", default=list)
    started_on = models.DateField("评估开始日期")
    reported_on = models.DateField("报告日期")
    sections = models.JSONField("评估内容", default=dict)
    conclusion = models.CharField("评估结论", max_length=12, choices=Conclusion.choices)
    summary = models.TextField("评估意见")
    recorded_by = _user_fk("录入人")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "收养评估报告"
        ordering = ["id"]


class FollowUpVisit(models.Model):
    """回访 after registration (3 and 12 months: a working default, service-lines)."""

    adoption = models.ForeignKey(Adoption, on_delete=models.PROTECT, related_name="visits")
    division_code = models.CharField("区划代码", max_length=12)
    sequence = models.PositiveSmallIntegerField("第几次回访")
    due_on = models.DateField("应回访日期")
    status = models.CharField("状态", max_length=8, choices=VisitStatus.choices, default=VisitStatus.DUE)
    visited_on = models.DateField("回访日期", null=True, blank=True)
    note = models.TextField("回访情况", blank=True)
    visited_by = _user_fk("回访人")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "收养回访"
        ordering = ["due_on", "id"]
        constraints = [models.UniqueConstraint(fields=["adoption", "sequence"], name="adoption_visit_once")]
