"""Plans, their indicators and targets, key projects, the indicator values that monitor them,
and the evaluation reports made from those values.

A plan is data: the 2021–2025 plan is loaded from ``planning/data/2021-2025/`` and a
2026–2030 plan is another folder, not another model. Rows that belong to a place carry the
code of their division (6 digits for the district, 9 for a town) and are read only through
``visible_to(actor)`` / ``access_by_id``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.planning.enums import (
    ANNUAL,
    Aggregation,
    Attribute,
    Direction,
    IndicatorKind,
    ReportFormat,
    ReportKind,
    Source,
    SubmissionStatus,
    TargetRule,
)


class Plan(models.Model):
    code = models.CharField("规划编号", max_length=20, unique=True)  # "2021-2025"
    title = models.CharField("规划名称", max_length=120)
    short_title = models.CharField("简称", max_length=40)
    document_number = models.CharField("印发文号", max_length=40, blank=True)
    issuer = models.CharField("印发机关", max_length=60, blank=True)
    issued_on = models.DateField("印发日期", null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField("基期年")
    start_year = models.PositiveSmallIntegerField("起始年")
    end_year = models.PositiveSmallIntegerField("目标年")
    midterm_year = models.PositiveSmallIntegerField("中期评估年")
    source = models.CharField("数据来源", max_length=300, blank=True)
    loaded_at = models.DateTimeField("载入时间", auto_now=True)

    class Meta:
        verbose_name = "规划"
        ordering = ["start_year"]

    def __str__(self) -> str:
        return self.title

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class PlanChapter(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="chapters")
    number = models.PositiveSmallIntegerField("章序号")
    title = models.CharField("章标题", max_length=120)

    class Meta:
        verbose_name = "规划章节"
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="planning_chapter_unique")]

    def __str__(self) -> str:
        return self.title


class PlanTask(models.Model):
    """One task of the plan: a titled paragraph of a section (第X节), or a 专栏 box."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    chapter = models.ForeignKey(PlanChapter, on_delete=models.CASCADE, related_name="tasks")
    section_number = models.PositiveSmallIntegerField("节序号", default=0)  # 0: a 专栏 at chapter level
    section_title = models.CharField("节标题", max_length=120, blank=True)
    seq = models.PositiveSmallIntegerField("序号")
    title = models.CharField("任务", max_length=200)
    summary = models.TextField("内容摘要", blank=True)
    is_box = models.BooleanField("专栏", default=False)

    class Meta:
        verbose_name = "规划任务"
        ordering = ["plan", "chapter__number", "section_number", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["chapter", "section_number", "seq"], name="planning_task_unique")
        ]

    def __str__(self) -> str:
        return self.title


class ReferenceSeries(models.Model):
    """A series an indicator's target is read against (e.g. 居民人均消费支出增速)."""

    code = models.CharField("代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=100)
    unit = models.CharField("单位", max_length=20)
    source = models.CharField("来源", max_length=200, blank=True)

    class Meta:
        verbose_name = "参照序列"

    def __str__(self) -> str:
        return self.name


class ReferenceValue(models.Model):
    series = models.ForeignKey(ReferenceSeries, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField("年度")
    value = models.DecimalField("数值", max_digits=12, decimal_places=2)
    evidence = models.CharField("来源说明", max_length=300)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    entered_at = models.DateTimeField("录入时间", auto_now=True)

    class Meta:
        verbose_name = "参照序列数值"
        ordering = ["series", "year"]
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="planning_refvalue_unique")]


class Indicator(models.Model):
    """A quantified target of a plan: one of the main indicators (专栏1) or another target."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField("类别", max_length=8, choices=IndicatorKind.choices, default=IndicatorKind.MAIN)
    code = models.CharField("编号", max_length=8)  # "1".."19" main, "O01".. other targets
    seq = models.PositiveSmallIntegerField("排序")
    area = models.CharField("领域", max_length=20, blank=True)
    name = models.CharField("指标名称", max_length=100)
    unit = models.CharField("单位", max_length=12)
    baseline_value = models.DecimalField("基期值", max_digits=16, decimal_places=4, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField("基期年", null=True, blank=True)
    baseline_text = models.CharField("基期值（原文）", max_length=60, blank=True)
    target_value = models.DecimalField("目标值", max_digits=16, decimal_places=4, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField("目标年")
    target_text = models.CharField("目标值（原文）", max_length=60, blank=True)
    target_rule = models.CharField("目标判定", max_length=12, choices=TargetRule.choices)
    reference_series = models.ForeignKey(
        ReferenceSeries, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators",
        verbose_name="参照序列",
    )
    reference_lag_years = models.PositiveSmallIntegerField("参照滞后年数", default=1)
    attribute = models.CharField("指标属性", max_length=10, choices=Attribute.choices, blank=True)
    direction = models.CharField("方向", max_length=6, choices=Direction.choices)
    responsible_section = models.CharField("责任科室", max_length=40, blank=True)
    aggregation = models.CharField("汇总方式", max_length=10, choices=Aggregation.choices)
    computation = models.CharField("计算方法", max_length=60, blank=True)  # a name in computations.REGISTRY
    mirror_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="mirrors",
        verbose_name="与主要指标相同",
    )
    decimals = models.PositiveSmallIntegerField("小数位数", default=1)
    source = models.CharField("出处", max_length=40, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "规划指标"
        ordering = ["plan", "kind", "seq"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="planning_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def label(self) -> str:
        return f"{self.name}（{self.unit}）"

    @property
    def is_computed(self) -> bool:
        return bool(self.computation)

    @property
    def value_indicator(self) -> Indicator:
        """Whose values this target shows: an other target equal to a main indicator reads its values."""
        return self.mirror_of or self


class OtherTargetManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(kind=IndicatorKind.OTHER)


class OtherTarget(Indicator):
    """The other quantified targets of the plan's chapters and 专栏2–6 (other_targets.csv)."""

    objects = OtherTargetManager()

    class Meta:
        proxy = True
        verbose_name = "其他量化目标"


class IndicatorValue(models.Model):
    """The published figure of an indicator for a year (month 0) or a month, district or town.

    Computed values are written by a named computation; manual values are published only by
    the approval of a ValueSubmission (maker-checker). ``as_of`` is the "数据截至" time.
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", default=ANNUAL)  # 0 = 年度（年末）值
    division_code = models.CharField("区划代码", max_length=12)
    value = models.DecimalField("数值", max_digits=20, decimal_places=4)
    numerator = models.DecimalField("分子", max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField("分母", max_digits=20, decimal_places=4, null=True, blank=True)
    source = models.CharField("来源", max_length=8, choices=Source.choices)
    computation = models.CharField("计算方法", max_length=60, blank=True)
    evidence = models.TextField("佐证/计算说明", blank=True)
    as_of = models.DateTimeField("数据截至")
    submission = models.ForeignKey(
        "ValueSubmission", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField("写入时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "指标数值"
        ordering = ["indicator", "year", "month", "division_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "month", "division_code"], name="planning_value_unique"
            ),
            models.CheckConstraint(condition=models.Q(month__lte=12), name="planning_value_month_0_12"),
        ]
        indexes = [
            models.Index(fields=["division_code", "year"], name="planning_value_div_year_idx"),
        ]


class ValueSubmission(models.Model):
    """A hand-entered value waiting for (or past) approval by district staff."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="submissions")
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", default=ANNUAL)
    division_code = models.CharField("区划代码", max_length=12)
    value = models.DecimalField("数值", max_digits=20, decimal_places=4)
    numerator = models.DecimalField("分子", max_digits=20, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField("分母", max_digits=20, decimal_places=4, null=True, blank=True)
    as_of = models.DateField("数据截至日期")
    evidence = models.TextField("佐证说明")
    attachment = models.FileField("佐证材料", upload_to="planning/evidence/%Y/", blank=True)
    status = models.CharField("状态", max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.PENDING)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    submitted_at = models.DateTimeField("填报时间", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.CharField("审核意见", max_length=300, blank=True)
    import_batch = models.ForeignKey(  # the exchange batch (指标数值导入) it came from, if imported
        "exchange.ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "指标填报"
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["division_code", "status"], name="planning_sub_div_status_idx")]


class PeriodLock(models.Model):
    """After ``locks_on`` the values of ``year`` are frozen: no entry, approval or recomputation."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="locks")
    year = models.PositiveSmallIntegerField("年度")
    locks_on = models.DateField("锁定日期")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    set_at = models.DateTimeField("设置时间", auto_now=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "数据锁定"
        ordering = ["plan", "year"]
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="planning_lock_unique")]


class KeyProject(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="projects")
    group = models.CharField("类别", max_length=20)
    group_seq = models.PositiveSmallIntegerField("类别序号")
    seq = models.PositiveSmallIntegerField("序号")
    name = models.CharField("项目名称", max_length=100)
    content = models.TextField("主要建设内容")
    location = models.CharField("建设地点", max_length=120)
    division_code = models.CharField("所在区划代码", max_length=12)
    investment_wan = models.DecimalField("总投资（万元）", max_digits=14, decimal_places=2)
    funding = models.CharField("资金来源", max_length=60)
    period_text = models.CharField("建设期限（原文）", max_length=20)
    start_year = models.PositiveSmallIntegerField("开工年")
    end_year = models.PositiveSmallIntegerField("完工年")
    latest_percent = models.DecimalField("最新完成进度（%）", max_digits=5, decimal_places=2, default=0)
    latest_spent_wan = models.DecimalField("累计完成投资（万元）", max_digits=14, decimal_places=2, default=0)
    latest_report_on = models.DateField("最近报告日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "重点项目"
        ordering = ["plan", "group_seq", "seq"]
        constraints = [models.UniqueConstraint(fields=["plan", "group", "seq"], name="planning_project_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def code(self) -> str:
        return f"{self.group_seq}-{self.seq:02d}"


class ProgressReport(models.Model):
    project = models.ForeignKey(KeyProject, on_delete=models.CASCADE, related_name="reports")
    division_code = models.CharField("区划代码", max_length=12)
    reported_on = models.DateField("报告日期")
    percent_complete = models.DecimalField("完成进度（%）", max_digits=5, decimal_places=2)
    spent_wan = models.DecimalField("累计完成投资（万元）", max_digits=14, decimal_places=2)
    milestones = models.TextField("形象进度/节点", blank=True)
    issues = models.TextField("存在问题", blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "项目进度报告"
        ordering = ["project", "-reported_on", "-id"]


class ProgressPhoto(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="photos")
    division_code = models.CharField("区划代码", max_length=12)
    file = models.FileField("照片", upload_to="planning/progress/%Y/")
    caption = models.CharField("说明", max_length=100, blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "项目现场照片"


class ReportNarrative(models.Model):
    """The text sections of an evaluation report, edited on a page before generating."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="narratives")
    kind = models.CharField("报告类型", max_length=8, choices=ReportKind.choices)
    sections = models.JSONField("各部分文字", default=dict)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    class Meta:
        verbose_name = "评估报告文字"
        constraints = [models.UniqueConstraint(fields=["plan", "kind"], name="planning_narrative_unique")]


class GeneratedReport(models.Model):
    """A generated evaluation report, kept with its date and author."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="generated_reports")
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("报告类型", max_length=8, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField("评估年度")
    fmt = models.CharField("格式", max_length=4, choices=ReportFormat.choices)
    file = models.FileField("文件", upload_to="planning/reports/%Y/")
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    narrative = models.JSONField("报告文字（生成时）", default=dict)
    narrative_version = models.PositiveIntegerField("文字版本", default=0)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    generated_by_name = models.CharField("生成人", max_length=150)
    generated_at = models.DateTimeField("生成时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "已生成评估报告"
        ordering = ["-generated_at", "-id"]
