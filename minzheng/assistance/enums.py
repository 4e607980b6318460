"""Choices of the social-assistance line (低保、特困、临时救助). Codes are stable English
identifiers; labels are what users see."""

from django.db import models

from minzheng.cases.levels import Level as _Level


class Program(models.TextChoices):
    DIBAO = "dibao", "最低生活保障"
    TEKUN = "tekun", "特困人员救助供养"
    TEMPORARY = "temporary", "临时救助"
    # Allowances and subsidies paid monthly like dibao; same codes as the rules engine's programs.
    DIBAO_ADDON = "dibao_addon", "低保分类施保加发"
    ORPHAN_ALLOWANCE = "orphan_allowance", "孤儿基本生活保障金"
    DEFACTO_CHILD_ALLOWANCE = "defacto_child_allowance", "事实无人抚养儿童基本生活补贴"
    DISABILITY_LIVING_SUBSIDY = "disability_living_subsidy", "困难残疾人生活补贴"
    SEVERE_DISABILITY_CARE_SUBSIDY = "severe_disability_care_subsidy", "重度残疾人护理补贴"
    # Paid in a month the price-linkage mechanism triggers, to the recipients of the programs
    # above (lowincome line: the month's CPI → the engine's amounts → this program's batch).
    PRICE_SUBSIDY = "price_subsidy", "价格临时补贴"


PROGRAM_SHORT = {
    "dibao": "低保",
    "tekun": "特困",
    "temporary": "临时救助",
    "dibao_addon": "低保加发",
    "orphan_allowance": "孤儿保障金",
    "defacto_child_allowance": "事实无人抚养儿童补贴",
    "disability_living_subsidy": "残疾人生活补贴",
    "severe_disability_care_subsidy": "重度残疾人护理补贴",
    "price_subsidy": "价格临时补贴",
}


class SubjectKind(models.TextChoices):
    HOUSEHOLD = "household", "家庭"
    PERSON = "person", "个人"


class TemporaryType(models.TextChoices):
    URGENT = "urgent", "急难型"
    EXPENDITURE = "expenditure", "支出型"


class Severity(models.TextChoices):
    GENERAL = "general", "一般"
    SERIOUS = "serious", "较重"
    SEVERE = "severe", "严重"


class Channel(models.TextChoices):
    """How an application came in: taken by staff at the village or town, or 网上申请 by the
    family on the citizens' site."""

    COUNTER = "counter", "窗口登记"
    ONLINE = "online", "网上申请"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    INVESTIGATION = "investigation", "入户调查"
    ECONOMIC_CHECK = "economic_check", "家庭经济状况核对"
    REVIEW = "review", "审核"
    PUBLICITY = "publicity", "公示"
    CONFIRMATION = "confirmation", "审核确认"
    APPROVED = "approved", "已确认"
    REFUSED = "refused", "不予保障"
    ARCHIVED = "archived", "已存档"


# States in which the 审核确认 time limit runs.
OPEN_STATUSES = (
    Status.INVESTIGATION,
    Status.ECONOMIC_CHECK,
    Status.REVIEW,
    Status.PUBLICITY,
    Status.CONFIRMATION,
)


# The level at which a user works (Actor.level) is the case kit's, shared by every line.
Level = _Level


class Outcome(models.TextChoices):
    APPROVE = "approve", "同意"
    REFUSE = "refuse", "不同意"


class DecisionStage(models.TextChoices):
    REVIEW = "review", "审核意见"
    FINAL = "final", "确认决定"


class ApprovalTier(models.TextChoices):
    TOWN = "town", "乡镇（街道）审批"
    DISTRICT = "district", "区民政局审批"
    CASE_BY_CASE = "case_by_case", "一事一议"


class AttachmentKind(models.TextChoices):
    APPLICATION_FORM = "application_form", "申请书"
    IDENTITY = "identity", "户口簿、身份证"
    AUTHORIZATION = "authorization", "家庭经济状况核查授权书"
    INCOME_PROOF = "income_proof", "收入、财产证明"
    DECLARATION = "declaration", "承诺书"
    VISIT_PHOTO = "visit_photo", "入户调查照片"
    OTHER = "other", "其他材料"


class EnrolmentStatus(models.TextChoices):
    ACTIVE = "active", "在保"
    SUSPENDED = "suspended", "暂停"
    EXITED = "exited", "退出"


# An enrolment that still holds (paid, or paused by a suspension): what other lines call "在保".
LIVE_ENROLMENT_STATUSES = (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED)


class EnrolmentSource(models.TextChoices):
    APPLICATION = "application", "申请审批"
    ROSTER = "roster", "存量名册导入"


class ChangeKind(models.TextChoices):
    START = "start", "纳入"
    ADJUST = "adjust", "调整金额"
    SUSPEND = "suspend", "暂停"
    RESUME = "resume", "恢复"
    GRADUAL_EXIT = "gradual_exit", "进入渐退期"
    EXIT = "exit", "退出"
    BANK = "bank", "变更银行账户"


class ExitReason(models.TextChoices):
    INCOME_ABOVE_STANDARD = "income_above", "收入超过保障标准"
    GRADUAL_EXIT_ENDED = "gradual_exit_ended", "渐退期满"
    DEATH = "death", "死亡"
    MOVED_AWAY = "moved_away", "迁出本区"
    REVIEW_NOT_ELIGIBLE = "review_not_eligible", "复核不再符合条件"
    ONE_OFF_PAID = "one_off_paid", "一次性救助已发放"
    OTHER = "other", "其他"


class BatchStatus(models.TextChoices):
    PREPARED = "prepared", "已生成待审批"
    APPROVED = "approved", "已审批"


class PaymentChange(models.TextChoices):
    NEW = "new", "新增"
    CHANGED = "changed", "金额变更"
    CONTINUING = "continuing", "继续发放"
    ARREARS = "arrears", "补发"  # a month withheld while a death report was checked, paid later


class SuspensionKind(models.TextChoices):
    """What a pending death report does to an enrolment (ADR 0004)."""

    SUSPEND = "suspend", "暂停发放（待核实死亡信息）"  # the dead person is paid: the subject or the payee
    FLAG = "flag", "家庭成员死亡信息待核实"  # a member, not the payee: paid on, reviewed if confirmed


class SuspensionStatus(models.TextChoices):
    ACTIVE = "active", "待核实"
    LIFTED = "lifted", "核实有误，已恢复发放"
    ENDED = "ended", "已确认死亡"
    REVIEW = "review", "已确认死亡，待复核"  # payee died, other members live: the review decides


class WithheldStatus(models.TextChoices):
    WITHHELD = "withheld", "暂停未发"
    PAYABLE = "payable", "待补发"
    FORFEITED = "forfeited", "不予发放（死亡次月起）"


class ReviewKind(models.TextChoices):
    SCHEDULED = "scheduled", "定期复核"
    DEATH = "death", "死亡核销"
    GRADUAL_EXIT_END = "gradual_exit_end", "渐退期满复核"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "待办"
    DONE = "done", "已办结"


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "继续保障"
    ADJUST = "adjust", "调整金额"
    GRADUAL_EXIT = "gradual_exit", "进入渐退期"
    EXIT = "exit", "退出保障"


class NoticeKind(models.TextChoices):
    APPLICATIONS = "applications", "审核确认公示（拟保障对象）"
    ROSTER = "roster", "在保对象公示"


class ImportKind(models.TextChoices):
    ROSTER_DIBAO = "roster_dibao", "存量低保家庭名册"
    ROSTER_TEKUN = "roster_tekun", "存量特困人员名册"
    DEPT_PENSION = "dept_pension", "养老金及社会保险（人社）"
    DEPT_WAGES = "dept_wages", "工资收入（税务/人社）"
    DEPT_BUSINESS = "dept_business", "工商登记（市场监管）"
    DEPT_VEHICLE = "dept_vehicle", "车辆（公安交管）"
    DEPT_REAL_ESTATE = "dept_real_estate", "不动产（不动产登记）"
    DEPT_DEPOSITS = "dept_deposits", "存款及金融资产（银行）"
    DEPT_PROVIDENT_FUND = "dept_provident_fund", "住房公积金"


DEPARTMENT_IMPORT_KINDS = tuple(k for k in ImportKind if k.value.startswith("dept_"))
ROSTER_IMPORT_KINDS = (ImportKind.ROSTER_DIBAO, ImportKind.ROSTER_TEKUN)
