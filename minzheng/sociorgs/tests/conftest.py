"""Fixtures of the social-organisation tests: district staff, a 珍溪镇 and a 敦仁街道 officer,
and helpers making valid credit codes."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.core.credit_code import check_character
from minzheng.sociorgs import actions

DADONGMEN = "500102006001"
DUNREN = "500102006"
ZHENXI = "500102119"
XINGSHENG = "500102119001"
DISTRICT = "500102"
D = dt.date


def code(prefix: str, n: int) -> str:
    first = f"{prefix}500102MJ{n:07d}"[:17]
    return first + check_character(first)


@pytest.fixture
def staff(make_user, actor_of):
    class Staff:
        district_user = make_user(Role.DISTRICT_STAFF, DISTRICT)
        dunren_user = make_user(Role.TOWN_OFFICER, DUNREN)
        zhenxi_user = make_user(Role.TOWN_OFFICER, ZHENXI)
        district = actor_of(district_user)
        dunren = actor_of(dunren_user)
        zhenxi = actor_of(zhenxi_user)
        leader = actor_of(make_user(Role.DISTRICT_LEADER, DISTRICT))

    return Staff


def items(**over):
    base = {"name": "涪陵区养老服务协会", "org_type": "association", "sector": "community", "division_code": DADONGMEN,
            "address": "大东门社区1号", "legal_representative": "张三", "supervising_unit": "", "registered_capital": "50000.00",
            "party_status": "joint"}  # fmt: skip
    base.update(over)
    return base


@pytest.fixture
def org(staff):
    return actions.do_register_organisation(staff.district, credit_code=code("51", 1), registered_on=D(2020, 3, 1), **items())
