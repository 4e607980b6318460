"""The funeral line's vocabulary: English values, Chinese labels."""

from django.db import models


class RecordStatus(models.TextChoices):
    NOTIFIED = "notified", "已报丧"
    TRANSPORTED = "transported", "已接运"
    CREMATED = "cremated", "已火化"
    ASHES_STORED = "ashes_stored", "骨灰寄存"
    BURIED = "buried", "已土葬"
    INTERRED = "interred", "已安葬"


class RecordSource(models.TextChoices):
    DEATH_FEED = "death_feed", "死亡信息（部门推送）"
    REGISTRY = "registry", "人员库"
    FAMILY = "family", "家属到殡仪馆申请"


class MourningKind(models.TextChoices):
    CENTRALIZED = "centralized", "集中治丧"
    HOME = "home", "居家治丧"


class FacilityKind(models.TextChoices):
    FUNERAL_HOME = "funeral_home", "殡仪馆"
    SERVICE_STATION = "service_station", "殡仪服务站"
    PUBLIC_CEMETERY = "public_cemetery", "农村公益性公墓"
    COMMERCIAL_CEMETERY = "commercial_cemetery", "经营性公墓"


CEMETERY_KINDS = (FacilityKind.PUBLIC_CEMETERY, FacilityKind.COMMERCIAL_CEMETERY)
FUNERAL_SERVICE_KINDS = (FacilityKind.FUNERAL_HOME, FacilityKind.SERVICE_STATION)


class FacilityStatus(models.TextChoices):
    OPERATING = "operating", "运营中"
    BUILDING = "building", "在建"
    CLOSED = "closed", "已关闭"


class PlotKind(models.TextChoices):
    TRADITIONAL = "traditional", "传统墓穴"
    TREE = "tree", "树葬"
    FLOWER = "flower", "花坛葬"
    LAWN = "lawn", "草坪葬"
    WALL = "wall", "壁葬（骨灰墙）"
    SEA = "sea", "海葬（撒散）"


# 节地生态安葬 (民政部等9部门, 2016): tree, flower, lawn, sea, deep burial, niche/wall storage.
ECO_PLOT_KINDS = (PlotKind.TREE, PlotKind.FLOWER, PlotKind.LAWN, PlotKind.WALL, PlotKind.SEA)


class PlotStatus(models.TextChoices):
    AVAILABLE = "available", "可售"
    SOLD = "sold", "已售"


class ZoneKind(models.TextChoices):
    CREMATION = "cremation", "火化区"
    CIVILIZED = "civilized", "文明治丧区"


class GraveStatus(models.TextChoices):
    FOUND = "found", "已发现"
    RECTIFYING = "rectifying", "整改中"
    RECTIFIED = "rectified", "已整改"


class InspectionStatus(models.TextChoices):
    RECTIFYING = "rectifying", "整改中"
    CLOSED = "closed", "已整改销号"


class PriceItem(models.TextChoices):
    """基本殡葬服务 (government-priced) and the items of the hardship waiver."""

    TRANSPORT = "transport", "遗体接运"
    REFRIGERATION_DAY = "refrigeration_day", "遗体冷藏（每日）"
    BODY_BAG = "body_bag", "尸袋"
    CREMATION = "cremation", "遗体火化"
    URN = "urn", "骨灰盒"
    ASHES_STORAGE_YEAR = "ashes_storage_year", "骨灰寄存（每年）"
    FAREWELL = "farewell", "告别厅"


class HardshipGroup(models.TextChoices):
    """The groups of the Chongqing hardship waiver (domain service-lines §5)."""

    DIBAO = "dibao", "城乡低保对象"
    TEKUN = "tekun", "特困人员（原城市三无、农村五保）"
    YOUFU = "youfu", "困难重点优抚对象"


class SettlementStatus(models.TextChoices):
    PREPARED = "prepared", "待审批"
    APPROVED = "approved", "已审批"


class MessageStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已公开"
    REJECTED = "rejected", "未通过"
