"""Fixtures of the child-welfare tests: staff at each level in 敦仁街道 and 珍溪镇, a child in
大东门社区 with a guardian."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role

DADONGMEN = "500102006001"  # 大东门社区, 敦仁街道
DUNREN = "500102006"
ZHENXI = "500102119"  # 珍溪镇
XINGSHENG = "500102119001"
DISTRICT = "500102"


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
        ("other_village", Role.VILLAGE_WORKER, XINGSHENG),
        ("leader", Role.DISTRICT_LEADER, DISTRICT),
    ]:
        user = make_user(role, code, username=f"{name}_user")
        setattr(s, f"{name}_user", user)
        setattr(s, name, actor_of(user))
    return s


@pytest.fixture
def child(make_person):
    return make_person(DADONGMEN, "王小明", birth="20150610")


@pytest.fixture
def guardian(make_person):
    return make_person(DADONGMEN, "王大爷", birth="19550302")
