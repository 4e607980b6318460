"""Choices of the child-welfare line. Codes are stable English identifiers; labels are what
users see. The category codes of 孤儿 and 事实无人抚养儿童 are the registry's
``Person.child_status`` values, which the rules engine reads."""

from django.db import models

from minzheng.registry.enums import ChildStatus


class Category(models.TextChoices):
    ORPHAN = ChildStatus.ORPHAN.value, "孤儿"
    DE_FACTO_UNSUPPORTED = ChildStatus.DE_FACTO_UNSUPPORTED.value, "事实无人抚养儿童"
    HARDSHIP = "hardship", "困境儿童"


# The categories with a monthly allowance, and the program (assistance's and the rules
# engine's code) that pays it. 困境儿童 has none: Chongqing's amounts were not found
# (policy-facts §5.2, service-lines "Working defaults").
ALLOWANCE_PROGRAM = {
    Category.ORPHAN: "orphan_allowance",
    Category.DE_FACTO_UNSUPPORTED: "defacto_child_allowance",
}


class Placement(models.TextChoices):
    SCATTERED = "scattered", "散居"
    INSTITUTIONAL = "institutional", "集中供养（儿童福利机构）"


class Source(models.TextChoices):
    APPLICATION = "application", "监护人申请"
    DISCOVERY = "discovery", "村（社区）走访发现"
    ROSTER = "roster", "存量名单导入"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "待乡镇审核"
    PUBLICITY = "publicity", "公示"
    DECISION = "decision", "待区级认定"
    RECOGNISED = "recognised", "已认定"
    REFUSED = "refused", "不予认定"
    ENDED = "ended", "已终止"


OPEN_STATUSES = (Status.SUBMITTED, Status.PUBLICITY, Status.DECISION)


class Ground(models.TextChoices):
    """Why a child is recognised (service-lines §3 Child categories; policy-facts §5.2)."""

    # 孤儿
    BOTH_PARENTS_DEAD = "both_dead", "父母双方均死亡"
    ONE_DEAD_ONE_MISSING = "dead_and_missing", "父母一方死亡、另一方宣告失踪"
    BOTH_MISSING = "both_missing", "父母双方均宣告失踪"
    # 事实无人抚养儿童: each parent in one of these situations (or one dead / missing)
    PARENT_SEVERE_DISABILITY = "parent_disability", "父母重残（一、二级或三、四级智力、精神残疾）"
    PARENT_SERIOUS_ILLNESS = "parent_illness", "父母重病"
    PARENT_DETAINED = "parent_detained", "父母服刑在押、强制隔离戒毒或被执行其他限制人身自由的措施（6个月以上）"
    PARENT_LOST_CONTACT = "parent_lost_contact", "父母失联（6个月以上，自公安机关受理之日起算）"
    PARENT_GUARDIANSHIP_REVOKED = "parent_revoked", "父母被人民法院撤销监护资格"
    PARENT_DEPORTED = "parent_deported", "父母被遣送（驱逐）出境"
    ONE_PARENT_DEAD = "one_dead", "父母一方死亡或宣告失踪、另一方符合上述情形"
    # 困境儿童 (国发〔2016〕36号; 生活/身心/监护困境)
    LIVING_HARDSHIP = "living", "生活困境（家庭贫困导致生活、就医、就学困难）"
    BODY_MIND_HARDSHIP = "body_mind", "身心困境（自身残疾导致康复、照料、护理和社会融入困难）"
    GUARDIANSHIP_HARDSHIP = "guardianship", "监护困境（缺乏监护或监护不当，遭受虐待、遗弃、意外伤害、不法侵害）"


GROUNDS_OF = {
    Category.ORPHAN: (Ground.BOTH_PARENTS_DEAD, Ground.ONE_DEAD_ONE_MISSING, Ground.BOTH_MISSING),
    Category.DE_FACTO_UNSUPPORTED: (
        Ground.PARENT_SEVERE_DISABILITY,
        Ground.PARENT_SERIOUS_ILLNESS,
        Ground.PARENT_DETAINED,
        Ground.PARENT_LOST_CONTACT,
        Ground.PARENT_GUARDIANSHIP_REVOKED,
        Ground.PARENT_DEPORTED,
        Ground.ONE_PARENT_DEAD,
    ),
    Category.HARDSHIP: (Ground.LIVING_HARDSHIP, Ground.BODY_MIND_HARDSHIP, Ground.GUARDIANSHIP_HARDSHIP),
}


class Outcome(models.TextChoices):
    APPROVE = "approve", "同意"
    REFUSE = "refuse", "不同意"


class EndReason(models.TextChoices):
    AGED_OUT = "aged_out", "年满18周岁"
    ADOPTED = "adopted", "被依法收养"
    PARENT_RETURNED = "parent_returned", "父母恢复抚养能力（刑满释放、恢复联系等）"
    DEATH = "death", "死亡"
    MOVED_AWAY = "moved_away", "迁出本区"
    NO_LONGER_ELIGIBLE = "not_eligible", "复核不再符合条件"
    OTHER = "other", "其他"


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", "继续保障"
    END = "end", "终止保障"


class GuardianStatus(models.TextChoices):
    ABLE = "able", "有监护能力"
    UNABLE = "unable", "无监护能力"
    DEAD = "dead", "死亡或宣告失踪"
    DETAINED = "detained", "服刑在押或限制人身自由"
    LOST_CONTACT = "lost_contact", "失联"
    REVOKED = "revoked", "监护资格被撤销"


class Schooling(models.TextChoices):
    UNKNOWN = "unknown", "未登记"
    PRESCHOOL = "preschool", "学龄前"
    IN_SCHOOL = "in_school", "在校"
    LEFT_SCHOOL = "left_school", "辍学或离校"
    SPECIAL = "special", "特殊教育或送教上门"


# ----------------------------------------------------------------------------------------------
# Minors' protection (service-lines §3)
# ----------------------------------------------------------------------------------------------


class ReporterKind(models.TextChoices):
    SCHOOL = "school", "学校、幼儿园"
    HOSPITAL = "hospital", "医疗机构"
    POLICE = "police", "公安机关"
    VILLAGE = "village", "村（居）民委员会"
    INSTITUTION = "institution", "福利、救助、社会工作机构"
    HOTEL = "hotel", "旅馆、宾馆"
    PUBLIC = "public", "群众"
    OTHER = "other", "其他"


class HarmKind(models.TextChoices):
    ABNORMAL_INJURY = "injury", "不正常的身体损伤"
    MALNUTRITION = "malnutrition", "严重营养不良"
    DOMESTIC_VIOLENCE = "domestic_violence", "家庭暴力"
    SEXUAL_ASSAULT = "sexual_assault", "性侵害"
    PREGNANCY = "pregnancy", "未成年女性怀孕、流产"
    ABANDONMENT = "abandonment", "遗弃、无人照料"
    TRAFFICKING = "trafficking", "拐卖"
    BEGGING = "begging", "组织乞讨"
    OTHER = "other", "其他侵害或危险"


class ProtectionStatus(models.TextChoices):
    REPORTED = "reported", "待受理"
    ASSESSING = "assessing", "调查评估"
    INTERVENTION = "intervention", "干预处置"
    FOLLOW_UP = "follow_up", "跟踪回访"
    CLOSED = "closed", "已结案"


class RiskLevel(models.TextChoices):
    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


class Intervention(models.TextChoices):
    NONE = "none", "无需干预（转介或教育指导）"
    GUARDIANSHIP_INTERVENTION = "intervention", "监护干预（督促、指导监护人履责）"
    TEMPORARY_GUARDIANSHIP = "temporary", "国家临时监护"
    LONG_TERM_GUARDIANSHIP = "long_term", "国家长期监护"


class TemporaryGround(models.TextChoices):
    """未成年人保护法 art. 92."""

    UNIDENTIFIED = "t1", "流浪乞讨或身份不明，暂时查找不到父母或其他监护人"
    GUARDIAN_MISSING = "t2", "监护人下落不明且无其他人可以担任监护人"
    GUARDIAN_UNABLE = "t3", "监护人因自身客观原因或突发事件不能履行监护职责，导致未成年人监护缺失"
    GUARDIAN_REFUSES = "t4", "监护人拒绝或者怠于履行监护职责，导致未成年人处于无人照料的状态"
    CRIME_REMOVAL = "t5", "监护人教唆、利用未成年人实施违法犯罪行为，未成年人需要被带离安置"
    SERIOUS_HARM = "t6", "未成年人遭受监护人严重伤害或者面临人身安全威胁，需要被紧急安置"
    OTHER = "t7", "法律规定的其他情形"


class LongTermGround(models.TextChoices):
    """未成年人保护法 art. 94."""

    NOT_FOUND = "l1", "查找不到未成年人的父母或者其他监护人"
    GUARDIAN_DEAD = "l2", "监护人死亡或者被宣告死亡且无其他人可以担任监护人"
    GUARDIAN_INCAPABLE = "l3", "监护人丧失监护能力且无其他人可以担任监护人"
    COURT_APPOINTED = "l4", "人民法院判决撤销监护人资格并指定由民政部门担任监护人"
    OTHER = "l5", "法律规定的其他情形"


class Placement93(models.TextChoices):
    """Where a child under temporary guardianship lives (art. 93)."""

    KIN = "kin", "近亲属抚养"
    FOSTER = "foster", "家庭寄养"
    RESCUE = "rescue", "未成年人救助保护机构"
    WELFARE = "welfare", "儿童福利机构"


class Department(models.TextChoices):
    POLICE = "police", "公安机关"
    EDUCATION = "education", "教育部门"
    HEALTH = "health", "卫生健康部门"
    COURT = "court", "人民法院"
    PROCURATORATE = "procuratorate", "人民检察院"
    WOMEN = "women", "妇联"
    YOUTH = "youth", "共青团"
    OTHER = "other", "其他部门"


class ClosureReason(models.TextChoices):
    SAFE = "safe", "风险消除，监护人正常履责"
    RETURNED = "returned", "经评估送回监护人"
    LONG_TERM = "long_term", "转入国家长期监护"
    ADOPTED = "adopted", "被依法收养"
    AGED_OUT = "aged_out", "年满18周岁"
    UNFOUNDED = "unfounded", "经核实报告不属实"
    OTHER = "other", "其他"


class WorkerRole(models.TextChoices):
    """民发〔2019〕34号: one 儿童督导员 per town, one 儿童主任 per village (service-lines §3)."""

    SUPERVISOR = "supervisor", "儿童督导员"
    DIRECTOR = "director", "儿童主任"


# ----------------------------------------------------------------------------------------------
# 儿童福利机构 (the 100-bed 涪陵区儿童福利院 of the key project)
# ----------------------------------------------------------------------------------------------


class AdmissionReason(models.TextChoices):
    ORPHAN = "orphan", "孤儿（机构养育）"
    DE_FACTO = "de_facto", "事实无人抚养儿童（机构养育）"
    TEMPORARY = "temporary", "国家临时监护安置"
    LONG_TERM = "long_term", "国家长期监护"
    ABANDONED = "abandoned", "弃婴或查找不到父母的儿童"
    OTHER = "other", "其他"


class DischargeReason(models.TextChoices):
    ADOPTED = "adopted", "被依法收养"
    AGED_OUT = "aged_out", "年满18周岁，成年安置"
    RETURNED = "returned", "经评估送回监护人或亲属抚养"
    FOSTER = "foster", "转入家庭寄养"
    TRANSFERRED = "transferred", "转入其他机构"
    DEATH = "death", "死亡"
    OTHER = "other", "其他"


# ----------------------------------------------------------------------------------------------
# 农村留守儿童: assessment and 关爱服务 (beside discovery's 三留守 visits)
# ----------------------------------------------------------------------------------------------


class Condition(models.TextChoices):
    """One dimension of the left-behind child's assessment (the plan: 安全处境、监护情况、
    身心健康状况)."""

    GOOD = "good", "良好"
    WATCH = "watch", "需关注"
    AT_RISK = "at_risk", "存在风险"


class CareMeasure(models.TextChoices):
    """关爱服务 named by the plan (第三节 加强农村留守儿童关爱保护)."""

    GUARDIAN_GUIDANCE = "guardian_guidance", "监护指导"
    COUNSELLING = "counselling", "心理疏导"
    TUTORING = "tutoring", "课后辅导"
    DAY_CARE = "day_care", "日间照料"
    BEHAVIOUR = "behaviour", "行为矫治"
    FAMILY = "family", "家庭关系调适"
    SOCIAL = "social", "社会融入"
    SCHOOL_RETURN = "school_return", "辍学劝返复学"
    MEDICAL = "medical", "残疾、患病儿童随访救助"
    SOCIAL_WORK = "social_work", "“护苗行动”社会工作服务"


class DocumentKind(models.TextChoices):
    """Papers a case must hold before a step (service-lines §3: 孤儿 on death or cancellation
    records or court declarations; 事实无人抚养 on the proof of each parent's situation,
    policy-facts §5.2; 国家长期监护 on a court's revocation, 未成年人保护法 art. 94(4))."""

    IDENTITY = "identity", "儿童户口簿或居民身份证"
    PARENTS_DEATH = "parents_death", "父母死亡证明（注销户口证明）或人民法院宣告死亡、失踪的判决书"
    PARENTS_SITUATION = "parents_situation", "父母情形证明材料（残疾证、诊断证明、服刑或羁押证明、失联报案回执、判决书等）"
    COURT_JUDGMENT = "court_judgment", "人民法院撤销监护人资格并指定民政部门担任监护人的判决书"


RECOGNITION_DOCUMENTS = (DocumentKind.IDENTITY, DocumentKind.PARENTS_DEATH, DocumentKind.PARENTS_SITUATION)
