"""两项补贴 casework: one application per person and subsidy (``SubsidyApplication``, a case
of the kit's workflow ``workflow.APPLICATION``), the 残疾人证 kept on it as evidence, the
decisions with the rules engine's explanation, the reviews.

The payment itself is not here: an approved application is an enrolment of assistance's
program (``disability_living_subsidy`` / ``severe_disability_care_subsidy``), paid by
assistance's one payroll, like the children's allowances (docs/adr/0005-child-allowances.md);
``enrolment_id`` names it.

Every row carries the 12-digit code of its village in ``division_code`` and is read through
``visible_to`` / ``access_by_id``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.assistance.enums import Channel
from minzheng.cases.models import CaseModel
from minzheng.core.stored_photos import StoredPhoto
from minzheng.disability.enums import (
    EndReason,
    Outcome,
    ReviewOutcome,
    Source,
    Status,
    Subsidy,
)
from minzheng.registry.enums import DisabilityCategory

USER = settings.AUTH_USER_MODEL


def _user_fk(verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=verbose_name)


class SubsidyApplication(CaseModel):
    """One person's application for one of the two subsidies: registered (village or town),
    受理 by the town once the 残疾人证 is presented, 乡镇审核 with the engine's verdict, 审批 at
    the level of the parameters; then paid until it is stopped (death, grade, 低保/特困 ended)."""

    number = models.CharField("申请编号", max_length=32, unique=True)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="残疾人")
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    subsidy = models.CharField("补贴项目", max_length=32, choices=Subsidy.choices)
    source = models.CharField("来源", max_length=12, choices=Source.choices)
    source_ref = models.BigIntegerField("来源记录编号（预警或残联数据）", null=True, blank=True)
    # 残疾人证 (第二代): the evidence. The number is kept encrypted, shown masked.
    certificate_number_encrypted = models.TextField("残疾人证号（密文）", blank=True)
    certificate_number_masked = models.CharField("残疾人证号（脱敏）", max_length=24, blank=True)
    certificate_category = models.CharField("残疾类别", max_length=16, choices=DisabilityCategory.choices, blank=True)
    certificate_grade = models.PositiveSmallIntegerField("残疾等级", null=True, blank=True)
    certificate_issued_on = models.DateField("发证（变更）日期", null=True, blank=True)
    certificate_checked = models.BooleanField("已核验残疾人证", default=False)
    situation = models.TextField("基本情况", blank=True)
    decide_level = models.CharField("审批层级", max_length=12, default="district")
    # 网上申请 (issue 22): the citizen who applied on the citizens' site — the disabled person or a
    # member of their household; empty for an application taken by staff.
    channel = models.CharField("申请渠道", max_length=8, choices=Channel.choices, default=Channel.COUNTER)
    applicant = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="网上申请人"
    )

    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_on = models.DateField("登记日期")
    submitted_by = _user_fk("登记人")
    town_opinion = models.TextField("乡镇审核意见", blank=True)
    reviewed_by = _user_fk("乡镇审核人")
    decided_on = models.DateField("审批日期", null=True, blank=True)
    decided_by = _user_fk("审批人")
    refusal_reasons = models.TextField("不予批准理由", blank=True)
    amount_fen = models.BigIntegerField("月补贴金额（分）", null=True, blank=True)
    start_month = models.DateField("发放起始月", null=True, blank=True)
    enrolment_id = models.BigIntegerField("保障记录编号（社会救助）", null=True, blank=True)
    next_review_on = models.DateField("下次复核日期", null=True, blank=True)
    ended_on = models.DateField("停发日期", null=True, blank=True)
    last_paid_month = models.DateField("最后发放月", null=True, blank=True)
    end_reason = models.CharField("停发原因", max_length=16, choices=EndReason.choices, blank=True)
    end_note = models.CharField("停发说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "残疾人两项补贴申请"
        indexes = [
            models.Index(fields=["division_code", "status"], name="dis_app_div_status_idx"),
            models.Index(fields=["person", "status"], name="dis_app_person_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "subsidy"],
                condition=models.Q(status__in=["submitted", "review", "decision", "approved"]),
                name="dis_app_one_live_per_subsidy",
            ),
            models.CheckConstraint(
                condition=models.Q(certificate_grade__isnull=True) | models.Q(certificate_grade__gte=1, certificate_grade__lte=4),
                name="dis_app_grade_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def documents(self) -> list[str]:
        return ["certificate"] if self.certificate_checked and self.certificate_number_masked else []


class SubsidyDecision(models.Model):
    """乡镇审核 (stage review) or 审批 (stage final), with the rules engine's verdict as it
    stood: the facts, the parameter values used, the result and its conditions."""

    application = models.ForeignKey(SubsidyApplication, on_delete=models.PROTECT, related_name="decisions")
    division_code = models.CharField("区划代码", max_length=12)
    stage = models.CharField("环节", max_length=8)  # review | final | change
    outcome = models.CharField("结论", max_length=8, choices=Outcome.choices)
    period = models.CharField("核算期", max_length=7, blank=True)
    facts = models.JSONField("输入事实", default=dict)
    parameters = models.JSONField("所用参数", default=dict)
    result = models.JSONField("规则引擎结果", default=dict)
    engine_eligible = models.BooleanField("规则引擎判定符合", null=True)
    amount_fen = models.BigIntegerField("月补贴金额（分）", default=0)
    reasons = models.TextField("理由", blank=True)
    decided_by = _user_fk("决定人")
    decided_at = models.DateTimeField("决定时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "两项补贴审核审批记录"
        ordering = ["id"]


class SubsidyReview(models.Model):
    """复核 of a subsidised person: continue (next review in a year) or stop."""

    application = models.ForeignKey(SubsidyApplication, on_delete=models.PROTECT, related_name="reviews")
    division_code = models.CharField("区划代码", max_length=12)
    reviewed_on = models.DateField("复核日期")
    outcome = models.CharField("复核结果", max_length=10, choices=ReviewOutcome.choices)
    note = models.TextField("复核意见")
    reviewed_by = _user_fk("复核人")
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "两项补贴复核"
        ordering = ["-reviewed_on", "-id"]


def _photo_path(instance: "SubsidyPhoto", filename: str) -> str:
    return f"disability/photos/{instance.division_code}/{filename}"


class SubsidyPhoto(StoredPhoto):
    """A photo of the 残疾人证 sent from the family's phone with a 网上申请 (re-encoded without its
    metadata, core.photos). It is not the check: the town still sees the original before 受理."""

    application = models.ForeignKey(SubsidyApplication, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField("照片", upload_to=_photo_path)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "两项补贴申请材料照片"
        ordering = ["id"]
