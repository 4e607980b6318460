"""Indicator 11 (乡镇（街道）未成年人保护工作站覆盖率) computed from the children line's station
register and shown on the planning dashboard — checked by hand for the demo year 2025: three
stations, one established after 31 December 2025, of 27 towns and streets."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal as D

import pytest
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.children.actions import StationInput, do_save_station
from minzheng.planning.actions import do_recompute_indicators
from minzheng.planning.computations import run_computations
from minzheng.planning.models import IndicatorValue

pytestmark = pytest.mark.django_db
DISTRICT = "500102"
DUNREN, ZHENXI, CHONGYI = "500102006", "500102119", "500102007"


@pytest.fixture
def stations(db):
    actor = Actor.system("测试")
    for code, day in ((DUNREN, dt.date(2022, 3, 1)), (ZHENXI, dt.date(2025, 12, 31)), (CHONGYI, dt.date(2026, 1, 2))):
        do_save_station(actor, StationInput(division_code=code, name=f"{code}未成年人保护工作站", established_on=day, staff_count=3, premises_m2=60))


def test_the_computation_by_hand(stations):
    result = run_computations(2025, names=["children_protection_stations"], now=timezone.make_aware(dt.datetime(2026, 11, 28, 10, 0)))
    figs = {f.division_code: f for f in result.figures}
    # 2025 (its 31 December): 敦仁街道 and 珍溪镇 (established on that very day); 崇义街道 not yet.
    assert (figs[DISTRICT].numerator, figs[DISTRICT].denominator, figs[DISTRICT].value) == (D(2), D(27), D("7.4074"))
    assert (figs[DUNREN].value, figs[ZHENXI].value, figs[CHONGYI].value) == (D(100), D(100), D(0))
    assert len(figs) == 28  # every town has a figure (0 or 100), and the district
    y2024 = {f.division_code: f.value for f in run_computations(2024, names=["children_protection_stations"]).figures}
    assert y2024[DISTRICT] == D("3.7037")  # 1 ÷ 27


def test_indicator_11_on_the_dashboard(client, plan, stations, make_user):
    do_recompute_indicators(Actor.system("测试"), plan, year=2025)
    value = IndicatorValue.objects.get(indicator__plan=plan, indicator__code="11", division_code=DISTRICT, year=2025, month=0)
    assert (value.value, value.numerator, value.denominator) == (D("7.4074"), D(2), D(27))
    client.force_login(make_user(Role.DISTRICT_LEADER, DISTRICT))
    html = client.get("/planning/", {"year": 2025}).content.decode()
    assert "乡镇（街道）未成年人保护工作站覆盖率" in html
    data = json.loads(re.search(r'id="dashboard-data" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert data["trends"]["11"]["values"][-1] == 7.4074
    detail = client.get("/planning/indicators/11/", {"year": 2025}).content.decode()
    assert "7.4" in detail and "儿童福利模块" in detail
