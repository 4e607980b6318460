"""Choices of the adoption line (收养登记). Codes are stable English identifiers; labels are
what users see. Domain: shared/domain/service-lines.md §2, 《民法典》 第1093–1118条."""

from django.db import models


class Kind(models.TextChoices):
    """Who may be adopted (民法典 第1093条) and the two relative cases the code treats apart
    (第1099条 同辈旁系血亲的子女, 第1103条 继子女)."""

    ORPHAN = "orphan", "丧失父母的孤儿"
    FOUNDLING = "foundling", "查找不到生父母的未成年人"
    PARENTS_DIFFICULTY = "parents_difficulty", "生父母有特殊困难无力抚养的子女"
    RELATIVE = "relative", "三代以内旁系同辈血亲的子女"
    STEPCHILD = "stepchild", "继子女（继父或者继母收养）"


class Placer(models.TextChoices):
    """送养人 (民法典 第1094条)."""

    INSTITUTION = "institution", "儿童福利机构"
    GUARDIAN = "guardian", "孤儿的监护人"
    BIRTH_PARENTS = "birth_parents", "有特殊困难无力抚养子女的生父母"


class Status(models.TextChoices):
    APPLIED = "applied", "待受理"
    NOTICE = "notice", "寻亲公告"
    ASSESSMENT = "assessment", "收养评估"
    REVIEW = "review", "登记审查"
    REGISTERED = "registered", "已登记"
    REFUSED = "refused", "不予登记"
    DISSOLVED = "dissolved", "已解除收养关系"


OPEN_STATUSES = (Status.APPLIED, Status.NOTICE, Status.ASSESSMENT, Status.REVIEW)


class DocumentKind(models.TextChoices):
    """Papers checked in by the registrar (the originals go to the permanent archive)."""

    APPLICATION = "application", "收养申请书"
    ADOPTER_ID = "adopter_id", "收养人居民身份证和户口簿"
    MARITAL = "marital", "收养人婚姻状况证明"
    HEALTH = "health", "收养人县级以上医疗机构出具的体检证明"
    NO_CRIME = "no_crime", "收养人无违法犯罪记录证明"
    PLACER = "placer", "送养人身份证明或儿童福利机构证明"
    AGREEMENT = "agreement", "送养协议或同意送养的书面意见"
    ORPHAN_PROOF = "orphan_proof", "被收养人父母死亡或宣告死亡的证明"
    FOUNDLING_REPORT = "foundling_report", "公安机关出具的捡拾弃婴、儿童报案证明"
    CHILD_CONSENT = "child_consent", "被收养人同意被收养的书面意见（8周岁以上）"
    STEP_CONSENT = "step_consent", "生父或者生母同意继父母收养的书面意见"
    DISSOLUTION = "dissolution", "解除收养关系协议书"


class AssessmentBody(models.TextChoices):
    """Who assesses (民发〔2020〕144号): the registry itself or an entrusted third party."""

    BUREAU = "bureau", "收养登记机关（2名以上在编人员）"
    ENTRUSTED = "entrusted", "受委托的第三方机构"


class Conclusion(models.TextChoices):
    SUITABLE = "suitable", "适合收养"
    UNSUITABLE = "unsuitable", "不适合收养"


# The content of an assessment report (民发〔2020〕144号, service-lines §2 "Content").
ASSESSMENT_SECTIONS = (
    ("motive", "收养动机"),
    ("conduct", "道德品行"),
    ("education", "受教育程度"),
    ("health", "健康状况"),
    ("finances", "经济及住房条件"),
    ("family", "婚姻家庭关系及共同生活家庭成员意见"),
    ("plan", "抚育计划"),
    ("environment", "邻里关系及社区环境"),
    ("fit", "与被收养人融合情况"),
)


class VisitStatus(models.TextChoices):
    DUE = "due", "待回访"
    DONE = "done", "已回访"


class DissolutionGround(models.TextChoices):
    AGREEMENT = "agreement", "收养人与送养人协议解除（民法典 第1114条）"
    ADULT_AGREEMENT = "adult_agreement", "养父母与成年养子女协议解除（民法典 第1115条）"
