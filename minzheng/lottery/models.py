"""Welfare-lottery rows. An outlet, its inspections and its monthly sales carry the outlet's
village code; the retained 公益金 and its projects carry the district's code. Read only through
``visible_to(actor)`` / ``access_by_id``. Money in integer fen."""

from __future__ import annotations

from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.models import CaseModel
from minzheng.lottery.enums import FundArea, InspectionStatus, OutletKind, OutletStatus


class Outlet(models.Model):
    """A 投注站 (代销者 under a contract with the municipal 福彩中心): the district's register for
    indicator 5. Open on a day when opened on or before it and not closed on or before it."""

    licence_no = models.CharField("投注站编号", max_length=20, unique=True)
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=12, choices=OutletKind.choices)
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    address = models.CharField("地址", max_length=200)
    lon = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    operator_person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="业主（人口库）"
    )
    operator_name = models.CharField("业主姓名", max_length=60)
    operator_id_masked = models.CharField("业主身份证号码（脱敏）", max_length=18, blank=True)
    opened_on = models.DateField("开业日期")
    closed_on = models.DateField("关闭日期", null=True, blank=True)
    closing_reason = models.CharField("关闭原因", max_length=200, blank=True)
    status = models.CharField("状态", max_length=10, choices=OutletStatus.choices, default=OutletStatus.OPEN)
    version = models.PositiveIntegerField("版本", default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "福利彩票投注站"
        ordering = ["licence_no"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closed_on__isnull=True) | models.Q(closed_on__gte=models.F("opened_on")),
                                   name="lottery_outlet_closes_after_opening"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.licence_no} {self.name}"


class OutletInspection(CaseModel):
    """An inspection of an outlet: findings and, when there are any, a rectification deadline
    set by the inspector (no rule fixes its length) — on the workbench until 整改销号."""

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="inspections", verbose_name="投注站")
    division_code = models.CharField("区划代码", max_length=12)
    status = models.CharField("状态", max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.RECTIFYING)
    inspected_on = models.DateField("检查日期")
    findings = models.CharField("发现问题", max_length=1000, blank=True)
    rectification = models.CharField("整改情况", max_length=1000, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "投注站检查"
        ordering = ["-inspected_on", "-id"]


class MonthlySales(models.Model):
    """One outlet's sales of one month, from the lottery centre's file (exchange spec
    ``lottery_sales``). One row per outlet and month: a month is imported once."""

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="sales", verbose_name="投注站")
    division_code = models.CharField("区划代码", max_length=12)
    month = models.DateField("月份")  # the first day of the month
    sales_fen = models.BigIntegerField("销售额（分）")
    batch_id = models.BigIntegerField("导入批次", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "投注站月销售额"
        ordering = ["month", "outlet_id"]
        constraints = [
            models.UniqueConstraint(fields=["outlet", "month"], name="lottery_sales_one_per_outlet_month"),
            models.CheckConstraint(condition=models.Q(sales_fen__gte=0), name="lottery_sales_not_negative"),
        ]


class FundYear(models.Model):
    """The local retained 公益金 the district received for a year, as allocated (no share
    formula: service-lines.md working default "福彩 local share: store allocated amounts")."""

    year = models.PositiveIntegerField("年度", unique=True)
    division_code = models.CharField("区划代码", max_length=12)
    retained_fen = models.BigIntegerField("地方留存公益金（分）")
    reference = models.CharField("下达文件", max_length=200)
    received_on = models.DateField("下达日期")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "地方留存公益金"
        ordering = ["year"]
        constraints = [models.CheckConstraint(condition=models.Q(retained_fen__gte=0), name="lottery_fund_not_negative")]


class FundProject(models.Model):
    """A project funded by the retained 公益金 of a year: budget, spending, the performance
    evaluation and the public disclosure (each user unit publishes yearly, §9)."""

    fund_year = models.ForeignKey(FundYear, on_delete=models.PROTECT, related_name="projects", verbose_name="公益金年度")
    division_code = models.CharField("区划代码", max_length=12)
    name = models.CharField("项目名称", max_length=100)
    area = models.CharField("资助方向", max_length=10, choices=FundArea.choices)
    unit = models.CharField("实施单位", max_length=100)
    budget_fen = models.BigIntegerField("预算（分）")
    spent_fen = models.BigIntegerField("已支出（分）", default=0)
    evaluation_score = models.DecimalField("绩效评价得分", max_digits=5, decimal_places=1, null=True, blank=True)
    evaluated_on = models.DateField("绩效评价日期", null=True, blank=True)
    disclosed_on = models.DateField("公开日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "公益金资助项目"
        ordering = ["fund_year__year", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget_fen__gte=0) & models.Q(spent_fen__gte=0), name="lottery_project_amounts"),
        ]
