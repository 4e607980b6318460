"""Kinds, states and outcomes of referrals, and the categories of a rehabilitation file."""

from django.db import models


class ReferralKind(models.TextChoices):
    MEDICAL = "medical", "医疗救助"
    EDUCATION = "education", "教育救助"
    HOUSING = "housing", "住房救助"
    EMPLOYMENT = "employment", "就业救助"
    OTHER = "other", "其他部门"


class ReferralStatus(models.TextChoices):
    REFERRED = "referred", "已转介"
    RECEIVED = "received", "已接收"
    FED_BACK = "fed_back", "已反馈"
    WITHDRAWN = "withdrawn", "已撤回"


OPEN_STATUSES = (ReferralStatus.REFERRED, ReferralStatus.RECEIVED)


class ReferralOutcome(models.TextChoices):
    ASSISTED = "assisted", "已给予救助或帮扶"
    NOT_ELIGIBLE = "not_eligible", "经核实不符合条件"
    PASSED_ON = "passed_on", "已转其他部门办理"
    DECLINED = "declined", "本人放弃"
    OTHER = "other", "其他"


class DiagnosisCategory(models.TextChoices):
    """The category only — never clinical records. The six conditions of the national register
    of severe mental disorders (《严重精神障碍管理治疗工作规范》, 2018 — recalled, not from
    policy-facts.md), and 其他."""

    SCHIZOPHRENIA = "schizophrenia", "精神分裂症"
    SCHIZOAFFECTIVE = "schizoaffective", "分裂情感性障碍"
    DELUSIONAL = "delusional", "持久的妄想性障碍（偏执性精神病）"
    BIPOLAR = "bipolar", "双相（情感）障碍"
    EPILEPSY = "epilepsy", "癫痫所致精神障碍"
    INTELLECTUAL = "intellectual", "精神发育迟滞伴发精神障碍"
    OTHER = "other", "其他精神障碍"


class RehabStatus(models.TextChoices):
    ACTIVE = "active", "康复服务中"
    CLOSED = "closed", "已结束"
