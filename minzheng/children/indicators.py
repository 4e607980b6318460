"""Plan indicator 11 (专栏1): 乡镇（街道）未成年人保护工作站覆盖率 (%), 预期性, target 100 in 2025.

Definition: towns and streets with a station established on or before the day ÷ all towns and
streets of the district (27, from the division tree), as a percentage to one decimal. A
station is registered once per town (``ProtectionStation``, unique town code).
"""

from __future__ import annotations

import datetime as dt

from minzheng.accounts.actor import Actor
from minzheng.children.models import ProtectionStation
from minzheng.core import clock
from minzheng.core.indicators import register_indicator
from minzheng.divisions.directory import get_directory

STATION_COVERAGE = "children.protection_station_coverage"


def towns() -> list[str]:
    return sorted(d.code for d in get_directory().towns())


def station_coverage(on: dt.date | None = None) -> dict:
    """Indicator 11 on a day (default today; a plan year: its 31 December)."""
    day = on or clock.today()
    actor = Actor.system("规划监测：未成年人保护工作站覆盖率")
    all_towns = towns()
    with_station = set(
        ProtectionStation.objects.visible_to(actor)
        .filter(established_on__lte=day, division_code__in=all_towns)
        .values_list("division_code", flat=True)
    )
    covered = len(with_station)
    return {
        "code": "11",
        "name": "乡镇（街道）未成年人保护工作站覆盖率",
        "unit": "%",
        "value": round(100.0 * covered / len(all_towns), 1) if all_towns else None,
        "numerator": covered,
        "denominator": len(all_towns),
        "by_town": {code: (1 if code in with_station else 0, 1) for code in all_towns},
        "definition": "已设立未成年人保护工作站的乡镇（街道）数 ÷ 乡镇（街道）总数",
    }


def register_indicators() -> None:
    """Called from ChildrenConfig.ready()."""
    register_indicator(STATION_COVERAGE, station_coverage, label="乡镇（街道）未成年人保护工作站覆盖率（指标11）", unit="%")
