"""The demo seeder: the plan's 123 outlets, monthly sales in the order of magnitude of the plan's
targets, idempotent."""

from __future__ import annotations

import pytest

from minzheng.lottery.demo import seed_demo
from minzheng.lottery.indicators import outlets_open_by_town, plan_totals
from minzheng.lottery.models import FundYear, Outlet
from minzheng.lottery.tests.conftest import D

pytestmark = pytest.mark.django_db


def test_demo_is_at_the_seeds_scale_and_runs_once():
    summary = seed_demo(seed=2021)
    assert summary["福彩投注站"] == 123 and Outlet.objects.count() == 123
    open_2020 = sum(outlets_open_by_town(D(2020, 12, 31)).values())
    assert open_2020 == sum(1 for o in Outlet.objects.all() if o.opened_on <= D(2020, 12, 31) and (o.closed_on is None or o.closed_on > D(2020, 12, 31)))
    totals = plan_totals(D(2025, 12, 31))
    assert 3 * 10**10 < totals["sales_fen"] < 6 * 10**10  # 3–6 亿元 against the plan's 4.2 亿元
    assert 2_500 * 10**6 < totals["fund_fen"] < 4_000 * 10**6 and FundYear.objects.count() == 5  # against 3,300 万元
    assert seed_demo(seed=2021) == {"福利彩票演示数据": "已存在，未重复生成"}
