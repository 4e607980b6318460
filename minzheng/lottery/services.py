"""The lottery's figures against the plan, for the line's own dashboard (planning computes the
same indicators through the indicator registry, see indicators.py).

The targets are the plan's (《重庆市涪陵区民政事业发展“十四五”规划》 涪陵府发〔2022〕27号): indicator 5
福利彩票销售网点数 123 (2020) → 150 (2025), 专栏1; 十四五期间福利彩票销售 4.2 亿元 and 筹集地方留存
彩票公益金 3,300 万元, 第二章第五节 (shared/plan/indicators.csv, other_targets.csv)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.lottery import selectors

# The plan's baselines and targets are the plan's data (planning/data), shown on its dashboard;
# this line only counts. The 十四五 window starts here.
PLAN_START = dt.date(2021, 1, 1)


def plan_progress(actor: Actor, on: dt.date | None = None) -> dict:
    """Within the actor's divisions: outlets open on the day, sales since 2021-01 through the
    day's month, retained 公益金 of 2021 through the day's year (the district's rows)."""
    day = on or clock.today()
    outlets = selectors.open_on(selectors.list_outlets_for(actor), day).count()
    sales = selectors.list_sales_for(actor).filter(month__gte=PLAN_START, month__lte=day.replace(day=1))
    sales_fen = int(sales.aggregate(s=Sum("sales_fen"))["s"] or 0)
    fund = selectors.list_fund_years_for(actor).filter(year__gte=PLAN_START.year, year__lte=day.year)
    fund_fen = int(fund.aggregate(s=Sum("retained_fen"))["s"] or 0)
    return {
        "day": day, "outlets": outlets, "sales_fen": sales_fen, "fund_fen": fund_fen,
    }
