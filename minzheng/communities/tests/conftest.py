"""Fixtures of the community-governance tests: staff at each level in 敦仁街道 and 珍溪镇."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.communities.actions import do_save_facility

DADONGMEN = "500102006001"  # 大东门社区, 敦仁街道
DUNREN = "500102006"
ZHENXI = "500102119"  # 珍溪镇
XINGSHENG = "500102119001"  # 兴盛社区
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
        ("other_town", Role.TOWN_OFFICER, ZHENXI),
        ("other_village", Role.VILLAGE_WORKER, XINGSHENG),
    ]:
        user = make_user(role, code, username=f"{name}_user")
        setattr(s, f"{name}_user", user)
        setattr(s, name, actor_of(user))
    return s


def facility(actor, code=DADONGMEN, area="120.50", **kw):
    return do_save_facility(actor, division_code=code, name=kw.pop("name", "党群服务中心"), area_m2=area, ownership="owned", **kw)
