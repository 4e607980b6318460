"""Rescue management's vocabularies: English values, Chinese labels."""

from django.db import models


class CaseStatus(models.TextChoices):
    IN_STATION = "in_station", "在站救助"
    IDENTIFIED = "identified", "已查明身份"
    ESCORTING = "escorting", "接送返回中"
    RETURNED = "returned", "已返回"
    LEFT = "left", "自行离站"
    LONG_STAY = "long_stay", "长期滞留"
    SETTLING = "settling", "落户安置办理中"
    SETTLED = "settled", "已落户安置"
    REFUSED = "refused", "不予救助"
    DIED = "died", "死亡"


# The states in which the person is in the station (holds a bed, is on the daily list).
PRESENT_STATUSES = (CaseStatus.IN_STATION, CaseStatus.IDENTIFIED, CaseStatus.LONG_STAY, CaseStatus.SETTLING)


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"
    UNKNOWN = "U", "不详"


class Source(models.TextChoices):
    POLICE = "police", "公安机关护送"
    CITY = "city", "城管部门护送"
    PUBLIC = "public", "群众报告"
    SELF = "self", "本人主动求助"
    HOSPITAL = "hospital", "医疗机构转来"
    OTHER = "other", "其他"


class Risk(models.TextChoices):
    MINOR = "minor", "未成年人"
    ELDERLY = "elderly", "老年人"
    DISABLED = "disabled", "残疾人"
    MENTAL = "mental", "疑似精神障碍"
    PREGNANT = "pregnant", "孕妇"
    ILL = "ill", "危重病人或受伤"


class Medical(models.TextChoices):
    NONE = "none", "无"
    CLINIC = "clinic", "站内医疗照料"
    HOSPITAL = "hospital", "送医救治"


class HospitalOutcome(models.TextChoices):
    """How a hospital stay (送医救治) ended (docs/rescue.md, 送医救治)."""

    RETURNED = "returned", "出院返回救助管理站"
    DISCHARGED = "discharged", "出院后自行离开"
    DIED = "died", "在院死亡"
    TRANSFERRED = "transferred", "转协议医疗机构长期托养"


class SearchKind(models.TextChoices):
    FINGERPRINT = "fingerprint", "指纹比对"
    DNA = "dna", "DNA采样比对"
    FACE = "face", "人像比对"
    NOTICE = "notice", "寻亲公告"
    POLICE = "police", "公安机关身份核查"
    REGISTRY = "registry", "户籍人口比对"


class SearchResult(models.TextChoices):
    PENDING = "pending", "待反馈"
    MATCH = "match", "比中"
    NO_MATCH = "no_match", "未比中"


class ReturnMode(models.TextChoices):
    TICKET = "ticket", "发放乘车凭证"
    ESCORT = "escort", "护送返回"
    COLLECTED = "collected", "亲属接回"


class Receiver(models.TextChoices):
    FAMILY = "family", "家属"
    STATION = "station", "户籍地救助管理机构"
    VILLAGE = "village", "户籍地村（居）委会"


class SettlementDoc(models.TextChoices):
    REPORT = "report", "滞留人员情况报告"
    SEARCH = "search", "寻亲公告及DNA比对结果"
    POLICE = "police", "公安机关户籍登记意见"
    PLACEMENT = "placement", "安置协议"


class Placement(models.TextChoices):
    WELFARE = "welfare", "社会福利机构"
    CARE_HOME = "care_home", "特困人员供养服务设施（敬老院）"
    HOSPITAL = "hospital", "协议医疗机构"
    OTHER = "other", "其他托养机构"


class CampaignKind(models.TextChoices):
    WINTER = "winter", "寒冬送温暖"
    SUMMER = "summer", "夏季送清凉"
    OTHER = "other", "其他专项行动"


class RefusalGround(models.TextChoices):
    """不予救助的理由 (求助登记时不符合救助条件，出具不予救助通知书): the four conditions of
    实施细则（民政部令第24号）第二条, each unmet (service-lines.md §4)."""

    HAS_MEANS = "has_means", "自身有能力解决食宿"
    HAS_RELATIVES = "has_relatives", "有亲友可以投靠"
    ON_ASSISTANCE = "on_assistance", "享受城市最低生活保障或者农村五保供养"
    NOT_VAGRANT = "not_vagrant", "不属于在城市流浪乞讨度日（仅有乞讨行为不属于救助对象）"
