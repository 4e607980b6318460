"""Fixtures of the referral and rehabilitation tests: staff of every role in 敦仁街道 (大东门社区)
and 珍溪镇 (兴盛社区), a household in each village, the working-default receiving units; the
bearer-token API client is screening's."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.referrals.defaults import ensure_default_units
from minzheng.referrals.models import ReceivingUnit
from minzheng.screening.tests.conftest import api_as  # noqa: F401 (the bearer-token API client fixture)

DADONGMEN = "500102006001"  # 大东门社区, 敦仁街道
DUNREN = "500102006"
ZHENXI = "500102119"  # 珍溪镇
XINGSHENG = "500102119001"  # 兴盛社区
DISTRICT = "500102"
TODAY = dt.date(2026, 12, 4)  # the frozen clock (root conftest)


@pytest.fixture
def staff(make_user, actor_of):
    class Staff:
        pass

    s = Staff()
    for name, role, code in [
        ("village", Role.VILLAGE_WORKER, DADONGMEN),
        ("town", Role.TOWN_OFFICER, DUNREN),
        ("approver", Role.TOWN_APPROVER, DUNREN),
        ("district", Role.DISTRICT_STAFF, DISTRICT),
        ("leader", Role.DISTRICT_LEADER, DISTRICT),
        ("admin", Role.SYSTEM_ADMIN, DISTRICT),
        ("other_town", Role.TOWN_OFFICER, ZHENXI),
        ("other_village", Role.VILLAGE_WORKER, XINGSHENG),
    ]:
        user = make_user(role, code, username=f"{name}_user")
        setattr(s, f"{name}_user", user)
        setattr(s, name, actor_of(user))
    return s


@pytest.fixture
def household(make_household):
    return make_household(DADONGMEN, names=("陈国强", "刘桂芳"))


@pytest.fixture
def zhenxi_household(make_household):
    return make_household(XINGSHENG, names=("周大山", "吴小兰"))


@pytest.fixture
def units(db):
    """The working-default units seeded by the migration, by kind (the first of each); put back
    if a browser test's flush removed them."""
    ensure_default_units()
    out = {}
    for unit in ReceivingUnit.objects.order_by("id"):
        out.setdefault(unit.kind, unit)
    return out
