"""Plan indicator 5 and the lottery targets of the plan (第二章第五节), computed from the rows.

5   福利彩票销售网点数 = outlets open at the day (opened on or before it, not closed on or before
    it), by town (the outlet's village's town); the district figure is their sum.
O04 十四五期间福利彩票销售额 = Σ monthly sales of the months from 2021-01 to the day's month.
O05 十四五期间筹集地方留存彩票公益金 = Σ retained 公益金 of the years 2021 to the day's year.
The amounts are returned in fen; planning shows them in 万元.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Sum

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.core.indicators import register_indicator
from minzheng.lottery import selectors
from minzheng.lottery.models import FundYear, MonthlySales

OUTLETS_OPEN = "lottery.outlets_open_by_town"
PLAN_TOTALS = "lottery.plan_totals"
PLAN_START = dt.date(2021, 1, 1)  # 十四五: 2021–2025


def outlets_open_by_town(on: dt.date | None = None, actor: Actor | None = None) -> dict[str, int]:
    """{town code: outlets open on the day} (towns without an open outlet are absent)."""
    day = on or clock.today()
    actor = actor or Actor.system("规划监测：福利彩票销售网点数")
    rows = selectors.open_on(selectors.list_outlets_for(actor), day).values_list("division_code", flat=True)
    return dict(Counter(code[:9] for code in rows))


def plan_totals(on: dt.date | None = None) -> dict[str, int]:
    """{"sales_fen": sales since 2021-01 through the day's month, "fund_fen": retained 公益金
    of the years 2021 through the day's year}."""
    day = on or clock.today()
    sales = MonthlySales.objects.filter(month__gte=PLAN_START, month__lte=day.replace(day=1)).aggregate(s=Sum("sales_fen"))["s"]
    fund = FundYear.objects.filter(year__gte=PLAN_START.year, year__lte=day.year).aggregate(s=Sum("retained_fen"))["s"]
    return {"sales_fen": int(sales or 0), "fund_fen": int(fund or 0)}


def register_indicators() -> None:
    """Called from LotteryConfig.ready()."""
    register_indicator(OUTLETS_OPEN, outlets_open_by_town, label="福利彩票销售网点数（分镇街）", unit="个")
    register_indicator(PLAN_TOTALS, plan_totals, label="十四五期间福利彩票销售额与地方留存公益金（累计）", unit="分")
