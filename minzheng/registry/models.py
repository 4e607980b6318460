"""People and households. Both are scoped by the 12-digit code of their village."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.registry.enums import (
    ChildStatus,
    DeathReportStatus,
    DeathSource,
    DisabilityCategory,
    HukouType,
    JoinRequestSource,
    JoinRequestStatus,
    MembershipChangeReason,
    Relation,
    SelfCare,
    Sex,
    WorkCapacity,
)


class Household(models.Model):
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    address = models.CharField("住址", max_length=200, blank=True)
    zone = models.CharField("城乡类别", max_length=6, choices=[("urban", "城镇"), ("rural", "农村")])
    head = models.ForeignKey(
        "registry.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="户主"
    )
    member_count = models.PositiveSmallIntegerField("在户人数", default=0)
    # Economic facts (verified by the economic check; here the latest known values), fen.
    financial_assets_fen = models.BigIntegerField("金融资产（分）", default=0)
    vehicle_value_fen = models.BigIntegerField("最高车辆价值（分）", default=0)
    rigid_spending_12m_fen = models.BigIntegerField("近12个月刚性支出（分）", default=0)
    income_irregular = models.BooleanField("收入不固定", default=False)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭"
        indexes = [models.Index(fields=["division_code"], name="household_division_idx")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """How a household is named on screens: its head and address (never its row number)."""
        head = self.head.name if self.head_id and self.head else "未设户主"
        return f"{head}户" + (f"（{self.address}）" if self.address else "")


class Person(models.Model):
    # ID number: SM4-GCM ciphertext, keyed blind index for exact search, masked display form.
    id_number_encrypted = models.TextField("身份证号码（密文）")
    id_number_index = models.CharField("身份证号码检索索引", max_length=64, unique=True)
    id_number_masked = models.CharField("身份证号码（脱敏）", max_length=18)
    name = models.CharField("姓名", max_length=50)
    name_pinyin = models.CharField("姓名拼音", max_length=200, blank=True)
    name_initials = models.CharField("拼音首字母", max_length=50, blank=True)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    birth_date = models.DateField("出生日期")
    phone_encrypted = models.TextField("联系电话（密文）", blank=True)
    phone_masked = models.CharField("联系电话（脱敏）", max_length=20, blank=True)
    division_code = models.CharField("居住地村（社区）代码", max_length=12)
    hukou_division_code = models.CharField("户籍地区划代码", max_length=12)
    hukou_type = models.CharField("户口性质", max_length=20, choices=HukouType.choices)
    household = models.ForeignKey(
        Household, on_delete=models.SET_NULL, null=True, blank=True, related_name="persons", verbose_name="当前家庭"
    )
    disability_category = models.CharField(
        "残疾类别", max_length=16, choices=DisabilityCategory.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField("残疾等级", default=0)  # 0 = none, 1..4
    disability_certificate_encrypted = models.TextField("残疾人证号（密文）", blank=True)
    serious_illness = models.BooleanField("重病", default=False)
    work_capacity = models.CharField("劳动能力", max_length=8, choices=WorkCapacity.choices, default="full")
    self_care = models.CharField("生活自理能力", max_length=16, choices=SelfCare.choices, default="able")
    student = models.BooleanField("在校学生", default=False)
    child_status = models.CharField("儿童类别", max_length=24, choices=ChildStatus.choices, blank=True)
    in_institution = models.BooleanField("机构集中供养/养育", default=False)
    has_capable_supporter = models.BooleanField("有履行能力的法定赡养抚养扶养人", default=True)
    # Monthly income by kind, fen (national categories: 工资性、经营净、财产净、转移净).
    income_wage_fen = models.BigIntegerField("工资性收入（分/月）", default=0)
    income_business_fen = models.BigIntegerField("经营净收入（分/月）", default=0)
    income_property_fen = models.BigIntegerField("财产净收入（分/月）", default=0)
    income_transfer_fen = models.BigIntegerField("转移净收入（分/月）", default=0)
    is_deceased = models.BooleanField("已死亡", default=False)
    death_date = models.DateField("死亡日期", null=True, blank=True)
    created_at = models.DateTimeField("建档时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "人员"
        indexes = [
            models.Index(fields=["division_code"], name="person_division_idx"),
            # id last: the search order (name, division_code, id) is read straight off the index.
            models.Index(fields=["name", "division_code", "id"], name="person_name_idx"),
            models.Index(fields=["name_initials", "division_code", "id"], name="person_initials_idx"),
            models.Index(fields=["division_code", "birth_date"], name="person_div_birth_idx"),
            # The few deceased: screening's enrolment read joins them alone (docs/performance.md).
            models.Index(fields=["id"], condition=models.Q(is_deceased=True), name="person_deceased_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_disability(self) -> bool:
        return self.disability_grade > 0


class HouseholdMembership(models.Model):
    """Dated membership: joining opens a row, leaving closes it; rows are never deleted."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    division_code = models.CharField("区划代码", max_length=12)
    relation = models.CharField("与户主关系", max_length=16, choices=Relation.choices)
    valid_from = models.DateField("加入日期")
    valid_to = models.DateField("离开日期", null=True, blank=True)
    reason_joined = models.CharField("加入原因", max_length=16, choices=MembershipChangeReason.choices)
    reason_left = models.CharField("离开原因", max_length=16, choices=MembershipChangeReason.choices, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭成员关系"
        indexes = [
            models.Index(fields=["household", "valid_to"], name="membership_household_idx"),
            models.Index(fields=["person", "valid_to"], name="membership_person_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(valid_to__isnull=True), name="membership_one_current_household"
            )
        ]


class DeathReport(models.Model):
    """A department's report that a person has died, waiting for the village's check (ADR 0004).

    The person stays alive in the registry until the report is confirmed; each service line
    says what it does on report, confirmation and refutation (``registry.deaths``), and what it
    did is kept in ``effects`` so the person page can show it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="death_reports", verbose_name="人员")
    division_code = models.CharField("区划代码", max_length=12)  # the person's village when reported
    death_date = models.DateField("报告的死亡日期")
    source = models.CharField("信息来源", max_length=12, choices=DeathSource.choices)
    reference = models.CharField("信息出处", max_length=200)
    status = models.CharField("状态", max_length=10, choices=DeathReportStatus.choices, default=DeathReportStatus.PENDING)
    reported_at = models.DateTimeField("报告时间", auto_now_add=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="导入人"
    )
    reported_by_name = models.CharField("导入人", max_length=150, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="核实人"
    )
    decided_by_name = models.CharField("核实人", max_length=150, blank=True)
    decided_at = models.DateTimeField("核实时间", null=True, blank=True)
    reason = models.CharField("核实情况说明", max_length=500, blank=True)
    effects = models.JSONField("各业务处理情况", default=dict, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "死亡信息报告"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(status="pending"), name="death_report_one_pending"
            )
        ]
        indexes = [
            models.Index(fields=["division_code", "status"], name="death_report_division_idx"),
            models.Index(fields=["person", "status"], name="death_report_person_idx"),
        ]

    def __str__(self) -> str:
        return f"死亡信息报告 {self.pk}"


class HouseholdJoinRequest(models.Model):
    """A person to be put in a household at another line's request — a spouse joining the other
    spouse's household after the marriage registration, when the couple asks. The village of
    the household does it through the registry's own membership change, or declines with a
    reason. Scoped by the household's village."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="迁入人员")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+", verbose_name="迁入家庭")
    division_code = models.CharField("迁入家庭所在村（社区）代码", max_length=12)
    relation = models.CharField("与户主关系", max_length=16, choices=Relation.choices)
    reason = models.CharField("加入原因", max_length=16, choices=MembershipChangeReason.choices)
    source = models.CharField("申请来源", max_length=12, choices=JoinRequestSource.choices)
    source_id = models.BigIntegerField("来源记录编号")
    source_label = models.CharField("申请依据", max_length=120)
    status = models.CharField("状态", max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING)
    requested_on = models.DateField("申请日期")
    requested_by_name = models.CharField("申请经办人", max_length=150)
    decided_on = models.DateField("办理日期", null=True, blank=True)
    decided_by_name = models.CharField("办理人", max_length=150, blank=True)
    decline_reason = models.CharField("不予办理理由", max_length=200, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭户变更申请"
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=models.Q(status="pending"), name="registry_one_pending_join_request"),
        ]


class FactsChange(models.Model):
    """One change to what a household's screening facts are made of: a household, a
    membership or a person row inserted, updated or deleted. Written by database triggers
    (migration 0007), not by Python, so that no writer — an action, a bulk update, an import,
    raw SQL — can change the facts unseen. ``household_id`` and ``person_id`` are plain
    integers (the row may be gone); both null means "everything" (a TRUNCATE). Read by the
    facts snapshot (registry/snapshot.py) and incremental screening; pruned as they advance."""

    household_id = models.BigIntegerField("家庭编号", null=True)
    person_id = models.BigIntegerField("人员编号", null=True)
    changed_at = models.DateTimeField("变更时间", db_default=models.functions.Now())

    class Meta:
        verbose_name = "事实变更记录"


class FactsSnapshot(models.Model):
    """The one columnar snapshot of the screening facts (a pair of Parquet files under
    ``MINZHENG_WORK_DIR``, named by ``token``, and a delta of re-read households named by
    ``delta_token``), current up to ``change_mark`` (``delta_mark`` with a delta): every
    FactsChange with a larger id, or written at or after ``window_start`` (a transaction still
    open when the mark was taken), is applied on read. ``pruned_through`` / ``pruned_before``: FactsChange
    rows up to this id written before this time are deleted, so a mark below either can no
    longer be brought up to date."""

    token = models.CharField("快照标识", max_length=32, blank=True)
    change_mark = models.BigIntegerField("已包含的变更编号", default=0)
    window_start = models.DateTimeField("在途事务起点", null=True)
    built_at = models.DateTimeField("生成时间", null=True)
    households = models.IntegerField("家庭数", default=0)
    members = models.IntegerField("成员数", default=0)
    pruned_through = models.BigIntegerField("已清理的变更编号", default=0)
    pruned_before = models.DateTimeField("已清理的变更时间", null=True)
    # The delta: the households re-read since the base files, with their rows as read at
    # ``delta_mark`` — small files written on each patch, so that a day's changes are read
    # from the database once, not again on every read until the base is rewritten.
    delta_token = models.CharField("增量标识", max_length=32, blank=True)
    delta_mark = models.BigIntegerField("增量已包含的变更编号", default=0)
    delta_window_start = models.DateTimeField("增量在途事务起点", null=True)
    delta_households = models.IntegerField("增量家庭数", default=0)

    class Meta:
        verbose_name = "筛查事实快照"
