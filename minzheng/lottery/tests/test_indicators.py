"""Indicator 5 and the 十四五 sales and 公益金 totals, counted by hand over the rows and compared
with the line's functions and planning's computation."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone

from minzheng.lottery import actions
from minzheng.lottery.indicators import outlets_open_by_town, plan_totals
from minzheng.lottery.models import FundYear, MonthlySales, Outlet
from minzheng.lottery.services import plan_progress
from minzheng.planning.computations import REGISTRY, Period

from .conftest import DUNREN, ZHENXI, D

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(system, outlets, id_number):
    dunren, zhenxi = outlets
    late = actions.do_register_outlet(system, licence_no="50010200003", name="后开站", kind="station", division_code="500102006003",
                                      address="x", opened_on=D(2024, 7, 1), operator_name="周春梅",
                                      operator_id_number=id_number("19800101", "111"))  # fmt: skip
    closed = actions.do_register_outlet(system, licence_no="50010200004", name="已关站", kind="side", division_code="500102119002",
                                        address="y", opened_on=D(2018, 1, 1), closed_on=D(2023, 6, 30), operator_name="高德明",
                                        operator_id_number=id_number("19690101", "222"))  # fmt: skip
    for outlet, month, fen in [
        (dunren, D(2020, 12, 1), 999), (dunren, D(2021, 1, 1), 5_000_000), (dunren, D(2025, 12, 1), 7_000_001),
        (zhenxi, D(2021, 3, 1), 3_000_000), (closed, D(2023, 6, 1), 1_000_000), (late, D(2026, 11, 1), 2_500_000),
    ]:  # fmt: skip
        actions.do_record_sales(system, outlet, month=month, sales_fen=fen)
    actions.do_record_fund_year(system, year=2020, retained_fen=1, reference="a", received_on=D(2020, 6, 1))
    actions.do_record_fund_year(system, year=2021, retained_fen=650_000_000, reference="b", received_on=D(2021, 6, 1))
    actions.do_record_fund_year(system, year=2025, retained_fen=700_000_000, reference="c", received_on=D(2025, 6, 1))
    return dunren, zhenxi, late, closed


def by_hand(day: dt.date):
    """Counted in Python over every row, without the platform's queries."""
    open_ = [o for o in Outlet.objects.all() if o.opened_on <= day and (o.closed_on is None or o.closed_on > day)]
    sales = sum(s.sales_fen for s in MonthlySales.objects.all() if D(2021, 1, 1) <= s.month <= day.replace(day=1))
    fund = sum(f.retained_fen for f in FundYear.objects.all() if 2021 <= f.year <= day.year)
    return dict(Counter(o.division_code[:9] for o in open_)), sales, fund


@pytest.mark.parametrize("day", [D(2020, 12, 31), D(2023, 6, 29), D(2023, 6, 30), D(2025, 12, 31), D(2026, 12, 4)])
def test_the_line_equals_the_hand_count(records, day):
    towns, sales, fund = by_hand(day)
    assert outlets_open_by_town(day) == towns
    assert plan_totals(day) == {"sales_fen": sales, "fund_fen": fund}


def test_exact_values(records):
    assert outlets_open_by_town(D(2025, 12, 31)) == {DUNREN: 2, ZHENXI: 1}
    assert outlets_open_by_town(D(2023, 6, 29)) == {DUNREN: 1, ZHENXI: 2}
    assert plan_totals(D(2025, 12, 31)) == {"sales_fen": 5_000_000 + 7_000_001 + 3_000_000 + 1_000_000, "fund_fen": 1_350_000_000}
    assert plan_totals(D(2026, 12, 4)) == {"sales_fen": 18_500_001, "fund_fen": 1_350_000_000}


def test_planning_computes_indicator_5_and_the_targets(records):
    as_of = timezone.make_aware(dt.datetime(2025, 12, 31, 23, 59, 59))
    figures = {(f.measure, f.division_code): f.value for f in REGISTRY["lottery_indicators"].func(Period(2025, 0, as_of))}
    assert figures[("lottery_outlets_open", DUNREN)] == Decimal("2")
    assert figures[("lottery_outlets_open", ZHENXI)] == Decimal("1")
    assert figures[("lottery_outlets_open", "500102")] == Decimal("3")
    assert figures[("lottery_sales_cumulative", "500102")] == Decimal("16.0000")  # 16,000,001 fen = 160,000.01 元 = 16.000001 万元
    assert figures[("lottery_fund_cumulative", "500102")] == Decimal("1350.0000")  # 1,350,000,000 fen = 13,500,000 元


def test_the_dashboard_figures_are_scoped(records, staff):
    town = plan_progress(staff.other_town, D(2025, 12, 31))
    assert (town["outlets"], town["sales_fen"], town["fund_fen"]) == (1, 4_000_000, 0)
    district = plan_progress(staff.district, D(2025, 12, 31))
    assert (district["outlets"], district["sales_fen"], district["fund_fen"]) == (3, 16_000_001, 1_350_000_000)
