"""Fixtures of the social-work tests: staff at each level in 敦仁街道 and 珍溪镇, an agency and a
project of 敦仁街道."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.socialwork import actions

DADONGMEN = "500102006001"  # 大东门社区, 敦仁街道
DUNREN = "500102006"
ZHENXI = "500102119"  # 珍溪镇
XINGSHENG = "500102119001"  # 兴盛社区
DISTRICT = "500102"
D = dt.date


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
        ("other_town", Role.TOWN_OFFICER, ZHENXI),
    ]:
        user = make_user(role, code, username=f"sw_{name}")
        setattr(s, f"{name}_user", user)
        setattr(s, name, actor_of(user))
    return s


@pytest.fixture
def system():
    return Actor.system("测试数据准备")


@pytest.fixture
def agency(system):
    return actions.do_register_agency(system, name="涪陵区益心社会工作服务中心", registration_no="52500102MJP000001A",
                                      division_code=DUNREN, registered_on=D(2019, 3, 1))  # fmt: skip


@pytest.fixture
def project(staff):
    return actions.do_create_project(staff.town, title="敦仁街道困境儿童关爱服务", division_code=DUNREN, budget_fen=20_000_000,
                                     starts_on=D(2026, 3, 1), ends_on=D(2027, 2, 28), target_groups=["children", "left_behind"],
                                     indicators="个案30个、小组活动12次")  # fmt: skip
