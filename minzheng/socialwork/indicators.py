"""Plan figures of the social-work line, computed from the talent register and the agencies.

Indicator 7 社会工作专业人才数量 = professionals in the register on the day (joined on or before
it, not left on or before it). 专栏4: of them, the share under 35 (age on the day < 35) and the
share with a college education or above (大专、本科、研究生). 民办社工服务机构数量 (第三章第四节)
and 专业社工机构数量 (专栏4) = agencies registered on or before the day and not deregistered
(all, and the private ones).

Every figure is given per town: a row of a town or of one of its villages counts for the town;
a district-level row (the district's guidance centre, an agency registered at the district)
has the district code as its key and counts only in the district total (planning adds them up).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q

from minzheng.core import clock
from minzheng.core.ages import age_on
from minzheng.core.indicators import register_indicator
from minzheng.socialwork.enums import COLLEGE_OR_ABOVE, CertLevel
from minzheng.socialwork.models import Agency, Professional

PLAN_7 = "socialwork.plan_7"
UNDER_AGE = 35


def town_key(code: str) -> str:
    return code[:9] if len(code) >= 9 else code


def active_professionals(on: dt.date):
    return Professional.objects.filter(joined_on__lte=on).filter(Q(left_on__isnull=True) | Q(left_on__gt=on))


def compute_indicators(on: dt.date | None = None) -> dict:
    """{"7": {town: n}, "certified": {town: n}, "under_35": {town: (n, d)}, "college": {town:
    (n, d)}, "agencies": {town: n}, "private_agencies": {town: n}} on a day (default today)."""
    day = on or clock.today()
    total: dict[str, int] = defaultdict(int)
    certified: dict[str, int] = defaultdict(int)
    young: dict[str, int] = defaultdict(int)
    college: dict[str, int] = defaultdict(int)
    for code, birth, education, level in active_professionals(day).values_list(
        "division_code", "person__birth_date", "education", "cert_level"
    ):
        key = town_key(code)
        total[key] += 1
        certified[key] += level != CertLevel.NONE
        young[key] += age_on(birth, day) < UNDER_AGE
        college[key] += education in COLLEGE_OR_ABOVE
    agencies: dict[str, int] = defaultdict(int)
    private: dict[str, int] = defaultdict(int)
    live = Agency.objects.filter(registered_on__lte=day).filter(Q(deregistered_on__isnull=True) | Q(deregistered_on__gt=day))
    for code, is_private in live.values_list("division_code", "private"):
        agencies[town_key(code)] += 1
        private[town_key(code)] += bool(is_private)
    return {
        "on": day,
        "7": dict(total),
        "certified": dict(certified),
        "under_35": {k: (young[k], n) for k, n in total.items()},
        "college": {k: (college[k], n) for k, n in total.items()},
        "agencies": dict(agencies),
        "private_agencies": dict(private),
    }


def summary(on: dt.date | None = None) -> dict:
    """District totals for the line's dashboard: counts and shares (percent, one decimal)."""
    data = compute_indicators(on)

    def pct(pairs):
        n, d = sum(a for a, _ in pairs.values()), sum(b for _, b in pairs.values())
        return round(100.0 * n / d, 1) if d else None

    return {
        "professionals": sum(data["7"].values()),
        "certified": sum(data["certified"].values()),
        "under_35_pct": pct(data["under_35"]),
        "college_pct": pct(data["college"]),
        "agencies": sum(data["agencies"].values()),
        "private_agencies": sum(data["private_agencies"].values()),
    }


def register_indicators() -> None:
    """Called from SocialworkConfig.ready()."""
    register_indicator(PLAN_7, compute_indicators, label="社会工作专业人才（指标7、专栏4）与社工机构", unit="人")
