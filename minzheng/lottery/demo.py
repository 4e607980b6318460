"""Demo data of the welfare-lottery line (``minzheng demo``): the plan's 123 outlets (专栏1: 123
in 2020) across the district's villages — most open since before 2021, a few opened or closed
since — with monthly sales from 2021-01 to last month in the order of magnitude of the plan's
target (about 4 亿元 over 2021–2025 against 4.2 亿元), the retained 公益金 of 2021–2025 (about
660 万元 a year against 3,300 万元) with a few projects each, and some inspections. Licence
numbers, names, operators and amounts are synthetic (marked 演示). Outlets and sales are written
in bulk for speed (about 8,700 sales rows in well under a second); inspections, 公益金 and
projects through the line's actions. Idempotent: a second run adds nothing."""

from __future__ import annotations

import datetime as dt
import random

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.core.idnumber import check_digit, mask_id_number
from minzheng.core.periods import add_months, iter_months
from minzheng.divisions.directory import get_directory
from minzheng.lottery import actions
from minzheng.lottery.enums import FundArea, OutletKind, OutletStatus
from minzheng.lottery.models import MonthlySales, Outlet

OUTLETS = 123
MARK = "演示"
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建华", "秀英", "志强", "丽", "国平", "小红", "德明", "春梅", "永刚", "海燕", "正清", "玉兰")
KINDS = [OutletKind.SIDE] * 5 + [OutletKind.MAIN] * 3 + [OutletKind.DEDICATED] * 2 + [OutletKind.COMMUNITY, OutletKind.STATION]
PROJECTS = (
    ("敬老院设施改造", FundArea.ELDERLY, "区社会福利院"), ("残疾人康复救助", FundArea.DISABLED, "区残联"),
    ("孤儿助学", FundArea.ORPHANS, "区儿童福利指导中心"), ("困难群众临时救助补充", FundArea.HARDSHIP, "区社会救助事务中心"),
)  # fmt: skip


def _operator_id(rng: random.Random) -> str:
    first17 = f"500102{rng.randrange(1960, 1995)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}{rng.randrange(1000):03d}"
    return mask_id_number(first17 + check_digit(first17))


def seed_demo(*, seed: int = 2021, scale: float = 1.0, actor: Actor | None = None) -> dict:
    actor = actor or Actor.system("福利彩票演示数据")
    if Outlet.objects.exists():
        return {"福利彩票演示数据": "已存在，未重复生成"}
    rng = random.Random(f"{seed}-lottery")
    directory = get_directory()
    villages = sorted(v.code for v in directory.villages())
    today = clock.today()
    # The demo villages first (敦仁街道 大东门社区, 珍溪镇 兴盛社区), then spread over the district.
    chosen = ["500102006001", "500102119001"] + rng.sample([v for v in villages if v not in ("500102006001", "500102119001")], OUTLETS - 2)
    outlets = []
    for n, village in enumerate(chosen, start=1):
        if n <= 112:
            opened = dt.date(rng.randrange(2008, 2021), rng.randrange(1, 13), 1)
        else:  # opened during the plan period
            opened = dt.date(rng.randrange(2021, 2026), rng.randrange(1, 13), 1)
        closed = dt.date(rng.randrange(2022, 2026), rng.randrange(1, 13), 28) if n in (7, 41, 88) else None
        outlets.append(Outlet(
            licence_no=f"5001020{n:04d}", name=f"{directory.name(village)}福彩投注站（{MARK}）", kind=rng.choice(KINDS),
            division_code=village, address=f"{directory.name(village)}（{MARK}地址）",
            operator_name=rng.choice(SURNAMES) + rng.choice(GIVEN), operator_id_masked=_operator_id(rng),
            opened_on=opened, closed_on=closed, closing_reason=f"代销合同到期（{MARK}）" if closed else "",
            status=OutletStatus.CLOSED if closed else OutletStatus.OPEN,
        ))  # fmt: skip
    Outlet.objects.bulk_create(outlets)
    outlets = list(Outlet.objects.order_by("licence_no"))
    last_month = add_months(today.replace(day=1), -1)
    sales = []
    for o in outlets:
        base = rng.randrange(30_000, 80_000)  # yuan a month
        for month in iter_months(dt.date(2021, 1, 1), last_month):
            if actions.outlet_open_in(o, month):
                sales.append(MonthlySales(outlet=o, division_code=o.division_code, month=month,
                                          sales_fen=(base + rng.randrange(-5_000, 5_001)) * 100 + rng.randrange(100)))  # fmt: skip
    MonthlySales.objects.bulk_create(sales, batch_size=2000)
    funds = 0
    for year in range(2021, min(today.year, 2025) + 1):
        fund = actions.do_record_fund_year(actor, year=year, retained_fen=rng.randrange(6_300_000, 6_900_000) * 100,
                                           reference=f"涪财社〔{year}〕{rng.randrange(10, 90)}号（{MARK}）",
                                           received_on=dt.date(year, 6, 30))  # fmt: skip
        funds += 1
        for name, area, unit in PROJECTS:
            budget = rng.randrange(800_000, 1_500_000) * 100
            project = actions.do_add_project(actor, fund, name=f"{year}年{name}（{MARK}）", area=area, unit=unit, budget_fen=budget)
            if year < today.year:
                actions.do_update_project(actor, project, spent_fen=budget - rng.randrange(0, 50_000) * 100,
                                          evaluation_score=rng.choice([85, 88, 90, 92, 95]), evaluated_on=dt.date(year + 1, 3, 31),
                                          disclosed_on=dt.date(year + 1, 4, 30))  # fmt: skip
    inspections = 0
    for o in [o for o in outlets if o.closed_on is None][:12]:
        findings = "未张贴“不得向未成年人销售彩票”标识" if inspections % 3 == 0 else ""
        on = today - dt.timedelta(days=rng.randrange(5, 60))
        actions.do_record_inspection(actor, o, inspected_on=on, findings=findings,
                                     deadline_on=on + dt.timedelta(days=30) if findings else None)  # fmt: skip
        inspections += 1
    return {"福彩投注站": len(outlets), "月销售额记录": len(sales), "公益金年度": funds, "检查记录": inspections}
