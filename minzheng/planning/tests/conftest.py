"""Fixtures of plan monitoring: the real 2021–2025 plan, users at each level, two towns."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.planning.loader import load_plan
from minzheng.planning.models import Plan

DUNREN = "500102006"  # 敦仁街道 (urban)
ZHENXI = "500102119"  # 珍溪镇 (rural)
DUNREN_VILLAGE = "500102006001"
ZHENXI_VILLAGE = "500102119001"


@pytest.fixture
def plan(db):
    load_plan()

    return Plan.objects.get(code="2021-2025")


@pytest.fixture
def indicator(plan):
    def get(code: str):
        return plan.indicators.select_related("plan", "mirror_of", "reference_series").get(code=code)

    return get


@pytest.fixture
def district_staff(make_user):
    return make_user(Role.DISTRICT_STAFF, "500102")


@pytest.fixture
def district_checker(make_user):
    return make_user(Role.DISTRICT_STAFF, "500102")


@pytest.fixture
def district_leader(make_user):
    return make_user(Role.DISTRICT_LEADER, "500102")


@pytest.fixture
def dunren_officer(make_user):
    return make_user(Role.TOWN_OFFICER, DUNREN)


@pytest.fixture
def zhenxi_officer(make_user):
    return make_user(Role.TOWN_OFFICER, ZHENXI)
