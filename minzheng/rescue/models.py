"""The rescue station's tables (流浪乞讨人员救助管理, service-lines §4).

Ownership (docs/rescue.md §1): the 救助管理站 is a unit of the district bureau, so the
station, its beds and every station case carry the **district's** code — only district-level
users see them, and among those only the station's staff (``rescue.station``) act on them. The
place where a person was found (``found_division_code``, a village) is a fact of the case, not
its owner. What the villages do — visits at home after a return, the 易流浪走失人员 register —
belongs to the person's village (``ReturnFollowUp``, ``WanderingRisk``).

Sensitive data (service-lines §0, §4): photos are re-encoded without EXIF and served to station
staff only; of DNA, fingerprints and faces only the police request/result reference is stored,
never a sample; a stated ID number is kept as the registry's (encrypted, blind index, mask).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.models import CaseModel
from minzheng.core.district import district_code
from minzheng.core.stored_photos import StoredPhoto
from minzheng.rescue.enums import (
    RefusalGround,
    CampaignKind,
    CaseStatus,
    HospitalOutcome,
    Medical,
    Placement,
    Receiver,
    ReturnMode,
    SearchKind,
    SearchResult,
    SettlementDoc,
    Sex,
    Source,
)


class Station(models.Model):
    """A 救助管理站 (Fuling has one: the key project 救助管理站综合楼, 80 beds)."""

    name = models.CharField("名称", max_length=60)
    division_code = models.CharField("所属区划代码", max_length=12)
    location_code = models.CharField("所在村（社区）代码", max_length=12)
    address = models.CharField("地址", max_length=120)
    capacity = models.PositiveSmallIntegerField("床位数")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "救助管理站"

    def __str__(self) -> str:
        return self.name


class Bed(models.Model):
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="beds")
    division_code = models.CharField("区划代码", max_length=12)
    number = models.CharField("床位号", max_length=8)
    is_active = models.BooleanField("可用", default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "床位"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["station", "number"], name="rescue_bed_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}号床"


class RescueCase(CaseModel):
    """One person's stay at the station, from intake to return home, leaving or settlement.
    A case of the workflow ``rescue.case`` (workflow.py): ``status`` and ``version`` are written
    only by the case kit."""

    number = models.CharField("受助编号", max_length=20, unique=True)
    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="cases")
    division_code = models.CharField("区划代码", max_length=12)
    status = models.CharField("状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.IN_STATION)
    # Identity as known at intake (possibly none).
    name = models.CharField("姓名", max_length=50)
    name_known = models.BooleanField("姓名已知", default=False)
    sex = models.CharField("性别", max_length=1, choices=Sex.choices)
    estimated_age = models.PositiveSmallIntegerField("年龄（估计）", null=True, blank=True)
    id_number_encrypted = models.TextField("身份证号码（密文）", blank=True)
    id_number_masked = models.CharField("身份证号码（脱敏）", max_length=18, blank=True)
    origin_text = models.CharField("自述户籍地", max_length=100, blank=True)
    features = models.CharField("体貌特征", max_length=300, blank=True)
    belongings = models.CharField("随身物品", max_length=300, blank=True)
    health = models.CharField("健康状况", max_length=300, blank=True)
    risks = models.JSONField("风险情形", default=list, blank=True)
    # Source and time.
    source = models.CharField("来源", max_length=10, choices=Source.choices)
    source_unit = models.CharField("护送单位或报告人", max_length=80, blank=True)
    found_place = models.CharField("发现地点", max_length=120)
    found_division_code = models.CharField("发现地村（社区）代码", max_length=12)
    arrived_at = models.DateTimeField("入站时间")
    stay_until = models.DateField("在站期限")
    # Children's protection case opened for a minor (its number, as children shows it).
    protection_case_number = models.CharField("未成年人保护案件编号", max_length=20, blank=True)
    # Identity found.
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="rescue_cases",
        verbose_name="户籍人口",
    )
    identified_on = models.DateField("查明身份日期", null=True, blank=True)
    home_division_code = models.CharField("户籍地区划代码", max_length=12, blank=True)
    home_address = models.CharField("户籍地址", max_length=120, blank=True)
    # Return home.
    return_mode = models.CharField("返回方式", max_length=10, choices=ReturnMode.choices, blank=True)
    receiver_kind = models.CharField("交接对象", max_length=10, choices=Receiver.choices, blank=True)
    receiver_name = models.CharField("接收人或单位", max_length=80, blank=True)
    handed_over_on = models.DateField("交接日期", null=True, blank=True)
    arrived_home_on = models.DateField("确认到达日期", null=True, blank=True)
    # Leaving, settlement.
    left_on = models.DateField("离站日期", null=True, blank=True)
    refusal_ground = models.CharField("不予救助理由", max_length=16, choices=RefusalGround.choices, blank=True)
    long_stay_on = models.DateField("转为长期滞留日期", null=True, blank=True)
    placement = models.CharField("安置去向", max_length=10, choices=Placement.choices, blank=True)
    placement_unit = models.CharField("安置机构", max_length=80, blank=True)
    settled_on = models.DateField("落户日期", null=True, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "受助人员"
        ordering = ["-arrived_at", "-id"]
        indexes = [
            models.Index(fields=["status", "division_code"], name="rescue_case_status_idx"),
            models.Index(fields=["stay_until"], name="rescue_case_stay_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_from_district(self) -> bool:
        return bool(self.home_division_code) and self.home_division_code.startswith(district_code())


class BedAssignment(models.Model):
    """Who slept in which bed from when to when. A bed holds one person at a time and a person
    one bed: two partial unique constraints, so not even a race can put two people in a bed."""

    case = models.ForeignKey(RescueCase, on_delete=models.PROTECT, related_name="bed_assignments")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="assignments")
    division_code = models.CharField("区划代码", max_length=12)
    start_on = models.DateField("入住日期")
    end_on = models.DateField("退床日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "床位安排"
        constraints = [
            models.UniqueConstraint(fields=["bed"], condition=Q(end_on__isnull=True), name="rescue_bed_one_occupant"),
            models.UniqueConstraint(fields=["case"], condition=Q(end_on__isnull=True), name="rescue_case_one_bed"),
        ]


class StayExtension(models.Model):
    """An extension of the stay beyond the standard limit: its reason and its 备案."""

    case = models.ForeignKey(RescueCase, on_delete=models.PROTECT, related_name="extensions")
    division_code = models.CharField("区划代码", max_length=12)
    days = models.PositiveSmallIntegerField("延长天数")
    previous_until = models.DateField("原期限")
    new_until = models.DateField("延长至")
    reason = models.CharField("延长理由", max_length=200)
    filing = models.CharField("备案情况", max_length=120)
    recorded_by = models.CharField("经办人", max_length=50)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "延长在站期限"
        ordering = ["created_at", "id"]


class DailyRecord(models.Model):
    """The day's record of a person in the station: meals, health, medical care."""

    case = models.ForeignKey(RescueCase, on_delete=models.PROTECT, related_name="daily_records")
    division_code = models.CharField("区划代码", max_length=12)
    day = models.DateField("日期")
    meals = models.PositiveSmallIntegerField("供餐次数")
    medical = models.CharField("医疗", max_length=10, choices=Medical.choices, default=Medical.NONE)
    hospital = models.CharField("送往医院", max_length=80, blank=True)
    note = models.CharField("情况记录", max_length=300, blank=True)
    recorded_by = models.CharField("记录人", max_length=50)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "在站日志"
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["case", "day"], name="rescue_daily_once")]


class HospitalStay(models.Model):
    """送医救治: a person of the station sent to hospital — where, why, when, who escorted them —
    and how it ended (back to the station, discharged and left, died, transferred to a 协议医疗机构
    for long-term care). A case has at most one open stay (a partial unique constraint). The
    bed stays reserved while the person is in hospital (docs/rescue.md, 送医救治)."""

    case = models.ForeignKey(RescueCase, on_delete=models.PROTECT, related_name="hospital_stays")
    division_code = models.CharField("区划代码", max_length=12)
    hospital = models.CharField("医院", max_length=80)
    reason = models.CharField("送医原因", max_length=200)
    sent_on = models.DateField("送医日期")
    escort = models.CharField("护送经办人", max_length=50)
    review_on = models.DateField("在院复核日期")
    returned_on = models.DateField("出院（结束）日期", null=True, blank=True)
    outcome = models.CharField("结果", max_length=12, choices=HospitalOutcome.choices, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.CharField("登记人", max_length=50)
    closed_by = models.CharField("结束登记人", max_length=50, blank=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "送医救治"
        ordering = ["-sent_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(returned_on__isnull=True), name="rescue_case_one_open_hospital_stay"),
        ]

    @property
    def is_open(self) -> bool:
        return self.returned_on is None


def _photo_path(instance: IntakePhoto, filename: str) -> str:
    return f"rescue/photos/{instance.sha256[:16]}{instance.extension}"


class IntakePhoto(StoredPhoto):
    """A photo taken at intake, re-encoded without EXIF (core.photos); station staff only."""

    case = models.ForeignKey(RescueCase, on_delete=models.PROTECT, related_name="photos")
    file = models.FileField("照片", upload_to=_photo_path)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "受助人员照片"


class SearchRecord(models.Model):
    """A step of 寻亲: what was requested, when, the police's or the system's reference, the
    result. Never a biometric sample (service-lines §4)."""

    case = models.ForeignKey(RescueCase, on_delete=models.PROTECT, related_name="searches")
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("方式", max_length=12, choices=SearchKind.choices)
    requested_on = models.DateField("日期")
    reference = models.CharField("文书或回执编号", max_length=60, blank=True)
    result = models.CharField("结果", max_length=10, choices=SearchResult.choices, default=SearchResult.PENDING)
    result_on = models.DateField("反馈日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.CharField("经办人", max_length=50)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "寻亲记录"
        ordering = ["requested_on", "id"]


class SettlementDocument(models.Model):
    """A document of the 落户安置 procedure, recorded by its number and date."""

    case = models.ForeignKey(RescueCase, on_delete=models.PROTECT, related_name="settlement_documents")
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("材料", max_length=10, choices=SettlementDoc.choices)
    reference = models.CharField("文号或编号", max_length=60)
    dated_on = models.DateField("日期")
    recorded_by = models.CharField("经办人", max_length=50)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "落户安置材料"
        ordering = ["dated_on", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "kind"], name="rescue_settlement_doc_once")]


class ReturnFollowUp(models.Model):
    """A person returned to a Fuling village: the village's visits at home. Owned by the
    person's village (the village and its town see it; the station sees it as district staff)."""

    case = models.OneToOneField(RescueCase, on_delete=models.PROTECT, related_name="follow_up")
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="rescue_follow_ups")
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    returned_on = models.DateField("返回日期")
    visits = models.JSONField("回访记录", default=list)
    closed_on = models.DateField("结束回访日期", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "返乡回访"
        ordering = ["-returned_on", "-id"]


class WanderingRisk(models.Model):
    """The 易流浪走失人员 register (Chongqing 2021): people at risk of wandering again, owned by
    their village; checked in January and July (service-lines §4, Prevention)."""

    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="wandering_risks")
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    reason = models.CharField("登记原因", max_length=200)
    guardian = models.CharField("监护或照料人", max_length=50, blank=True)
    registered_on = models.DateField("登记日期")
    next_check_on = models.DateField("下次核查")
    last_checked_on = models.DateField("上次核查", null=True, blank=True)
    ended_on = models.DateField("移出日期", null=True, blank=True)
    case = models.ForeignKey(RescueCase, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "易流浪走失人员"
        ordering = ["next_check_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person"], condition=Q(ended_on__isnull=True), name="rescue_wandering_once"),
        ]


class Campaign(models.Model):
    """A seasonal campaign (寒冬送温暖, 夏季送清凉) and its street patrols."""

    kind = models.CharField("类别", max_length=10, choices=CampaignKind.choices)
    name = models.CharField("名称", max_length=60)
    division_code = models.CharField("区划代码", max_length=12)
    start_on = models.DateField("开始日期")
    end_on = models.DateField("结束日期")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "专项救助行动"
        ordering = ["-start_on", "-id"]


class Patrol(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="patrols", null=True, blank=True)
    division_code = models.CharField("区划代码", max_length=12)
    town_code = models.CharField("巡查乡镇（街道）代码", max_length=12)
    on = models.DateField("日期")
    area = models.CharField("巡查区域", max_length=120)
    staff = models.PositiveSmallIntegerField("出动人次")
    met = models.PositiveSmallIntegerField("发现流浪乞讨人员")
    aided = models.PositiveSmallIntegerField("现场救助（人次）")
    brought_in = models.PositiveSmallIntegerField("引导入站（人）")
    recorded_by = models.CharField("经办人", max_length=50)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "街面巡查"
        ordering = ["-on", "-id"]
