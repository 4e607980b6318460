"""Plan indicators 13–15 (专栏1) and the 专栏5 counts, computed from the funeral rows and the
registry. Each ratio is given per town as (numerator, denominator); the district figure is
Σ numerators ÷ Σ denominators (planning adds them up).

13 火化区人口占比 = living registered people, on the day, of villages that are a 火化区 on the
   day (the village's own date, else its town's) ÷ living registered people.
14 农村公益性公墓乡镇覆盖率 = towns (of all 27 towns and streets) with an operating public-welfare
   cemetery opened on or before the day (the town's own or one of its villages') ÷ towns.
15 节地生态葬式占比 = interments of the year up to the day in an ecological plot (tree, flower,
   lawn, wall, sea) ÷ all interments of the year up to the day.
专栏5: operating 殡仪服务站, demonstration public-welfare cemeteries, commercial cemeteries
   (opened on or before the day), and 文明治丧区集中治丧率 = deaths of the year in a 文明治丧区
   (zone date on or before the death) with 集中治丧 ÷ those deaths.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q

from minzheng.core import clock
from minzheng.core.indicators import register_indicator
from minzheng.divisions.directory import get_directory
from minzheng.funerals.enums import FacilityKind, FacilityStatus, MourningKind, ZoneKind
from minzheng.funerals.models import Facility, FuneralRecord
from minzheng.funerals.services import zone_dates
from minzheng.registry.selectors import living_by_village

PLAN_13_15 = "funerals.plan_13_15"


def _pct(n: int, d: int) -> float | None:
    return round(100.0 * n / d, 1) if d else None


def _zone_start(code: str, dates: dict[str, dt.date]) -> dt.date | None:
    found = [dates[p] for p in (code[:9], code[:12]) if p in dates]
    return min(found) if found else None


def _ratio(code: str, name: str, by_town: dict[str, tuple[int, int]], definition: str) -> dict:
    n = sum(a for a, _ in by_town.values())
    d = sum(b for _, b in by_town.values())
    return {"code": code, "name": name, "unit": "%", "value": _pct(n, d), "numerator": n, "denominator": d,
            "by_town": by_town, "definition": definition}  # fmt: skip


def compute_indicators(on: dt.date | None = None) -> dict:
    """Indicators 13, 14, 15 and the 专栏5 counts on a day (default today)."""
    day = on or clock.today()
    towns = sorted(t.code for t in get_directory().towns())

    # 13: population in the cremation area.
    cremation = zone_dates(ZoneKind.CREMATION)
    pop: dict[str, list[int]] = {t: [0, 0] for t in towns}
    for village, n in living_by_village(day).items():
        cell = pop.setdefault(village[:9], [0, 0])
        cell[1] += n
        start = _zone_start(village, cremation)
        if start is not None and start <= day:
            cell[0] += n
    ind13 = _ratio("13", "火化区人口占比", {t: (a, b) for t, (a, b) in pop.items()}, "火化区内在册人口 ÷ 在册人口")

    # 14: towns with a public-welfare cemetery.
    public = set(
        Facility.objects.filter(kind=FacilityKind.PUBLIC_CEMETERY, status=FacilityStatus.OPERATING, opened_on__lte=day)
        .values_list("division_code", flat=True)
    )
    covered = {code[:9] for code in public}
    ind14 = _ratio("14", "农村公益性公墓乡镇覆盖率", {t: (1 if t in covered else 0, 1) for t in towns},
                   "建有农村公益性公墓的乡镇（街道）数 ÷ 乡镇（街道）总数")  # fmt: skip

    # 15: ecological interments of the year.
    first = dt.date(day.year, 1, 1)
    rows = (
        FuneralRecord.objects.filter(interred_on__gte=first, interred_on__lte=day)
        .values_list("division_code", "eco_burial")
        .annotate(n=Count("id"))
        .order_by()
    )
    eco: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code, is_eco, n in rows:
        eco[code[:9]][1] += n
        if is_eco:
            eco[code[:9]][0] += n
    ind15 = _ratio("15", "节地生态葬式占比", {t: tuple(v) for t, v in eco.items()}, "当年节地生态安葬数 ÷ 当年安葬总数")

    # 专栏5: operating facilities opened on or before the day, by town (a district-level row
    # counts in the district's total only).
    operating = Facility.objects.filter(status=FacilityStatus.OPERATING, opened_on__lte=day)
    kinds = {
        "service_stations": Q(kind=FacilityKind.SERVICE_STATION),
        "demonstration_cemeteries": Q(kind=FacilityKind.PUBLIC_CEMETERY, demonstration=True),
        "commercial_cemeteries": Q(kind=FacilityKind.COMMERCIAL_CEMETERY),
    }
    counts: dict[str, int] = {}
    counts_by_town: dict[str, dict[str, int]] = {}
    for key, cond in kinds.items():
        by_town: dict[str, int] = defaultdict(int)
        for code in operating.filter(cond).values_list("division_code", flat=True):
            by_town[code[:9]] += 1
        counts[key] = sum(by_town.values())
        counts_by_town[key] = dict(by_town)
    civilized = zone_dates(ZoneKind.CIVILIZED)
    mourning: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    deaths = FuneralRecord.objects.filter(death_date__gte=first, death_date__lte=day).values_list("division_code", "death_date", "mourning_kind")
    for code, death_date, kind in deaths:
        start = _zone_start(code, civilized)
        if start is None or start > death_date:
            continue
        mourning[code[:9]][1] += 1
        if kind == MourningKind.CENTRALIZED:
            mourning[code[:9]][0] += 1
    centralized = _ratio("O19", "文明治丧区集中治丧率", {t: tuple(v) for t, v in mourning.items()},
                         "文明治丧区内当年死亡人数中集中治丧的人数 ÷ 文明治丧区内当年死亡人数")  # fmt: skip

    return {
        "on": day, "13": ind13, "14": ind14, "15": ind15, "counts": counts, "counts_by_town": counts_by_town,
        "centralized_mourning": centralized,
    }  # fmt: skip


def register_indicators() -> None:
    """Called from FuneralsConfig.ready()."""
    register_indicator(PLAN_13_15, compute_indicators, label="殡葬管理指标（13–15）及专栏5", unit="%")
