"""Fixtures of the volunteer tests: staff in 敦仁街道 / 大东门社区 and 珍溪镇 / 兴盛社区."""

from __future__ import annotations

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role

DADONGMEN = "500102006001"
DUNREN = "500102006"
ZHENXI = "500102119"
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
        ("district", Role.DISTRICT_STAFF, DISTRICT),
        ("other_village", Role.VILLAGE_WORKER, XINGSHENG),
    ]:
        user = make_user(role, code, username=f"vol_{name}")
        setattr(s, f"{name}_user", user)
        setattr(s, name, actor_of(user))
    return s


@pytest.fixture
def system():
    return Actor.system("测试数据准备")
