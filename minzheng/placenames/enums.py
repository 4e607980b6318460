"""The place-name and boundary line's vocabulary: English values, Chinese labels."""

from django.db import models


class Category(models.TextChoices):
    ROAD = "road", "道路"
    STREET = "street", "街巷"
    BRIDGE = "bridge", "桥梁"
    RESIDENTIAL = "residential", "居民区"
    NATURAL = "natural", "自然地理实体"
    VILLAGE = "village", "村（社区）"
    FACILITY = "facility", "公共设施"


class NameStatus(models.TextChoices):
    STANDARD = "standard", "标准名称"
    PROPOSED = "proposed", "拟命名"
    RETIRED = "retired", "已更名（历史地名）"


class CaseKind(models.TextChoices):
    NAMING = "naming", "命名"
    RENAMING = "renaming", "更名"


class NamingStatus(models.TextChoices):
    APPLIED = "applied", "已申请"
    REVIEWED = "reviewed", "专家论证"
    NOTICED = "noticed", "社会公示"
    APPROVED = "approved", "已批准"
    ANNOUNCED = "announced", "已公告"
    REFUSED = "refused", "不予批准"


class DocumentKind(models.TextChoices):
    APPLICATION = "application", "命名（更名）申请书"
    EXPERT_OPINION = "expert_opinion", "专家论证意见"
    NOTICE = "notice", "公示材料"
    APPROVAL = "approval", "批复文件"
    ANNOUNCEMENT = "announcement", "公告"


class LineLevel(models.TextChoices):
    DISTRICT = "district", "区（县）级界线"
    TOWN = "town", "乡镇（街道）界线"


class MarkerCondition(models.TextChoices):
    GOOD = "good", "完好"
    DAMAGED = "damaged", "损坏"
    MISSING = "missing", "缺失"
    MOVED = "moved", "移位"


class ChangeStatus(models.TextChoices):
    APPLIED = "applied", "已申报"
    APPROVED = "approved", "已批准"
    RECORDED = "recorded", "已登记生效"
    REFUSED = "refused", "未获批准"
