"""Choices of active discovery (主动发现) and the left-behind registry (三留守)."""

from django.db import models


class FeedKind(models.TextChoices):
    MEDICAL = "medical_discharge", "医保出院结算（个人自付）"
    DISABILITY = "disability_certificate", "残疾人证办理与变更"
    DEATH = "death", "死亡信息"
    UNEMPLOYMENT = "unemployment", "失业登记"
    SCHOOL_LEAVING = "school_leaving", "学生离校"
    DISASTER = "disaster", "灾害事故"


FEED_SOURCES = {
    FeedKind.MEDICAL: "区医保局",
    FeedKind.DISABILITY: "区残联",
    FeedKind.DEATH: "公安、卫健、殡葬",
    FeedKind.UNEMPLOYMENT: "区人力社保局",
    FeedKind.SCHOOL_LEAVING: "区教委",
    FeedKind.DISASTER: "区应急管理局",
}


class AlertKind(models.TextChoices):
    MEDICAL_EXPENSE = "medical_expense", "大额医疗自付支出"
    SEVERE_DISABILITY = "severe_disability", "新增一、二级残疾"
    BENEFICIARY_DEATH = "beneficiary_death", "保障对象死亡"  # before ADR 0004; kept for old alerts
    DEATH_REPORTED = "death_reported", "部门报告死亡"
    JOB_LOSS = "job_loss", "低保家庭成员失业"
    INCOME_BELOW_STANDARD = "income_below_standard", "家庭收入降至低保标准以下"
    CHILD_LEFT_SCHOOL = "child_left_school", "留守（困境）儿童离校"
    DISASTER = "disaster", "遭遇灾害事故"


class AlertProgram(models.TextChoices):
    """The line of work an alert is about: deduplication is per subject, program and period."""

    TEMPORARY_EXPENDITURE = "temporary_expenditure", "支出型临时救助"
    TEMPORARY_URGENT = "temporary_urgent", "急难型临时救助"
    RIGID_SPENDING = "rigid_spending_hardship", "刚性支出困难家庭"
    CARE_SUBSIDY = "severe_disability_care_subsidy", "重度残疾人护理补贴"
    STOP_PAYMENT = "stop_payment", "停发救助金"  # before ADR 0004; kept for old alerts
    DEATH_CHECK = "death_check", "死亡核实"
    DIBAO_REVIEW = "dibao_review", "低保复核"
    DIBAO_APPLICATION = "dibao_application", "低保申请"
    CHILD_CARE = "child_care", "儿童关爱保护"


class AlertStatus(models.TextChoices):
    OPEN = "open", "处理中"
    CLOSED = "closed", "已办结"


class TaskKind(models.TextChoices):
    ASSESS = "assess", "入户核实"
    VISIT = "visit", "走访"
    REVIEW = "review", "复核"
    STOP_PAYMENT = "stop_payment", "核实死亡并停发"  # before ADR 0004 (migrated to VERIFY_DEATH)
    VERIFY_DEATH = "verify_death", "死亡核实"


class TaskStatus(models.TextChoices):
    OPEN = "open", "待办"
    DONE = "done", "已办结"


class TaskOutcome(models.TextChoices):
    VISITED = "visited", "已走访"
    APPLICATION_STARTED = "application_started", "已引导申请救助"
    NOT_NEEDED = "not_needed", "无需救助"
    DEATH_CONFIRMED = "death_confirmed", "核实属实，已登记死亡"
    PAYMENT_STOPPED = "payment_stopped", "已停发救助金"
    DEATH_REFUTED = "death_refuted", "核实有误，已恢复发放"


# Outcomes a worker may choose on each kind of task (the death check is two buttons of its own).
OUTCOMES_BY_TASK = {
    TaskKind.ASSESS: (TaskOutcome.VISITED, TaskOutcome.APPLICATION_STARTED, TaskOutcome.NOT_NEEDED),
    TaskKind.VISIT: (TaskOutcome.VISITED, TaskOutcome.APPLICATION_STARTED, TaskOutcome.NOT_NEEDED),
    TaskKind.REVIEW: (TaskOutcome.VISITED, TaskOutcome.APPLICATION_STARTED, TaskOutcome.NOT_NEEDED),
    TaskKind.STOP_PAYMENT: (),
    TaskKind.VERIFY_DEATH: (),  # 确认死亡 / 核实有误: the registry's death-report actions
}


class EscalationReason(models.TextChoices):
    OVERDUE = "overdue", "超期未办结"
    AWAITING_STOP = "awaiting_stop", "已核实死亡，待乡镇（街道）停发"


class LeftBehindCategory(models.TextChoices):
    ELDERLY = "elderly", "农村留守老年人"
    CHILD = "child", "农村留守儿童"
    WOMAN = "woman", "农村留守妇女"


class RiskLevel(models.TextChoices):
    HIGH = "high", "高风险"
    MEDIUM = "medium", "中风险"
    LOW = "low", "低风险"


class LeftBehindEndReason(models.TextChoices):
    FAMILY_RETURNED = "family_returned", "外出家庭成员返乡"
    AGED_OUT = "aged_out", "年满16周岁"
    MOVED_AWAY = "moved_away", "迁出本区"
    DEATH = "death", "死亡"
    OTHER = "other", "其他"
