"""Choices of the marriage registry: English values, Chinese labels."""

from django.db import models


class AppointmentKind(models.TextChoices):
    MARRIAGE = "marriage", "结婚登记"
    DIVORCE = "divorce", "离婚登记"
    REISSUE = "reissue", "补领婚姻登记证"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    ARRIVED = "arrived", "已到场"
    CANCELLED = "cancelled", "已取消"


class PriorStatus(models.TextChoices):
    SINGLE = "single", "未婚"
    DIVORCED = "divorced", "离婚"
    WIDOWED = "widowed", "丧偶"


class MarriageStatus(models.TextChoices):
    APPLIED = "applied", "审查中"
    REGISTERED = "registered", "已登记"
    REFUSED = "refused", "不予登记"


class EndKind(models.TextChoices):
    DIVORCE = "divorce", "登记离婚"
    JUDGMENT_DIVORCE = "judgment_divorce", "法院判决离婚"
    ANNULLED = "annulled", "法院判决撤销婚姻"
    VOID = "void", "法院宣告婚姻无效"
    CANCELLED = "cancelled", "撤销婚姻登记（冒名顶替）"


class DivorceStatus(models.TextChoices):
    APPLIED = "applied", "申请"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    ACCEPTED = "accepted", "冷静期"
    WITHDRAWN = "withdrawn", "已撤回"
    AWAITING_ISSUE = "awaiting_issue", "待双方到场登记"
    ISSUED = "issued", "已登记离婚"
    REFUSED = "refused", "不予登记"
    LAPSED = "lapsed", "视为撤回"


class AmendmentKind(models.TextChoices):
    REISSUE = "reissue", "补领婚姻登记证"
    CORRECTION = "correction", "更正婚姻登记"
    CANCELLATION = "cancellation", "撤销婚姻登记（冒名顶替）"
    JUDGMENT = "judgment", "法院判决备注"


class AmendmentStatus(models.TextChoices):
    APPLIED = "applied", "审查中"
    NOTIFIED = "notified", "已告知当事人"
    DONE = "done", "已办结"
    REFUSED = "refused", "不予办理"


class CertificateKind(models.TextChoices):
    MARRIAGE = "marriage", "结婚证"
    DIVORCE = "divorce", "离婚证"


class CancellationBasis(models.TextChoices):
    COURT = "court", "人民法院司法建议书"
    PROCURATORATE = "procuratorate", "人民检察院检察建议书"
    POLICE = "police", "公安机关出具的证明"


class JudgmentKind(models.TextChoices):
    DIVORCE = "divorce", "判决离婚"
    ANNULLED = "annulled", "判决撤销婚姻"
    VOID = "void", "宣告婚姻无效"


JUDGMENT_END = {JudgmentKind.DIVORCE: EndKind.JUDGMENT_DIVORCE, JudgmentKind.ANNULLED: EndKind.ANNULLED, JudgmentKind.VOID: EndKind.VOID}


class CorrectionField(models.TextChoices):
    MAN_NAME = "man_name", "男方姓名"
    WOMAN_NAME = "woman_name", "女方姓名"
    REGISTERED_ON = "registered_on", "登记日期"


class DocumentKind(models.TextChoices):
    ID_CARD = "id_card", "居民身份证"
    ARCHIVE = "archive", "婚姻登记档案核查记录"
    CERTIFICATE = "certificate", "原婚姻登记证"
    ERROR_PROOF = "error_proof", "登记错误的证明材料"
    COURT_ADVICE = "court_advice", "司法建议书"
    PROCURATORATE_ADVICE = "procuratorate_advice", "检察建议书"
    POLICE_FINDING = "police_finding", "公安机关证明"
    JUDGMENT = "judgment", "生效判决书"
    NOTICE_SERVED = "notice_served", "告知书送达回执"


class CounsellingOutcome(models.TextChoices):
    PENDING = "pending", "辅导中"
    RECONCILED = "reconciled", "和好"
    CONTINUED = "continued", "继续办理离婚"
    DECLINED = "declined", "当事人拒绝辅导"


class SessionKind(models.TextChoices):
    COUPLE = "couple", "夫妻辅导"
    INDIVIDUAL = "individual", "个人辅导"
    FAMILY = "family", "家庭辅导"
    PREMARITAL = "premarital", "婚前辅导"
    GROUP = "group", "团体讲座"


class Residence(models.TextChoices):
    DISTRICT = "district", "本区"
    CHONGQING = "chongqing", "市内其他区县"
    OTHER_PROVINCE = "other_province", "外省（区、市）"


class Party(models.TextChoices):
    MAN = "man", "男方"
    WOMAN = "woman", "女方"
