"""The welfare lottery's vocabularies: English values, Chinese labels (service-lines.md §9)."""

from django.db import models


class OutletKind(models.TextChoices):
    """The outlet register's types (service-lines.md §9; plan 第二章第五节)."""

    DEDICATED = "dedicated", "专营店"
    MAIN = "main", "主营店"
    SIDE = "side", "兼营店"
    COMMUNITY = "community", "社区店"
    STATION = "station", "福彩公益驿站"


class OutletStatus(models.TextChoices):
    OPEN = "open", "营业中"
    CLOSED = "closed", "已关闭"


class InspectionStatus(models.TextChoices):
    PASSED = "passed", "未发现问题"
    RECTIFYING = "rectifying", "整改中"
    CLOSED = "closed", "已整改"


class FundArea(models.TextChoices):
    """公益金 use: "扶老、助残、救孤、济困" (service-lines.md §9; plan 第二章第五节)."""

    ELDERLY = "elderly", "扶老"
    DISABLED = "disabled", "助残"
    ORPHANS = "orphans", "救孤"
    HARDSHIP = "hardship", "济困"
