from django.db import models


class Sex(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class HukouType(models.TextChoices):
    AGRICULTURAL = "agricultural", "农业户口"
    NON_AGRICULTURAL = "non_agricultural", "非农业户口"
    RESIDENT = "resident", "居民户口"


class DisabilityCategory(models.TextChoices):
    VISUAL = "visual", "视力残疾"
    HEARING = "hearing", "听力残疾"
    SPEECH = "speech", "言语残疾"
    PHYSICAL = "physical", "肢体残疾"
    INTELLECTUAL = "intellectual", "智力残疾"
    MENTAL = "mental", "精神残疾"
    MULTIPLE = "multiple", "多重残疾"


class WorkCapacity(models.TextChoices):
    FULL = "full", "有劳动能力"
    PARTIAL = "partial", "部分丧失劳动能力"
    NONE = "none", "无劳动能力"


class SelfCare(models.TextChoices):
    ABLE = "able", "具备生活自理能力"
    PARTLY_UNABLE = "partly_unable", "部分丧失生活自理能力"
    UNABLE = "unable", "完全丧失生活自理能力"


class ChildStatus(models.TextChoices):
    ORPHAN = "orphan", "孤儿"
    DE_FACTO_UNSUPPORTED = "de_facto_unsupported", "事实无人抚养儿童"


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    CHILD = "child", "子女"
    PARENT = "parent", "父母"
    GRANDCHILD = "grandchild", "孙子女"
    GRANDPARENT = "grandparent", "祖父母"
    SIBLING = "sibling", "兄弟姐妹"
    CHILD_IN_LAW = "child_in_law", "儿媳/女婿"
    OTHER = "other", "其他"


class MembershipChangeReason(models.TextChoices):
    ESTABLISHED = "established", "立户"
    BIRTH = "birth", "出生"
    MARRIAGE = "marriage", "婚入"
    MOVED_IN = "moved_in", "迁入"
    MOVED_OUT = "moved_out", "迁出"
    SPLIT = "split", "分户"
    DEATH = "death", "死亡"
    HEAD_CHANGED = "head_changed", "变更户主"
    CORRECTION = "correction", "信息更正"


class DeathSource(models.TextChoices):
    """The departments whose death records the bureau receives (one intake path: the feed)."""

    POLICE = "police", "公安户籍注销"
    HEALTH = "health", "卫健死亡医学证明"
    FUNERAL = "funeral", "殡葬火化"
    VILLAGE = "village", "村（社区）登记"  # the family told the village: reported and checked at once


class DeathReportStatus(models.TextChoices):
    PENDING = "pending", "待核实"
    CONFIRMED = "confirmed", "已确认死亡"
    REFUTED = "refuted", "核实有误"


class JoinRequestStatus(models.TextChoices):
    """A request from another line (婚姻登记: the couple asks) that the village put a person in a
    household: the village does it (办理) or says why not (不予办理)."""

    PENDING = "pending", "待办理"
    DONE = "done", "已办理"
    DECLINED = "declined", "不予办理"


class JoinRequestSource(models.TextChoices):
    MARRIAGE = "marriage", "婚姻登记"
