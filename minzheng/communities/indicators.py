"""Plan indicator 6 (每百户居民拥有的城乡社区综合服务设施面积, m² per 100 households; 专栏1) and the
专栏4 counts of demonstration sites (O09 区级 25, O10 市级 5).

6 = Σ area (m²) of the 综合服务设施 in use ÷ Σ households × 100, per town as (area, households)
    and for the district Σ÷Σ. Households come from the registry's ``registry.division``
    snapshot (the households with members of each village), never counted per request.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from minzheng.communities.enums import SiteLevel
from minzheng.communities.selectors import facility_area_by_village, households_by_division, site_counts
from minzheng.core.indicators import register_indicator
from minzheng.divisions.directory import get_directory

INDICATOR_6 = "communities.facility_area_per_100_households"
SITE_COUNTS = "communities.demonstration_site_counts"


def facility_area_by_town(on: dt.date | None = None) -> dict[str, tuple[Decimal, int]]:
    """{town code: (Σ facility area m², households)} for every town of the district."""
    towns = [t.code for t in get_directory().towns()]
    households = households_by_division(towns)
    area: dict[str, Decimal] = {t: Decimal(0) for t in towns}
    for village, a in facility_area_by_village().items():
        area[village[:9]] = area.get(village[:9], Decimal(0)) + a
    return {t: (area.get(t, Decimal(0)), households.get(t, 0)) for t in sorted(towns)}


def demonstration_site_counts(on: dt.date | None = None) -> dict[str, dict[str, int]]:
    """{"district"|"city": {town code: sites}}."""
    counts = site_counts()
    return {level: counts.get(level, {}) for level in SiteLevel.values}


def register_indicators() -> None:
    """Called from CommunitiesConfig.ready()."""
    register_indicator(INDICATOR_6, facility_area_by_town, label="每百户居民拥有社区综合服务设施面积（6）", unit="平方米/百户")
    register_indicator(SITE_COUNTS, demonstration_site_counts, label="社区治理示范点（专栏4）", unit="个")
