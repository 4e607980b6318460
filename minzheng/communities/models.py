"""Community-governance rows. Every row carries the 12-digit code of its village or community
(a demonstration site: the village's) and is read only through ``visible_to(actor)`` /
``access_by_id``."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.models import CaseModel
from minzheng.communities.enums import (
    CharterKind,
    DisclosureCategory,
    ElectionStatus,
    FacilityStatus,
    MatterCategory,
    MatterOwner,
    MatterStatus,
    Ownership,
    Post,
    SiteEvaluation,
    SiteLevel,
    WorkerPost,
)


class ServiceFacility(models.Model):
    """A village's or community's 综合服务设施 (one or more per village)."""

    division_code = models.CharField("村（社区）代码", max_length=12)
    name = models.CharField("名称", max_length=100)
    area_m2 = models.DecimalField("建筑面积（平方米）", max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    rooms = models.PositiveSmallIntegerField("功能室数", default=0)
    functions = models.CharField("功能（党群服务、便民服务、养老、儿童之家等）", max_length=300, blank=True)
    hours = models.CharField("开放时间", max_length=100, blank=True)
    ownership = models.CharField("产权", max_length=12, choices=Ownership.choices)
    status = models.CharField("状态", max_length=10, choices=FacilityStatus.choices, default=FacilityStatus.IN_USE)
    opened_on = models.DateField("投入使用日期", null=True, blank=True)
    # Its place on the map (WGS84 degrees), inside the district; both or neither.
    lon = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField("纬度", max_digits=8, decimal_places=6, null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "社区综合服务设施"
        ordering = ["division_code", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(area_m2__gte=0), name="co_facility_area_nonnegative")]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(models.Model):
    """A member of a 村民委员会 / 居民委员会 with post and term."""

    division_code = models.CharField("村（社区）代码", max_length=12)
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("职务", max_length=12, choices=Post.choices)
    is_woman = models.BooleanField("女性", default=False)
    party_secretary = models.BooleanField("党组织书记“一肩挑”", default=False)
    term_start = models.DateField("任期开始")
    term_end = models.DateField("任期届满")
    election = models.ForeignKey("Election", on_delete=models.SET_NULL, null=True, blank=True, related_name="members", verbose_name="当选选举")
    left_on = models.DateField("离任日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "村（居）委会成员"
        ordering = ["division_code", "post", "id"]


class Election(CaseModel):
    """A 村（居）委会换届选举: 资格联审 → 待投票 → 已选举 → 已发证 (workflow ``communities.election``)."""

    division_code = models.CharField("村（社区）代码", max_length=12)
    status = models.CharField("状态", max_length=24, choices=ElectionStatus.choices, default=ElectionStatus.QUALIFYING)
    term_start = models.DateField("届期开始日期")
    term_end = models.DateField("届期届满日期")
    voting_date = models.DateField("选举日期")
    registered_voters = models.PositiveIntegerField("登记选民数", default=0)
    votes_cast = models.PositiveIntegerField("参加投票人数", default=0)
    certificate_no = models.CharField("当选证书编号", max_length=40, blank=True)
    certified_on = models.DateField("发证日期", null=True, blank=True)
    step_deadline_on = None

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "换届选举"
        ordering = ["-voting_date", "-id"]


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates", verbose_name="选举")
    division_code = models.CharField("村（社区）代码", max_length=12)
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("拟任职务", max_length=12, choices=Post.choices)
    is_woman = models.BooleanField("女性", default=False)
    votes = models.PositiveIntegerField("得票数", null=True, blank=True)
    elected = models.BooleanField("当选", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "候选人"
        ordering = ["id"]

    @property
    def refused(self) -> bool:
        return any(not a.passed for a in self.answers.all())


class QualificationAnswer(models.Model):
    """One department's answer in the 资格联审 of one candidate (公安、纪委监委、法院、检察院 …)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="answers", verbose_name="候选人")
    division_code = models.CharField("村（社区）代码", max_length=12)
    department = models.CharField("联审部门", max_length=40)
    passed = models.BooleanField("审查通过")
    note = models.CharField("意见", max_length=200, blank=True)
    answered_on = models.DateField("答复日期")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "资格联审意见"
        constraints = [models.UniqueConstraint(fields=["candidate", "department"], name="co_answer_once_per_department")]


class Disclosure(models.Model):
    """A 村（居）务公开 item, by year and quarter."""

    division_code = models.CharField("村（社区）代码", max_length=12)
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度")
    category = models.CharField("类别", max_length=12, choices=DisclosureCategory.choices)
    title = models.CharField("公开事项", max_length=200)
    published_on = models.DateField("公开日期")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "村（居）务公开"
        ordering = ["-year", "-quarter", "-published_on", "-id"]


class Consultation(models.Model):
    """A 协商 meeting."""

    division_code = models.CharField("村（社区）代码", max_length=12)
    held_on = models.DateField("协商日期")
    topic = models.CharField("协商议题", max_length=200)
    participants = models.PositiveSmallIntegerField("参加人数", default=0)
    outcome = models.TextField("协商结果", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "协商会议"
        ordering = ["-held_on", "-id"]


class Matter(models.Model):
    """A 三事分流 matter: 大事 → 政府, 小事 → 村（社区）, 私事 → 居民."""

    division_code = models.CharField("村（社区）代码", max_length=12)
    raised_on = models.DateField("提出日期")
    title = models.CharField("事项", max_length=200)
    category = models.CharField("分类", max_length=10, choices=MatterCategory.choices)
    owner = models.CharField("承办主体", max_length=12, choices=MatterOwner.choices)
    handled_by = models.CharField("具体承办人（单位）", max_length=100, blank=True)
    consultation = models.ForeignKey(Consultation, on_delete=models.SET_NULL, null=True, blank=True, related_name="matters", verbose_name="协商会议")
    status = models.CharField("状态", max_length=8, choices=MatterStatus.choices, default=MatterStatus.OPEN)
    outcome = models.TextField("办理结果", blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "三事分流事项"
        ordering = ["-raised_on", "-id"]


class Charter(models.Model):
    """A version of a community's 自治章程 or 村规民约 (居民公约)."""

    division_code = models.CharField("村（社区）代码", max_length=12)
    kind = models.CharField("类别", max_length=10, choices=CharterKind.choices)
    version = models.PositiveSmallIntegerField("版本")
    approved_on = models.DateField("通过（备案）日期")
    approved_by = models.CharField("通过会议", max_length=100, blank=True)
    text = models.TextField("正文", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "自治章程与村规民约"
        ordering = ["division_code", "kind", "-version"]
        constraints = [models.UniqueConstraint(fields=["division_code", "kind", "version"], name="co_charter_version_once")]


class Worker(models.Model):
    """A community worker (社区工作者): post and grade in 三岗十八级 where it applies."""

    division_code = models.CharField("村（社区）代码", max_length=12)
    name = models.CharField("姓名", max_length=50)
    post = models.CharField("岗位", max_length=10, choices=WorkerPost.choices)
    grade = models.PositiveSmallIntegerField("等级", null=True, blank=True)
    started_on = models.DateField("入职日期")
    certified_social_worker = models.BooleanField("持社会工作者职业资格证书", default=False)
    certificate_no = models.CharField("证书编号", max_length=40, blank=True)
    left_on = models.DateField("离职日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "社区工作者"
        ordering = ["division_code", "post", "id"]


class Training(models.Model):
    worker = models.ForeignKey(Worker, on_delete=models.CASCADE, related_name="trainings", verbose_name="社区工作者")
    division_code = models.CharField("村（社区）代码", max_length=12)
    course = models.CharField("培训内容", max_length=100)
    held_on = models.DateField("培训日期")
    hours = models.DecimalField("学时", max_digits=5, decimal_places=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "培训记录"
        ordering = ["-held_on", "-id"]


class DemonstrationSite(models.Model):
    """A 社区治理示范点: district or city level, year, theme, evaluation."""

    division_code = models.CharField("村（社区）代码", max_length=12)
    level = models.CharField("级别", max_length=10, choices=SiteLevel.choices)
    year = models.PositiveSmallIntegerField("命名年度")
    theme = models.CharField("主题", max_length=100)
    evaluation = models.CharField("评估结果", max_length=10, choices=SiteEvaluation.choices, default=SiteEvaluation.PENDING)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "社区治理示范点"
        ordering = ["level", "year", "division_code"]
        constraints = [models.UniqueConstraint(fields=["division_code", "level"], name="co_site_once_per_level")]
