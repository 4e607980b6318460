"""The 低收入人口 register and what feeds it (docs/lowincome.md).

- ``RegisterEntry``: one person in one tier from a date, with the source that put them there;
  a tier change ends the row (``ended_on``) and opens a new one, so "since when" is the row's
  ``since`` and the history is the rows. One open row per person.
- ``TierChange``: the change log — who moved, from which tier to which, why, when, by which
  monitoring run or decision.
- ``MonitoringRun``: one monthly dynamic-monitoring pass.
- ``Recognition``: the 低保边缘 / 刚性支出困难 recognition case (case kit, workflow.py).
- ``DistrictFigure``: the district's annual figures (人均可支配收入 …) entered with their
  document; the rules engine reads them as dated parameter values (parameters.py).
- ``DepartmentListing``: a person on a department's roster (防止返贫监测对象 from 乡村振兴,
  困难重点优抚对象 from 退役军人事务局) from a date until it is lifted; the register reads the
  open listings.
- ``PriceIndexMonth``: the month's CPI and food CPI with their source, and the engine's verdict
  on the 价格临时补贴.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.models import CaseModel
from minzheng.core.district import district_code
from minzheng.lowincome.enums import (
    FigureName,
    ListingKind,
    Origin,
    RecognitionKind,
    SourceKind,
    Status,
    Tier,
)

USER = settings.AUTH_USER_MODEL


def _user_fk(verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=verbose_name)


class MonitoringRun(models.Model):
    period = models.CharField("监测月份", max_length=7, db_index=True)
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    seconds = models.FloatField("用时（秒）", default=0)
    screening_run_id = models.BigIntegerField("所用筛查批次", null=True, blank=True)
    screening_period = models.CharField("所用筛查月份", max_length=7, blank=True)
    counts = models.JSONField("统计", default=dict, blank=True)
    started_by = models.CharField("执行人", max_length=150, blank=True)

    class Meta:
        verbose_name = "动态监测批次"
        ordering = ["-id"]


class RegisterEntry(models.Model):
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="家庭"
    )
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    tier = models.CharField("类别", max_length=8, choices=Tier.choices)
    since = models.DateField("纳入本类别日期")
    source_kind = models.CharField("来源", max_length=12, choices=SourceKind.choices)
    source_id = models.BigIntegerField("来源记录编号", null=True, blank=True)
    source_label = models.CharField("来源说明", max_length=120, blank=True)
    ended_on = models.DateField("退出本类别日期", null=True, blank=True)
    run = models.ForeignKey(MonitoringRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "低收入人口名册"
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(ended_on__isnull=True), name="lowincome_one_open_entry")
        ]
        indexes = [
            models.Index(fields=["ended_on", "division_code", "tier"], name="lowincome_entry_div_idx"),
            models.Index(fields=["household", "ended_on"], name="lowincome_entry_hh_idx"),
        ]


class TierChange(models.Model):
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    household_id = models.BigIntegerField("家庭编号", null=True, blank=True)
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    period = models.CharField("监测月份", max_length=7)
    from_tier = models.CharField("原类别", max_length=8, choices=Tier.choices, blank=True)  # "" = 新纳入
    to_tier = models.CharField("新类别", max_length=8, choices=Tier.choices, blank=True)  # "" = 退出
    reason = models.CharField("原因", max_length=200)
    source_kind = models.CharField("依据", max_length=12, choices=SourceKind.choices)
    source_label = models.CharField("依据说明", max_length=120, blank=True)
    run = models.ForeignKey(MonitoringRun, on_delete=models.PROTECT, null=True, blank=True, related_name="changes")
    actor_name = models.CharField("操作人", max_length=150)
    changed_at = models.DateTimeField("时间")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "低收入人口类别变动"
        indexes = [
            models.Index(fields=["division_code", "changed_at"], name="lowincome_change_div_idx"),
            models.Index(fields=["person", "changed_at"], name="lowincome_change_person_idx"),
        ]


class Recognition(CaseModel):
    """A 低保边缘 or 刚性支出困难 recognition: 登记 (application or discovery) → 家庭经济状况核对
    (assistance's facilities: the registry's figures and the departments' data; the engine's
    verdict stored) → 乡镇认定 (认定 / 不予认定) → 已认定 until it ends or expires."""

    number = models.CharField("认定编号", max_length=32, unique=True)
    kind = models.CharField("认定类别", max_length=8, choices=RecognitionKind.choices)
    household = models.ForeignKey("registry.Household", on_delete=models.PROTECT, related_name="+", verbose_name="家庭")
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    zone = models.CharField("城乡类别", max_length=6, choices=[("urban", "城镇"), ("rural", "农村")])
    origin = models.CharField("来源", max_length=12, choices=Origin.choices)
    reason = models.TextField("申请理由/发现情况", blank=True)
    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_on = models.DateField("登记日期")
    submitted_by = _user_fk("登记人")
    clock_started_on = None
    step_deadline_on = None

    # 家庭经济状况核对
    checked_on = models.DateField("核对日期", null=True, blank=True)
    checked_by = _user_fk("核对人")
    household_income_fen = models.BigIntegerField("家庭月收入（分）", null=True, blank=True)
    per_capita_income_fen = models.BigIntegerField("月人均收入（分）", null=True, blank=True)
    financial_assets_fen = models.BigIntegerField("金融资产（分）", null=True, blank=True)
    rigid_spending_12m_fen = models.BigIntegerField("近12个月刚性支出（分）", null=True, blank=True)
    check_sources = models.JSONField("核对数据来源", default=list, blank=True)
    facts = models.JSONField("输入事实", default=dict, blank=True)
    parameters = models.JSONField("所用参数", default=dict, blank=True)
    result = models.JSONField("规则引擎结果", default=dict, blank=True)
    engine_eligible = models.BooleanField("规则引擎判定符合", null=True, blank=True)

    # 乡镇认定
    decided_on = models.DateField("认定日期", null=True, blank=True)
    decided_by = _user_fk("认定人")
    decision_note = models.TextField("认定意见", blank=True)
    valid_until = models.DateField("认定有效期至", null=True, blank=True)
    ended_on = models.DateField("终止日期", null=True, blank=True)
    end_reason = models.CharField("终止原因", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "低收入家庭认定"
        indexes = [models.Index(fields=["division_code", "status"], name="lowincome_rec_div_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "kind"],
                condition=models.Q(status__in=["submitted", "decision", "recognised"]),
                name="lowincome_rec_one_live_per_kind",
            )
        ]


class DistrictFigure(models.Model):
    """One annual district figure (a rules parameter) as published, with its document. A
    correction is a new row; the old one is marked superseded (never edited)."""

    parameter = models.CharField("指标", max_length=80, choices=FigureName.choices)
    year = models.PositiveSmallIntegerField("统计年度")
    value_fen = models.BigIntegerField("数值（分/人·年）")
    document_number = models.CharField("文号", max_length=100)
    document_date = models.DateField("发布日期")
    effective_from = models.DateField("执行起始日期")
    superseded = models.BooleanField("已被更正", default=False)
    correction_reason = models.CharField("更正说明", max_length=200, blank=True)
    entered_by = _user_fk("录入人")
    entered_by_name = models.CharField("录入人姓名", max_length=150)
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    division_code = models.CharField("区划代码", max_length=12, default=district_code)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "区年度统计数据"
        constraints = [
            models.UniqueConstraint(
                fields=["parameter", "year"], condition=models.Q(superseded=False), name="district_figure_one_per_year"
            )
        ]


class PriceIndexMonth(models.Model):
    """The month's CPI and food CPI (year-on-year rise in percent) with their source, and the
    engine's verdict: triggered or not, by which index, the amount per person by zone."""

    period = models.CharField("指数月份", max_length=7, unique=True)
    cpi_yoy = models.DecimalField("居民消费价格指数（CPI）同比涨幅（%）", max_digits=6, decimal_places=2)
    food_cpi_yoy = models.DecimalField("食品价格指数同比涨幅（%）", max_digits=6, decimal_places=2)
    source = models.CharField("数据来源", max_length=200)
    triggered = models.BooleanField("达到启动条件", default=False)
    triggered_by = models.JSONField("启动指数", default=list, blank=True)
    applied_rise = models.CharField("适用涨幅（%）", max_length=12, blank=True)
    urban_amount_fen = models.BigIntegerField("城镇每人补贴（分）", default=0)
    rural_amount_fen = models.BigIntegerField("农村每人补贴（分）", default=0)
    result = models.JSONField("规则引擎结果", default=dict, blank=True)
    provisional = models.BooleanField("使用了待确认参数", default=False)
    batch_id = models.BigIntegerField("发放批次编号", null=True, blank=True)
    entered_by = _user_fk("录入人")
    entered_by_name = models.CharField("录入人姓名", max_length=150)
    entered_at = models.DateTimeField("录入时间", auto_now_add=True)
    version = models.PositiveIntegerField("版本", default=1)
    division_code = models.CharField("区划代码", max_length=12, default=district_code)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "物价指数（价格临时补贴）"
        ordering = ["-period"]


class DepartmentListing(models.Model):
    """A person on a department's roster from ``listed_on`` until ``ended_on`` (lifted). Imported
    from the department's file or API (exchange); the register places the people with an open
    listing in the kind's tier (enums.LISTING_TIER) unless they hold a higher one."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="人员")
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    kind = models.CharField("名单", max_length=8, choices=ListingKind.choices)
    listed_on = models.DateField("纳入日期")
    ended_on = models.DateField("解除日期", null=True, blank=True)
    note = models.CharField("部门备注", max_length=200, blank=True)
    source_label = models.CharField("来源", max_length=120)
    ended_source_label = models.CharField("解除依据", max_length=120, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "部门困难人员名单"
        ordering = ["-listed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"], condition=models.Q(ended_on__isnull=True), name="lowincome_listing_one_open"
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("listed_on")),
                name="lowincome_listing_end_after_start",
            ),
        ]
        indexes = [models.Index(fields=["kind", "ended_on", "division_code"], name="lowincome_listing_kind_idx")]
