"""Place names, boundary lines, markers, joint inspections and division-change procedures.
Every row carries a division code (a name: its town or village; a district line: the
district's; a town line: the town's) and is read only through ``visible_to`` / ``access_by_id``."""

from __future__ import annotations

from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.models import CaseModel
from minzheng.placenames.enums import (
    CaseKind,
    Category,
    ChangeStatus,
    DocumentKind,
    LineLevel,
    MarkerCondition,
    NameStatus,
    NamingStatus,
)


class PlaceName(models.Model):
    division_code = models.CharField("所在区划代码", max_length=12)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    name = models.CharField("标准名称", max_length=60)
    pinyin = models.CharField("汉语拼音", max_length=120)
    meaning = models.TextField("含义", blank=True)
    history = models.TextField("历史沿革", blank=True)
    geometry = models.JSONField("位置（GeoJSON）", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=NameStatus.choices, default=NameStatus.STANDARD)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    approval_no = models.CharField("批准文号", max_length=60, blank=True)
    heritage = models.BooleanField("列入地名文化遗产（历史地名）保护名录", default=False)
    heritage_listed_on = models.DateField("列入名录日期", null=True, blank=True)
    heritage_note = models.TextField("文化价值", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "地名"
        ordering = ["division_code", "category", "name"]
        indexes = [models.Index(fields=["name", "category"], name="pn_name_category_idx")]

    def __str__(self) -> str:
        return self.name


class NamingCase(CaseModel):
    """命名（更名）: 申请 → 专家论证 → 社会公示 → 批准 → 公告 (workflow ``placenames.naming``)."""

    division_code = models.CharField("所在区划代码", max_length=12)
    status = models.CharField("状态", max_length=24, choices=NamingStatus.choices, default=NamingStatus.APPLIED)
    kind = models.CharField("类型", max_length=10, choices=CaseKind.choices)
    place = models.ForeignKey(PlaceName, on_delete=models.PROTECT, null=True, blank=True, related_name="cases", verbose_name="原地名")
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    proposed_name = models.CharField("拟用名称", max_length=60)
    pinyin = models.CharField("汉语拼音", max_length=120)
    meaning = models.TextField("含义", blank=True)
    geometry = models.JSONField("位置（GeoJSON）", null=True, blank=True)
    applicant = models.CharField("申请单位", max_length=100)
    applied_on = models.DateField("申请日期")
    notice_from = models.DateField("公示开始", null=True, blank=True)
    notice_to = models.DateField("公示结束", null=True, blank=True)
    approval_no = models.CharField("批准文号", max_length=60, blank=True)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    announced_on = models.DateField("公告日期", null=True, blank=True)
    result = models.ForeignKey(PlaceName, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="公告后的地名")
    step_deadline_on = None

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "地名命名更名"
        ordering = ["-applied_on", "-id"]


class NamingDocument(models.Model):
    case = models.ForeignKey(NamingCase, on_delete=models.CASCADE, related_name="documents", verbose_name="命名更名")
    division_code = models.CharField("所在区划代码", max_length=12)
    kind = models.CharField("材料类型", max_length=16, choices=DocumentKind.choices)
    title = models.CharField("标题", max_length=200)
    number = models.CharField("文号", max_length=60, blank=True)
    dated = models.DateField("日期")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "命名更名材料"
        ordering = ["id"]


class BoundaryLine(models.Model):
    division_code = models.CharField("管理区划代码", max_length=12)
    level = models.CharField("级别", max_length=10, choices=LineLevel.choices)
    name = models.CharField("界线名称", max_length=60)
    parties = models.CharField("毗邻双方", max_length=100)
    length_km = models.DecimalField("长度（公里）", max_digits=8, decimal_places=2, null=True, blank=True)
    agreement = models.CharField("界线协议书", max_length=200, blank=True)
    agreement_on = models.DateField("协议签订日期", null=True, blank=True)
    geometry = models.JSONField("走向（GeoJSON）", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区域界线"
        ordering = ["level", "name"]
        constraints = [models.UniqueConstraint(fields=["name"], name="pn_line_name_once")]

    def __str__(self) -> str:
        return self.name


class Marker(models.Model):
    line = models.ForeignKey(BoundaryLine, on_delete=models.PROTECT, related_name="markers", verbose_name="界线")
    division_code = models.CharField("管理区划代码", max_length=12)
    number = models.CharField("界桩编号", max_length=30)
    lon = models.DecimalField("经度", max_digits=9, decimal_places=6)
    lat = models.DecimalField("纬度", max_digits=9, decimal_places=6)
    condition = models.CharField("状况", max_length=10, choices=MarkerCondition.choices, default=MarkerCondition.GOOD)
    installed_on = models.DateField("埋设日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "界桩"
        ordering = ["line", "number"]
        constraints = [models.UniqueConstraint(fields=["line", "number"], name="pn_marker_number_once")]


class Inspection(models.Model):
    """A 联检 of a line in a year, with findings and repairs."""

    line = models.ForeignKey(BoundaryLine, on_delete=models.PROTECT, related_name="inspections", verbose_name="界线")
    division_code = models.CharField("管理区划代码", max_length=12)
    year = models.PositiveSmallIntegerField("联检年度")
    inspected_on = models.DateField("联检日期")
    findings = models.TextField("发现问题", blank=True)
    repairs = models.TextField("修复情况", blank=True)
    markers_repaired = models.PositiveSmallIntegerField("修复界桩数", default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "界线联检"
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["line", "year"], name="pn_inspection_once_a_year")]


class DivisionChange(CaseModel):
    """A division change (更名、撤乡设镇 …) as a procedure: 申报 → 批准 (approval document) → 登记生效,
    which writes the dated change through ``divisions.actions.do_change_division``."""

    division_code = models.CharField("区划代码", max_length=12)
    status = models.CharField("状态", max_length=24, choices=ChangeStatus.choices, default=ChangeStatus.APPLIED)
    new_name = models.CharField("新名称", max_length=60)
    new_kind = models.CharField("新类型", max_length=20)
    effective = models.DateField("生效日期")
    reason = models.TextField("变更理由")
    approval_no = models.CharField("批准文号", max_length=100, blank=True)
    approved_on = models.DateField("批准日期", null=True, blank=True)
    applied_on = models.DateField("申报日期")
    # The dated version of the division tree this procedure wrote (divisions.Division, opened by
    # do_change_division on 登记生效).
    recorded_version = models.ForeignKey("divisions.Division", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                         verbose_name="登记的区划版本")
    step_deadline_on = None

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "区划变更"
        ordering = ["-applied_on", "-id"]
