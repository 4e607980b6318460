"""Choices of the social-organisation line."""

from django.db import models


class OrgType(models.TextChoices):
    ASSOCIATION = "association", "社会团体"
    SERVICE = "service", "社会服务机构"
    FOUNDATION = "foundation", "基金会"


# GB 32100-2015: 登记管理部门代码 5 (民政), 机构类别 1 社会团体, 2 民办非企业单位（社会服务机构）, 3 基金会.
CREDIT_CODE_PREFIX = {OrgType.ASSOCIATION: "51", OrgType.SERVICE: "52", OrgType.FOUNDATION: "53"}


class Sector(models.TextChoices):
    # the plan's priority types (第三章第三节) and the rest
    INDUSTRY = "industry", "行业协会商会类"
    SCIENCE = "science", "科技类"
    CHARITY = "charity", "公益慈善类"
    COMMUNITY = "community", "城乡社区服务类"
    OTHER = "other", "其他"


class OrgStatus(models.TextChoices):
    ACTIVE = "active", "正常"
    DEREGISTERED = "deregistered", "已注销"
    REVOKED = "revoked", "已撤销登记"


class PartyStatus(models.TextChoices):
    OWN = "own", "单独建立党组织"
    JOINT = "joint", "联合建立党组织"
    INSTRUCTOR = "instructor", "选派党建工作指导员"
    NONE = "none", "未建立党组织"


class Authority(models.TextChoices):
    DISTRICT = "district", "涪陵区民政局"
    MUNICIPAL = "municipal", "重庆市民政局"
    NATIONAL = "national", "民政部"


class ProcedureKind(models.TextChoices):
    ESTABLISH = "establish", "成立登记"
    CHANGE = "change", "变更登记"
    DEREGISTER = "deregister", "注销登记"


class ProcedureStatus(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    PREP_REVIEW = "prep_review", "筹备审查"
    PREPARING = "preparing", "筹备中"
    REVIEW = "review", "登记审查"
    APPROVED = "approved", "准予登记"
    REFUSED = "refused", "不予登记"


class RefusalGround(models.TextChoices):
    CONDITIONS = "conditions", "不符合登记条件（会员数、资金、场所、人员等）"
    SUPERVISOR = "supervisor", "未取得业务主管单位批准"
    NAME = "name", "名称不符合规定或与已登记组织重名"
    PURPOSE = "purpose", "宗旨、业务范围不符合法律法规或公序良俗"
    FALSE_DOCS = "false_docs", "申请材料虚假"
    APPLICANT = "applicant", "发起人、拟任负责人受过刑事处罚或无完全民事行为能力"
    LISTED = "listed", "列入活动异常名录或严重违法失信名单"
    OTHER = "other", "其他法定事由"


class InspectionResult(models.TextChoices):
    PASS = "pass", "合格"
    BASIC = "basic", "基本合格"
    FAIL = "fail", "不合格"
    MISSING = "missing", "未参加年检"


class Grade(models.TextChoices):
    A5 = "5A", "5A"
    A4 = "4A", "4A"
    A3 = "3A", "3A"
    A2 = "2A", "2A"
    A1 = "1A", "1A"


class ListKind(models.TextChoices):
    ABNORMAL = "abnormal", "活动异常名录"
    SERIOUS = "serious", "严重违法失信名单"


class PenaltyKind(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    BAN = "ban", "取缔非法社会组织"


class PenaltyStatus(models.TextChoices):
    FILED = "filed", "立案"
    INVESTIGATING = "investigating", "调查"
    NOTIFIED = "notified", "告知"
    DECIDED = "decided", "决定"
    EXECUTED = "executed", "执行完毕"
    DROPPED = "dropped", "撤销立案"


class Sanction(models.TextChoices):
    WARNING = "warning", "警告"
    FINE = "fine", "罚款"
    SUSPEND = "suspend", "限期停止活动"
    REVOKE = "revoke", "撤销登记"
    BAN = "ban", "取缔"
    NONE = "none", "不予处罚"
