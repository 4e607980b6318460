"""Funeral rows. Every row carries the code of its division (the deceased's village; a
facility's village, town or — for the district's funeral home — the district) and is read only
through ``visible_to(actor)`` / ``access_by_id``."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.models import CaseModel
from minzheng.core.stored_photos import StoredPhoto
from minzheng.funerals.enums import (
    FacilityKind,
    FacilityStatus,
    GraveStatus,
    HardshipGroup,
    InspectionStatus,
    MessageStatus,
    MourningKind,
    PlotKind,
    PlotStatus,
    PriceItem,
    RecordSource,
    RecordStatus,
    SettlementStatus,
    ZoneKind,
)


def _user_fk(label: str):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=label
    )


class Facility(models.Model):
    """A funeral home, a 殡仪服务站, a public-welfare or a commercial cemetery."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=24, choices=FacilityKind.choices)
    division_code = models.CharField("所在区划代码", max_length=12)
    status = models.CharField("状态", max_length=12, choices=FacilityStatus.choices, default=FacilityStatus.OPERATING)
    opened_on = models.DateField("建成（投入使用）日期", null=True, blank=True)
    capacity = models.PositiveIntegerField("设计墓位（穴）数", default=0)  # cemeteries only
    demonstration = models.BooleanField("示范公墓", default=False)
    address = models.CharField("地址", max_length=200, blank=True)
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    bank_account_encrypted = models.TextField("银行账号（密文）", blank=True)
    bank_account_masked = models.CharField("银行账号（脱敏）", max_length=30, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "殡葬设施"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=["public_cemetery", "commercial_cemetery"]) | models.Q(capacity__gt=0),
                name="fu_cemetery_has_capacity",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_cemetery(self) -> bool:
        return self.kind in (FacilityKind.PUBLIC_CEMETERY, FacilityKind.COMMERCIAL_CEMETERY)


class Plot(models.Model):
    """A grave plot (墓位/穴位) of a cemetery. Sold once: the record holds it (one-to-one)."""

    cemetery = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="plots", verbose_name="公墓")
    division_code = models.CharField("区划代码", max_length=12)  # the cemetery's
    number = models.CharField("墓位编号", max_length=30)
    kind = models.CharField("葬式", max_length=12, choices=PlotKind.choices)
    status = models.CharField("状态", max_length=10, choices=PlotStatus.choices, default=PlotStatus.AVAILABLE)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "墓位"
        constraints = [models.UniqueConstraint(fields=["cemetery", "number"], name="fu_plot_number_once")]

    def __str__(self) -> str:
        return f"{self.cemetery.name} {self.number}"


class FuneralRecord(CaseModel):
    """One death, from the notification to cremation (or burial where allowed) and the ashes'
    storage or interment. A case of the workflow ``funerals.record`` (workflow.py)."""

    number = models.CharField("编号", max_length=20, unique=True)
    person = models.OneToOneField("registry.Person", on_delete=models.PROTECT, related_name="funeral_record", verbose_name="逝者")
    division_code = models.CharField("逝者村（社区）代码", max_length=12)
    status = models.CharField("状态", max_length=16, choices=RecordStatus.choices, default=RecordStatus.NOTIFIED)
    source = models.CharField("信息来源", max_length=12, choices=RecordSource.choices)
    death_date = models.DateField("死亡日期")
    death_place = models.CharField("死亡地点", max_length=100)
    death_certificate_no = models.CharField("死亡证明编号", max_length=40, blank=True)
    contact_name = models.CharField("家属联系人", max_length=50)
    contact_phone_encrypted = models.TextField("联系电话（密文）", blank=True)
    contact_phone_masked = models.CharField("联系电话（脱敏）", max_length=20, blank=True)
    funeral_home = models.ForeignKey(
        Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="承办殡仪馆（服务站）"
    )
    notified_on = models.DateField("报丧日期")
    transported_on = models.DateField("接运日期", null=True, blank=True)
    storage_days = models.PositiveSmallIntegerField("冷藏天数", default=0)
    farewell_on = models.DateField("告别仪式日期", null=True, blank=True)
    mourning_kind = models.CharField("治丧方式", max_length=12, choices=MourningKind.choices, blank=True)
    mourning_venue = models.CharField("治丧场所", max_length=100, blank=True)
    cremated_on = models.DateField("火化日期", null=True, blank=True)
    cremation_certificate_no = models.CharField("火化证明编号", max_length=40, blank=True)
    buried_on = models.DateField("土葬日期", null=True, blank=True)
    ashes_stored_on = models.DateField("骨灰寄存日期", null=True, blank=True)
    interred_on = models.DateField("安葬日期", null=True, blank=True)
    cemetery = models.ForeignKey(Facility, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="公墓")
    # The guarantee that a plot is sold once: a plot belongs to at most one record.
    plot = models.OneToOneField(Plot, on_delete=models.PROTECT, null=True, blank=True, related_name="record", verbose_name="墓位")
    eco_burial = models.BooleanField("节地生态安葬", default=False)
    death_report_id = models.BigIntegerField("死亡信息报告编号", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "殡葬服务记录"
        indexes = [
            models.Index(fields=["status", "division_code"], name="fu_record_status_idx"),
            models.Index(fields=["interred_on"], name="fu_record_interred_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class Zone(models.Model):
    """A town or village declared a 火化区 or a 文明治丧区 from a date (the municipal decision)."""

    division_code = models.CharField("乡镇（街道）或村（社区）代码", max_length=12)
    kind = models.CharField("区域类型", max_length=12, choices=ZoneKind.choices)
    since = models.DateField("划定日期")
    reference = models.CharField("依据文件", max_length=200)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "殡葬改革区域"
        constraints = [models.UniqueConstraint(fields=["division_code", "kind"], name="fu_zone_once")]


class IllegalGrave(models.Model):
    """散埋乱葬 found, and its rectification (deadline set by the town; no statutory limit)."""

    division_code = models.CharField("村（社区）代码", max_length=12)
    found_on = models.DateField("发现日期")
    location = models.CharField("位置", max_length=200)
    description = models.CharField("情况", max_length=500, blank=True)
    status = models.CharField("状态", max_length=12, choices=GraveStatus.choices, default=GraveStatus.FOUND)
    deadline_on = models.DateField("整改期限", null=True, blank=True)
    rectified_on = models.DateField("整改完成日期", null=True, blank=True)
    rectification = models.CharField("整改情况", max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "散埋乱葬"


class PriceFiling(models.Model):
    """A price a facility filed for an item, in force from a date until the next filing."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="prices", verbose_name="设施")
    division_code = models.CharField("区划代码", max_length=12)
    item = models.CharField("项目", max_length=24, choices=PriceItem.choices)
    price_fen = models.BigIntegerField("价格（分）")
    effective_from = models.DateField("执行日期")
    reference = models.CharField("备案文号", max_length=100)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "价格备案"
        constraints = [
            models.UniqueConstraint(fields=["facility", "item", "effective_from"], name="fu_price_once"),
            models.CheckConstraint(condition=models.Q(price_fen__gte=0), name="fu_price_not_negative"),
        ]


class Inspection(CaseModel):
    """An inspection of a facility: findings, a rectification deadline (the kit's TimeLimit)."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="inspections", verbose_name="设施")
    division_code = models.CharField("区划代码", max_length=12)
    status = models.CharField("状态", max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.RECTIFYING)
    inspected_on = models.DateField("检查日期")
    findings = models.CharField("发现问题", max_length=1000)
    rectification = models.CharField("整改情况", max_length=1000, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "监督检查"


class WaiverSettlement(models.Model):
    """The month's 惠民殡葬 waivers of one funeral home: prepared, then approved by another
    user (maker-checker); the bank file after approval."""

    funeral_home = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="settlements", verbose_name="殡仪馆")
    division_code = models.CharField("区划代码", max_length=12)
    period = models.CharField("结算月份", max_length=7)
    status = models.CharField("状态", max_length=10, choices=SettlementStatus.choices, default=SettlementStatus.PREPARED)
    waiver_count = models.PositiveIntegerField("减免笔数", default=0)
    total_fen = models.BigIntegerField("结算金额（分）", default=0)
    prepared_by = _user_fk("制表人")
    prepared_by_name = models.CharField("制表人姓名", max_length=150, blank=True)
    prepared_at = models.DateTimeField("制表时间", null=True, blank=True)
    approved_by = _user_fk("审批人")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    run_count = models.PositiveIntegerField("生成次数", default=0)
    version = models.PositiveIntegerField("版本", default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "惠民殡葬结算"
        constraints = [models.UniqueConstraint(fields=["funeral_home", "period"], name="fu_settlement_once")]


class Waiver(models.Model):
    """惠民殡葬: the basic services waived for a deceased of a hardship group, at the amount the
    rules engine computed (``funeral_waiver``), settled once with the funeral home."""

    record = models.OneToOneField(FuneralRecord, on_delete=models.PROTECT, related_name="waiver", verbose_name="殡葬服务记录")
    funeral_home = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="waivers", verbose_name="殡仪馆")
    division_code = models.CharField("区划代码", max_length=12)
    group = models.CharField("对象类别", max_length=10, choices=HardshipGroup.choices)
    period = models.CharField("服务月份", max_length=7)
    amount_fen = models.BigIntegerField("减免金额（分）")
    lines = models.JSONField("减免明细", default=list)
    decision = models.JSONField("规则引擎结果", default=dict)
    provisional = models.BooleanField("参数待确认", default=False)
    settlement = models.ForeignKey(
        WaiverSettlement, on_delete=models.SET_NULL, null=True, blank=True, related_name="waivers", verbose_name="结算批次"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "惠民殡葬减免"
        constraints = [models.CheckConstraint(condition=models.Q(amount_fen__gte=0), name="fu_waiver_not_negative")]


class Memorial(models.Model):
    """网上祭扫: a read-only page for a deceased, opened with the family's consent."""

    record = models.OneToOneField(FuneralRecord, on_delete=models.PROTECT, related_name="memorial", verbose_name="殡葬服务记录")
    division_code = models.CharField("区划代码", max_length=12)
    token = models.CharField("访问码", max_length=40, unique=True)
    consent_by = models.CharField("同意人", max_length=50)
    consent_relation = models.CharField("与逝者关系", max_length=20)
    consent_on = models.DateField("同意日期")
    epitaph = models.CharField("寄语", max_length=200, blank=True)
    is_open = models.BooleanField("公开", default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "网上祭扫"


def _memorial_photo_path(instance: MemorialPhoto, filename: str) -> str:
    return f"funerals/memorials/{instance.sha256[:16]}{instance.extension}"


class MemorialPhoto(StoredPhoto):
    """The deceased's photo on the memorial page (one at most), re-encoded without EXIF
    (core.photos). Served only through its memorial's token, never listed."""

    memorial = models.OneToOneField(Memorial, on_delete=models.CASCADE, related_name="photo", verbose_name="网上祭扫")
    file = models.FileField("照片", upload_to=_memorial_photo_path)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "祭扫照片"


class MemorialMessage(models.Model):
    memorial = models.ForeignKey(Memorial, on_delete=models.CASCADE, related_name="messages")
    division_code = models.CharField("区划代码", max_length=12)
    author = models.CharField("留言人", max_length=30)
    text = models.CharField("留言", max_length=300)
    status = models.CharField("状态", max_length=10, choices=MessageStatus.choices, default=MessageStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_by = _user_fk("审核人")

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "祭扫留言"
