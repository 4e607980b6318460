"""The community-governance report by town (xlsx): facilities, area, households, m² per 100
households, villages below standard, committee members, community workers, demonstration sites."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from minzheng.accounts.actor import Actor
from minzheng.communities import selectors
from minzheng.core.xlsx import Column, write_export
from minzheng.divisions.directory import get_directory

COLUMNS = [
    Column("乡镇（街道）", width=14), Column("设施数", "count", 8), Column("设施面积（平方米）", "yuan", 14),
    Column("居民户数", "count", 10), Column("每百户面积（平方米）", "yuan", 14), Column("未达标村（社区）", "count", 12),
    Column("社区工作者", "count", 10), Column("持证社工", "count", 10), Column("区级示范点", "count", 10), Column("市级示范点", "count", 10),
]


def town_rows(actor: Actor) -> list[list]:
    directory = get_directory()
    villages = selectors.village_standard_rows(actor)
    facilities = defaultdict(int)
    for code in selectors.list_facilities_for(actor).filter(status="in_use").values_list("division_code", flat=True):
        facilities[code[:9]] += 1
    towns = sorted({r["code"][:9] for r in villages} | set(facilities))
    households = selectors.households_by_division(towns)
    workers = selectors.workers_by_town(actor)
    sites = selectors.site_counts(actor)
    rows = []
    for town in towns:
        area = sum((r["area"] for r in villages if r["code"].startswith(town)), Decimal(0))
        n = households.get(town, 0)
        rows.append([
            directory.name(town), facilities[town], area, n, selectors.per_hundred(area, n),
            sum(1 for r in villages if r["code"].startswith(town) and not r["at_standard"]),
            workers.get(town, {}).get("workers", 0), workers.get(town, {}).get("certified", 0),
            sites["district"].get(town, 0), sites["city"].get(town, 0),
        ])  # fmt: skip
    return rows


def report_xlsx(actor: Actor) -> bytes:
    content, _ = write_export(COLUMNS, town_rows(actor), sheet_name="社区治理分镇街统计", empty_note="暂无数据")
    return content
