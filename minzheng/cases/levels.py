"""The levels at which staff work (Actor.level) and at which a workflow step is done."""

from django.db import models


class Level(models.TextChoices):
    """The level at which a user works (Actor.level): village, town or district."""

    VILLAGE = "village", "村（社区）"
    TOWN = "town", "乡镇（街道）"
    DISTRICT = "district", "区民政局"


def level_names(levels) -> str:
    """'乡镇（街道）或区民政局' — for refusals."""
    return "或".join(Level(level).label for level in levels)
