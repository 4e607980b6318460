"""Plan figures of the volunteer line.

Indicator 9 志愿服务站点在社区综合服务设施中的覆盖率 = community service facilities in use on the
day (the register of ``communities``: status 使用中, opened on or before the day or undated)
hosting an open volunteer station (opened on or before the day, not closed) ÷ those facilities,
by the facility's town. One reading: the station links its facility (docs/volunteers.md).

志愿服务参与率 (第三章第六节, target 30 %) = registered volunteers on the day (registered on
or before it, not left) ÷ resident population (people of the registry born on or before the
day and living on it), both by the volunteer's or person's village.

志愿服务组织数量 (target 20) = organisations founded on or before the day and not dissolved.

Per town: a row of a town or one of its villages counts for the town; a district-level
organisation has the district code as its key and counts in the district total only.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q

from minzheng.communities.selectors import facilities_in_use_on
from minzheng.core import clock
from minzheng.core.indicators import register_indicator
from minzheng.registry.selectors import living_by_village
from minzheng.volunteers.models import Organisation, Station, Volunteer

PLAN_9 = "volunteers.plan_9"


def town_key(code: str) -> str:
    return code[:9] if len(code) >= 9 else code


def residents_by_town(day: dt.date) -> dict[str, int]:
    """{town: living registered people on the day}, from the registry's village counts."""
    out: dict[str, int] = defaultdict(int)
    for code, n in living_by_village(day).items():
        if code:
            out[town_key(code)] += n
    return dict(out)


def compute_indicators(on: dt.date | None = None) -> dict:
    """{"9": {town: (facilities with a station, facilities in use)}, "participation": {town:
    (volunteers, residents)}, "organisations": {town or district: n}} on a day."""
    day = on or clock.today()
    facilities = facilities_in_use_on(day)
    in_use: dict[str, int] = defaultdict(int)
    for code in facilities.values():
        in_use[code[:9]] += 1
    hosting = set(
        Station.objects.filter(facility_id__in=list(facilities), opened_on__lte=day)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))
        .values_list("facility_id", flat=True)
    )
    covered: dict[str, int] = defaultdict(int)
    for facility_id in hosting:
        covered[facilities[facility_id][:9]] += 1
    vols: dict[str, int] = defaultdict(int)
    live = Volunteer.objects.filter(registered_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
    for code in live.values_list("division_code", flat=True):
        vols[town_key(code)] += 1
    residents = residents_by_town(day)
    orgs: dict[str, int] = defaultdict(int)
    live_orgs = Organisation.objects.filter(founded_on__lte=day).filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=day))
    for code in live_orgs.values_list("division_code", flat=True):
        orgs[town_key(code)] += 1
    return {
        "on": day,
        "9": {t: (covered.get(t, 0), n) for t, n in in_use.items()},
        "participation": {t: (vols.get(t, 0), residents.get(t, 0)) for t in set(vols) | set(residents)},
        "organisations": dict(orgs),
    }


def summary(on: dt.date | None = None) -> dict:
    data = compute_indicators(on)

    def pct(pairs):
        n, d = sum(a for a, _ in pairs.values()), sum(b for _, b in pairs.values())
        return round(100.0 * n / d, 2) if d else None

    return {
        "station_coverage_pct": pct(data["9"]),
        "stations_in_facility": sum(n for n, _ in data["9"].values()),
        "facilities": sum(d for _, d in data["9"].values()),
        "volunteers": sum(n for n, _ in data["participation"].values()),
        "residents": sum(d for _, d in data["participation"].values()),
        "participation_pct": pct(data["participation"]),
        "organisations": sum(data["organisations"].values()),
    }


def register_indicators() -> None:
    """Called from VolunteersConfig.ready()."""
    register_indicator(PLAN_9, compute_indicators, label="志愿服务站点覆盖率（指标9）、参与率与组织数量", unit="%")
