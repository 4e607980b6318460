"""The division tree 区 → 乡镇/街道 → 村/社区, dated, with the code systems side by side."""

from __future__ import annotations

from django.db import models


class Level(models.TextChoices):
    DISTRICT = "district", "区县"
    TOWN = "town", "乡镇（街道）"
    VILLAGE = "village", "村（社区）"


class Kind(models.TextChoices):
    DISTRICT = "区", "区"
    SUBDISTRICT = "街道", "街道"
    TOWN = "镇", "镇"
    TOWNSHIP = "乡", "乡"
    COMMUNITY = "社区", "社区"
    VILLAGE = "村", "村"


class Zone(models.TextChoices):
    URBAN = "urban", "城镇"
    RURAL = "rural", "农村"


class CodeSystem(models.TextChoices):
    NBS = "nbs", "国家统计局统计用区划代码"
    MCA = "mca", "民政部区划地名代码"


class DivisionQuerySet(models.QuerySet):
    def current(self) -> DivisionQuerySet:
        return self.filter(valid_to__isnull=True)


class Division(models.Model):
    """One version of a division. A change of name or kind (乡→镇) closes this row
    (valid_to) and opens a new one with the same code, so history is kept."""

    code = models.CharField("统计用区划代码", max_length=12, db_index=True)
    name = models.CharField("名称", max_length=60)
    full_name = models.CharField("全称", max_length=80)
    level = models.CharField("层级", max_length=10, choices=Level.choices)
    kind = models.CharField("类型", max_length=4, choices=Kind.choices)
    parent_code = models.CharField("上级代码", max_length=12, blank=True, db_index=True)
    zone = models.CharField("城乡属性", max_length=6, choices=Zone.choices, blank=True)
    zone_is_manual = models.BooleanField("城乡属性已人工调整", default=False)
    valid_from = models.DateField("生效日期", null=True, blank=True)
    valid_to = models.DateField("失效日期", null=True, blank=True)
    source = models.CharField("数据来源", max_length=120, blank=True)

    objects = DivisionQuerySet.as_manager()

    class Meta:
        verbose_name = "行政区划"
        ordering = ["code", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(valid_to__isnull=True), name="division_one_current_per_code"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scope_prefix(self) -> str:
        # The code itself: 6 digits for the district, 9 for a town, 12 for a village.
        return self.code


class DivisionCode(models.Model):
    """A code of a division in one code system. The NBS and MCA systems reuse the same
    numbers for different towns, so a code is meaningless without its system."""

    division_code = models.CharField("统计用区划代码", max_length=12, db_index=True)
    system = models.CharField("代码体系", max_length=4, choices=CodeSystem.choices)
    code = models.CharField("代码", max_length=12)
    name_in_system = models.CharField("该体系中的名称", max_length=60)
    edition = models.CharField("版本", max_length=20)

    class Meta:
        verbose_name = "区划代码对照"
        constraints = [
            models.UniqueConstraint(fields=["system", "edition", "code"], name="division_code_unique_in_system")
        ]

    def __str__(self) -> str:
        return f"{self.get_system_display()} {self.code} {self.name_in_system}"
