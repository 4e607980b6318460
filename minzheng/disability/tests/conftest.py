"""Fixtures of the 两项补贴 tests: staff at each level in 敦仁街道 and 珍溪镇, a severely
disabled person in 大东门社区 (no certificate on record yet), a disabled member of a 低保
household."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.assistance.actions import NewEnrolment, do_create_enrolment
from minzheng.assistance.enums import EnrolmentSource
from minzheng.core.crypto import decrypt_text

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
        ("approver", Role.TOWN_APPROVER, DUNREN),
        ("district", Role.DISTRICT_STAFF, DISTRICT),
        ("other_town", Role.TOWN_OFFICER, ZHENXI),
        ("other_village", Role.VILLAGE_WORKER, XINGSHENG),
        ("other_approver", Role.TOWN_APPROVER, ZHENXI),
        ("leader", Role.DISTRICT_LEADER, DISTRICT),
    ]:
        user = make_user(role, code, username=f"{name}_user")
        setattr(s, f"{name}_user", user)
        setattr(s, name, actor_of(user))
    return s


@pytest.fixture
def severe(make_person, id_number):
    """王建国, 大东门社区: 肢体残疾二级 by the 残联 (certificate …42), registry not yet updated."""
    number = id_number("19700315", "123")
    return make_person(DADONGMEN, "王建国", id_number=number)


def certificate_of(person, category_digit="4", grade=2):
    return f"{decrypt_text(person.id_number_encrypted)}{category_digit}{grade}"


@pytest.fixture
def dibao_household(make_household, system_actor):
    """A 低保 household of 大东门社区 (no income), enrolled from 2026-01; its second member is
    the disabled person."""
    household = make_household(DADONGMEN, ("陈大山", "陈小梅"))
    enrolment = do_create_enrolment(
        system_actor,
        NewEnrolment(
            program="dibao", household=household, payee=household.head, division_code=DADONGMEN, zone="urban",
            amount_fen=154000, start_month=dt.date(2026, 1, 1), decided_on=dt.date(2025, 12, 20), reason="测试",
            source=EnrolmentSource.ROSTER, people_covered=2,
        ),
    )
    return household, enrolment
