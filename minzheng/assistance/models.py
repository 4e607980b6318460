"""Social assistance casework: applications and their workflow records, decisions,
enrolments (who is being paid what), payroll, reviews, public notices and imports. The
working-day calendar and the case history are the case kit's (minzheng/cases).

Every scoped row carries the 12-digit code of its village in `division_code` and is read
through `visible_to(actor)` / `access_by_id` (accounts/scoping.py). Money is integer fen.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.models import CaseModel
from minzheng.core.clock import today
from minzheng.assistance.enums import (
    Channel,
    OPEN_STATUSES,
    ApprovalTier,
    AttachmentKind,
    BatchStatus,
    ChangeKind,
    DecisionStage,
    EnrolmentSource,
    EnrolmentStatus,
    ExitReason,
    ImportKind,
    Level,
    NoticeKind,
    Outcome,
    PaymentChange,
    Program,
    ReviewKind,
    ReviewOutcome,
    ReviewStatus,
    Severity,
    Status,
    SubjectKind,
    SuspensionKind,
    SuspensionStatus,
    TemporaryType,
    WithheldStatus,
)
from minzheng.core.district import district_code

USER = settings.AUTH_USER_MODEL


def _user_fk(verbose_name: str, *, null: bool = True) -> models.ForeignKey:
    return models.ForeignKey(
        USER, on_delete=models.PROTECT, null=null, blank=null, related_name="+", verbose_name=verbose_name
    )


# ----------------------------------------------------------------------------------------------
# Configuration
# ----------------------------------------------------------------------------------------------


class ProgramConfig(models.Model):
    """Per-program choices the bureau makes locally (not policy amounts: those are rules
    parameters). A program without a row uses DEFAULT_PROGRAM_CONFIG in workflow.py."""

    program = models.CharField("救助项目", max_length=32, choices=Program.choices, unique=True)
    confirm_level = models.CharField(
        "审核确认层级", max_length=10, choices=[(Level.TOWN, "乡镇（街道）"), (Level.DISTRICT, "区民政局")]
    )
    requires_publicity = models.BooleanField("审核后须公示", default=True)
    mask_names_in_notice = models.BooleanField("公示时姓名脱敏（如 张*明）", default=True)
    complaint_phone = models.CharField("监督举报电话", max_length=40, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "救助项目设置"

    def __str__(self) -> str:
        return self.get_program_display()


# ----------------------------------------------------------------------------------------------
# Applications and the workflow records
# ----------------------------------------------------------------------------------------------


class Application(CaseModel):
    """A case of the application workflow (workflow.WORKFLOW). Status, version and the time
    limit are the case kit's fields, written only through cases.actions; the history is the
    kit's CaseEvent table (workflow "assistance.application")."""

    number = models.CharField("申请编号", max_length=32, unique=True)
    program = models.CharField("救助项目", max_length=32, choices=Program.choices)
    subject_kind = models.CharField("保障对象类型", max_length=10, choices=SubjectKind.choices)
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="家庭"
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="保障对象（个人）",
    )
    applicant = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="申请人"
    )
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    zone = models.CharField("城乡类别", max_length=6, choices=[("urban", "城镇"), ("rural", "农村")])
    reason = models.TextField("申请理由", blank=True)
    channel = models.CharField("申请渠道", max_length=8, choices=Channel.choices, default=Channel.COUNTER)
    temporary_type = models.CharField("临时救助类型", max_length=12, choices=TemporaryType.choices, blank=True)
    severity = models.CharField("困难程度", max_length=10, choices=Severity.choices, blank=True)
    requested_months = models.PositiveSmallIntegerField("申请救助月数", null=True, blank=True)
    household_snapshot = models.JSONField("申请时家庭情况", default=dict, blank=True)
    authorization_signed = models.BooleanField("已签署家庭经济状况核查授权书", default=False)
    authorization_signed_on = models.DateField("授权书签署日期", null=True, blank=True)
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    bank_account_encrypted = models.TextField("银行账号（密文）", blank=True)
    bank_account_masked = models.CharField("银行账号（脱敏）", max_length=40, blank=True)

    status = models.CharField("状态", max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_on = models.DateField("登记日期")
    submitted_by = _user_fk("登记人")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    # The time limit runs from 受理 (workflow.start_field); no step has a limit of its own.
    clock_started_on = None
    step_deadline_on = None
    extension_reason = models.CharField("延期理由", max_length=200, blank=True)
    publicity_start = models.DateField("公示开始", null=True, blank=True)
    publicity_end = models.DateField("公示结束", null=True, blank=True)
    confirm_level = models.CharField("审核确认层级", max_length=10, choices=Level.choices, default=Level.DISTRICT)
    approval_tier = models.CharField("审批权限", max_length=14, choices=ApprovalTier.choices, blank=True)
    case_by_case_note = models.TextField("一事一议集体研究意见", blank=True)
    reviewed_by = _user_fk("审核人")
    proposed_outcome = models.CharField("审核意见", max_length=8, choices=Outcome.choices, blank=True)
    proposed_amount_fen = models.BigIntegerField("拟保障金额（分）", null=True, blank=True)
    approved_amount_fen = models.BigIntegerField("确认保障金额（分）", null=True, blank=True)
    decided_on = models.DateField("决定日期", null=True, blank=True)
    decided_by = _user_fk("确认人")
    refusal_reasons = models.TextField("不予保障理由", blank=True)
    # 临时救助 急难型 先行救助: paid first, papers within N working days.
    advance_paid_fen = models.BigIntegerField("先行救助金额（分）", null=True, blank=True)
    advance_paid_on = models.DateField("先行救助日期", null=True, blank=True)
    advance_paperwork_due_on = models.DateField("补齐手续期限", null=True, blank=True)
    advance_paperwork_done_on = models.DateField("手续补齐日期", null=True, blank=True)
    archived_on = models.DateField("存档日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "救助申请"
        indexes = [
            models.Index(fields=["division_code", "status"], name="app_division_status_idx"),
            models.Index(fields=["status", "deadline_on"], name="app_status_deadline_idx"),
            models.Index(fields=["household"], name="app_household_idx"),
            models.Index(fields=["person"], name="app_person_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def advance_paperwork_late(self) -> bool:
        if not self.advance_paperwork_due_on:
            return False
        done = self.advance_paperwork_done_on
        return (done or today()) > self.advance_paperwork_due_on


class InvestigationRecord(models.Model):
    """入户调查: two staff visit, findings recorded."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="investigations")
    division_code = models.CharField("区划代码", max_length=12)
    visited_on = models.DateField("调查日期")
    investigator_1 = _user_fk("调查人一", null=False)
    investigator_2 = _user_fk("调查人二", null=False)
    living_conditions = models.TextField("居住及生活状况")
    findings = models.TextField("调查结论")
    recommendation = models.CharField("调查意见", max_length=8, choices=Outcome.choices)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "入户调查记录"
        ordering = ["id"]


class EconomicCheck(models.Model):
    """家庭经济状况核对报告: figures and where each came from; its facts feed the engine."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="economic_checks")
    division_code = models.CharField("区划代码", max_length=12)
    completed_on = models.DateField("核对日期")
    checked_by = _user_fk("核对人")
    member_count = models.PositiveSmallIntegerField("共同生活家庭成员人数")
    household_income_fen = models.BigIntegerField("家庭月收入（分）")
    per_capita_income_fen = models.BigIntegerField("家庭月人均收入（分）")
    financial_assets_fen = models.BigIntegerField("金融资产（分）")
    vehicle_value_max_fen = models.BigIntegerField("最高车辆现值（分）", default=0)
    vehicle_count = models.PositiveSmallIntegerField("车辆数", default=0)
    real_estate_count = models.PositiveSmallIntegerField("不动产套数", default=0)
    business_count = models.PositiveSmallIntegerField("工商登记户数", default=0)
    sources = models.JSONField("数据来源明细", default=list)
    facts = models.JSONField("规则引擎输入", default=dict)
    notes = models.TextField("核对说明", blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "家庭经济状况核对报告"
        ordering = ["id"]


class Decision(models.Model):
    """The engine's verdict at review (proposal) and the final decision, stored with the
    facts, the parameter values used and the engine result, so it can be explained later."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="decisions")
    division_code = models.CharField("区划代码", max_length=12)
    stage = models.CharField("阶段", max_length=8, choices=DecisionStage.choices)
    outcome = models.CharField("结论", max_length=8, choices=Outcome.choices)
    period = models.CharField("核算期", max_length=7)
    facts = models.JSONField("输入事实")
    parameters = models.JSONField("所用参数")
    result = models.JSONField("规则引擎结果")
    engine_eligible = models.BooleanField("规则引擎判定符合")
    amount_fen = models.BigIntegerField("月保障金额/救助金额（分）", default=0)
    approval_tier = models.CharField("审批权限", max_length=14, choices=ApprovalTier.choices, blank=True)
    reasons = models.TextField("理由", blank=True)
    decided_by = _user_fk("决定人")
    decided_at = models.DateTimeField("决定时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "审核确认决定"
        ordering = ["id"]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"assistance/{instance.division_code}/{instance.application_id}/{instance.sha256[:16]}.{instance.extension}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="attachments")
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("材料类型", max_length=20, choices=AttachmentKind.choices)
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=40)
    extension = models.CharField("扩展名", max_length=4)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = _user_fk("上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "申请材料"
        ordering = ["id"]


# ----------------------------------------------------------------------------------------------
# Enrolments: who is paid what, from when
# ----------------------------------------------------------------------------------------------


class Enrolment(models.Model):
    """One subject (a household for 低保, a person for 特困, either for 临时救助) in one
    program. Screening reads (program, subject_kind, subject_id, amount_fen, division_code,
    status) in bulk — see docs/assistance.md."""

    program = models.CharField("救助项目", max_length=32, choices=Program.choices)
    subject_kind = models.CharField("保障对象类型", max_length=10, choices=SubjectKind.choices)
    # The id of the household or person (the FK of the same kind below is set as well).
    subject_id = models.BigIntegerField("保障对象编号")
    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="家庭"
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="个人"
    )
    payee = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name="领款人")
    division_code = models.CharField("所在村（社区）代码", max_length=12)
    zone = models.CharField("城乡类别", max_length=6, choices=[("urban", "城镇"), ("rural", "农村")])
    people_covered = models.PositiveSmallIntegerField("保障人数", default=1)
    amount_fen = models.BigIntegerField("月保障金额（分）")
    start_month = models.DateField("起始发放月份")  # first day of the month
    end_month = models.DateField("最后发放月份", null=True, blank=True)  # inclusive; null = open
    status = models.CharField("状态", max_length=10, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ACTIVE)
    status_changed_on = models.DateField("状态变更日期")
    status_reason = models.CharField("状态变更原因", max_length=200, blank=True)
    exit_reason = models.CharField("退出原因", max_length=24, choices=ExitReason.choices, blank=True)
    source = models.CharField("来源", max_length=12, choices=EnrolmentSource.choices)
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, null=True, blank=True, related_name="enrolments"
    )
    bank_name = models.CharField("开户银行", max_length=60, blank=True)
    bank_account_encrypted = models.TextField("银行账号（密文）", blank=True)
    bank_account_masked = models.CharField("银行账号（脱敏）", max_length=40, blank=True)
    review_cycle_months = models.PositiveSmallIntegerField("复核周期（月）", default=12)
    next_review_on = models.DateField("下次复核日期", null=True, blank=True)
    gradual_exit_until = models.DateField("渐退期最后发放月份", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "保障对象"
        indexes = [
            models.Index(fields=["program", "status", "start_month"], name="enrol_payroll_idx"),
            models.Index(fields=["division_code", "program"], name="enrol_division_idx"),
            models.Index(fields=["status", "next_review_on"], name="enrol_review_idx"),
            # the list page: status, then in the order shown (division, id), read off the index
            models.Index(fields=["status", "division_code", "id"], name="enrol_list_idx"),
            models.Index(fields=["person"], name="enrol_person_idx"),
            models.Index(fields=["household"], name="enrol_household_idx"),
        ]
        constraints = [
            # One live enrolment per subject and program (临时救助 is one-off and may recur).
            models.UniqueConstraint(
                fields=["program", "subject_kind", "subject_id"],
                condition=models.Q(status__in=["active", "suspended"]) & ~models.Q(program="temporary"),
                name="enrol_one_live_per_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_program_display()} {self.subject_kind}:{self.subject_id}"


class EnrolmentChange(models.Model):
    """Amount and status history of an enrolment, one row per change, effective by month."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="changes")
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("变更类型", max_length=14, choices=ChangeKind.choices)
    effective_month = models.DateField("生效月份")
    old_amount_fen = models.BigIntegerField("原金额（分）", null=True, blank=True)
    new_amount_fen = models.BigIntegerField("新金额（分）", null=True, blank=True)
    old_status = models.CharField("原状态", max_length=10, blank=True)
    new_status = models.CharField("新状态", max_length=10, blank=True)
    reason = models.CharField("原因", max_length=200, blank=True)
    actor = _user_fk("操作人")
    actor_name = models.CharField("操作人姓名", max_length=150, blank=True)
    created_at = models.DateTimeField("记录时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "保障变更记录"
        ordering = ["id"]


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认"
    RETURNED = "returned", "已退回"


class AdjustmentRequest(models.Model):
    """A manual raise (调增) of a monthly amount, waiting for a second person: it is paid only
    once another officer confirms it; the proposer cannot (issue 20, money bounds). A manual
    lowering and the engine's own recalculations apply at once."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="adjustment_requests")
    division_code = models.CharField("区划代码", max_length=12)
    old_amount_fen = models.BigIntegerField("原月金额（分）")
    amount_fen = models.BigIntegerField("调整后月金额（分）")
    reason = models.CharField("调整原因", max_length=200)
    status = models.CharField("状态", max_length=10, choices=AdjustmentStatus.choices, default=AdjustmentStatus.PENDING)
    proposed_by = _user_fk("提出人")
    proposed_by_name = models.CharField("提出人姓名", max_length=150, blank=True)
    proposed_on = models.DateField("提出日期")
    decided_by = _user_fk("确认（退回）人")
    decided_by_name = models.CharField("确认（退回）人姓名", max_length=150, blank=True)
    decided_on = models.DateField("确认（退回）日期", null=True, blank=True)
    decision_note = models.CharField("确认（退回）意见", max_length=200, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "调增待确认"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment"], condition=models.Q(status="pending"), name="as_one_pending_adjustment"),
            models.CheckConstraint(condition=models.Q(amount_fen__gt=models.F("old_amount_fen")), name="as_adjustment_request_raises"),
        ]


# ----------------------------------------------------------------------------------------------
# Payroll
# ----------------------------------------------------------------------------------------------


class PaymentBatch(models.Model):
    """One batch per program and month for the whole district (maker-checker)."""

    program = models.CharField("救助项目", max_length=32, choices=Program.choices)
    period = models.CharField("发放月份", max_length=7)  # YYYY-MM
    division_code = models.CharField("区划代码", max_length=12, default=district_code)
    status = models.CharField("状态", max_length=10, choices=BatchStatus.choices, default=BatchStatus.PREPARED)
    payment_count = models.PositiveIntegerField("发放笔数", default=0)
    people_count = models.PositiveIntegerField("保障人数", default=0)
    total_fen = models.BigIntegerField("发放总额（分）", default=0)
    prepared_by = _user_fk("制表人")
    prepared_by_name = models.CharField("制表人姓名", max_length=150, blank=True)
    prepared_at = models.DateTimeField("制表时间", null=True, blank=True)
    approved_by = _user_fk("审批人")
    approved_at = models.DateTimeField("审批时间", null=True, blank=True)
    run_count = models.PositiveIntegerField("生成次数", default=0)
    version = models.PositiveIntegerField("版本", default=1)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "发放批次"
        constraints = [models.UniqueConstraint(fields=["program", "period"], name="batch_one_per_program_period")]

    def __str__(self) -> str:
        return f"{self.get_program_display()} {self.period}"


class Payment(models.Model):
    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="payments")
    program = models.CharField("救助项目", max_length=32, choices=Program.choices)
    period = models.CharField("发放月份", max_length=7)
    subject_kind = models.CharField("保障对象类型", max_length=10, choices=SubjectKind.choices)
    subject_id = models.BigIntegerField("保障对象编号")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="payments")
    division_code = models.CharField("区划代码", max_length=12)
    amount_fen = models.BigIntegerField("金额（分）")
    people_covered = models.PositiveSmallIntegerField("保障人数", default=1)
    change_kind = models.CharField("本月变化", max_length=12, choices=PaymentChange.choices)
    previous_amount_fen = models.BigIntegerField("上月金额（分）", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "发放明细"
        constraints = [
            # The guarantee: never a second payment for anyone in a program and month.
            models.UniqueConstraint(
                fields=["program", "period", "subject_kind", "subject_id"], name="payment_one_per_subject_period"
            )
        ]
        indexes = [
            models.Index(fields=["batch", "division_code"], name="payment_batch_div_idx"),
            models.Index(fields=["enrolment", "period"], name="payment_enrol_period_idx"),
        ]


class DeathSuspension(models.Model):
    """An enrolment held (or flagged) while a department's death report is checked (ADR 0004).

    One row per enrolment and report. ``suspend``: the dead person is the one paid (the subject
    of a person enrolment, or the payee of a household's) — the enrolment is suspended and each
    payroll records the month as a ``WithheldPayment``. ``flag``: the dead person is a member
    but not the payee — the household is paid on; a confirmed death opens a review."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="death_suspensions")
    report = models.ForeignKey("registry.DeathReport", on_delete=models.PROTECT, related_name="+", verbose_name="死亡信息报告")
    division_code = models.CharField("区划代码", max_length=12)
    kind = models.CharField("处理方式", max_length=8, choices=SuspensionKind.choices)
    status = models.CharField("状态", max_length=8, choices=SuspensionStatus.choices, default=SuspensionStatus.ACTIVE)
    created_at = models.DateTimeField("暂停时间", auto_now_add=True)
    closed_at = models.DateTimeField("解除/终止时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "死亡信息待核实暂停"
        constraints = [models.UniqueConstraint(fields=["enrolment", "report"], name="death_suspension_once")]
        indexes = [models.Index(fields=["enrolment", "status"], name="death_susp_enrol_idx")]


class WithheldPayment(models.Model):
    """A month not paid because the enrolment was suspended for a death report: written by the
    payroll of that month (replaced with its payments on a rerun). Refuted → ``payable``: the
    next payroll pays it as 补发 (a ``Payment`` of that month, so never twice). Confirmed →
    months up to the month of death ``payable``, later months ``forfeited``."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="withheld")
    suspension = models.ForeignKey(DeathSuspension, on_delete=models.PROTECT, related_name="withheld")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="withheld")
    program = models.CharField("救助项目", max_length=32, choices=Program.choices)
    period = models.CharField("应发月份", max_length=7)
    subject_kind = models.CharField("保障对象类型", max_length=10, choices=SubjectKind.choices)
    subject_id = models.BigIntegerField("保障对象编号")
    division_code = models.CharField("区划代码", max_length=12)
    amount_fen = models.BigIntegerField("金额（分）")
    people_covered = models.PositiveSmallIntegerField("保障人数", default=1)
    status = models.CharField("状态", max_length=10, choices=WithheldStatus.choices, default=WithheldStatus.WITHHELD)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "暂停未发记录"
        constraints = [
            models.UniqueConstraint(
                fields=["program", "period", "subject_kind", "subject_id"], name="withheld_one_per_subject_period"
            )
        ]
        indexes = [models.Index(fields=["program", "status", "period"], name="withheld_payable_idx")]


# ----------------------------------------------------------------------------------------------
# Reviews, notices, imports
# ----------------------------------------------------------------------------------------------


class ReviewTask(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="review_tasks")
    division_code = models.CharField("区划代码", max_length=12)
    program = models.CharField("救助项目", max_length=32, choices=Program.choices)
    kind = models.CharField("任务类型", max_length=20, choices=ReviewKind.choices)
    due_on = models.DateField("到期日期")
    status = models.CharField("状态", max_length=6, choices=ReviewStatus.choices, default=ReviewStatus.OPEN)
    note = models.CharField("说明", max_length=200, blank=True)
    outcome = models.CharField("复核结果", max_length=14, choices=ReviewOutcome.choices, blank=True)
    new_amount_fen = models.BigIntegerField("调整后金额（分）", null=True, blank=True)
    result_note = models.TextField("复核意见", blank=True)
    completed_by = _user_fk("办结人")
    completed_at = models.DateTimeField("办结时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "复核任务"
        indexes = [models.Index(fields=["division_code", "status", "due_on"], name="review_div_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "kind"], condition=models.Q(status="open"), name="review_one_open_per_kind"
            )
        ]


class PublicNotice(models.Model):
    """公示 of one village: only whitelisted fields are stored (see notices.py)."""

    number = models.CharField("公示编号", max_length=40, unique=True)
    division_code = models.CharField("村（社区）代码", max_length=12)
    kind = models.CharField("公示类型", max_length=14, choices=NoticeKind.choices)
    program = models.CharField("救助项目", max_length=32, choices=Program.choices, blank=True)
    period_start = models.DateField("公示开始")
    period_end = models.DateField("公示结束")
    complaint_phone = models.CharField("监督电话", max_length=40)
    names_masked = models.BooleanField("姓名已脱敏", default=True)
    entries = models.JSONField("公示内容", default=list)
    # Internal, never shown: the case behind each entry (same order), so that an objection to
    # an entry reaches its case: {"application": id} or {"enrolment": id}.
    entry_cases = models.JSONField("公示条目对应的案件", default=list, blank=True)
    created_by = _user_fk("发布人")
    created_at = models.DateTimeField("发布时间", auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "公示"
        ordering = ["-id"]


class NoticeObjection(models.Model):
    """异议 to one entry of a 公示, raised by a citizen on the citizens' site: it reaches the
    case (the application or enrolment behind the entry) and waits on the town's 待办 until
    answered."""

    notice = models.ForeignKey(PublicNotice, on_delete=models.PROTECT, related_name="objections", verbose_name="公示")
    entry_index = models.PositiveSmallIntegerField("公示条目序号")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True, blank=True, related_name="objections")
    enrolment = models.ForeignKey("Enrolment", on_delete=models.PROTECT, null=True, blank=True, related_name="objections")
    division_code = models.CharField("区划代码", max_length=12)
    text = models.TextField("异议内容")
    raised_by = models.CharField("提出人", max_length=60)  # the citizen account, as staff may see it (masked phone)
    raised_by_account_id = models.BigIntegerField("提出人账号")
    raised_at = models.DateTimeField("提出时间")
    answer = models.TextField("核实处理情况", blank=True)
    answered_by_name = models.CharField("处理人", max_length=150, blank=True)
    answered_at = models.DateTimeField("处理时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "公示异议"
        indexes = [models.Index(fields=["division_code", "answered_at"], name="objection_div_open_idx")]


class DepartmentRecord(models.Model):
    """One matched row of another department's data, for the economic check."""

    batch = models.ForeignKey("exchange.ImportBatch", on_delete=models.PROTECT, related_name="+", verbose_name="导入批次")
    department = models.CharField("数据类别", max_length=24, choices=ImportKind.choices)
    person = models.ForeignKey("registry.Person", on_delete=models.PROTECT, related_name="+")
    division_code = models.CharField("区划代码", max_length=12)
    row_number = models.PositiveIntegerField("文件行号")
    item = models.CharField("项目", max_length=100, blank=True)
    monthly_income_fen = models.BigIntegerField("月收入（分）", default=0)
    asset_value_fen = models.BigIntegerField("资产价值（分）", default=0)
    quantity = models.PositiveIntegerField("数量", default=0)
    as_of = models.DateField("数据日期", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "部门核对数据"
        indexes = [models.Index(fields=["person", "department"], name="deptrec_person_idx")]
