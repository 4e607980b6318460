"""Fixtures of the 低收入人口 tests: staff of 敦仁街道 (大东门社区) and of 珍溪镇 (兴盛社区)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from minzheng.assistance.actions import NewEnrolment, do_create_enrolment
from minzheng.registry.models import Household, Person

DADONGMEN = "500102006001"  # 敦仁街道 大东门社区
XINGSHENG = "500102119001"  # 珍溪镇 兴盛社区


@pytest.fixture
def staff(make_user, actor_of):
    users = {}

    def a(role, code, username):
        users[username] = make_user(role, code, username=username)
        return actor_of(users[username])

    return SimpleNamespace(
        village=a("village_worker", DADONGMEN, "li_village"),
        town=a("town_officer", "500102006", "li_town"),
        approver=a("town_approver", "500102006", "li_approver"),
        district=a("district_staff", "500102", "li_district"),
        district2=a("district_staff", "500102", "li_district2"),
        zx_town=a("town_officer", "500102119", "zx_town"),
        zx_approver=a("town_approver", "500102119", "zx_approver"),
        zx_village=a("village_worker", XINGSHENG, "zx_village"),
        users=users,
    )


@pytest.fixture
def edge_household(make_household):
    """大东门社区 (urban, standard 770 yuan): head 2,000 yuan transfer income, spouse none →
    1,000 yuan a head a month: above 770, below 1.5 × 770 = 1,155 → 低保边缘."""
    household = make_household(DADONGMEN, names=("王大明", "刘小红"))
    Person.objects.filter(pk=household.head_id).update(income_transfer_fen=200_000)
    Household.objects.filter(pk=household.pk).update(zone="urban", financial_assets_fen=0, vehicle_value_fen=0, rigid_spending_12m_fen=0)
    household.refresh_from_db()
    return household


@pytest.fixture
def enrol(system_actor):
    def make(program, *, household=None, person=None, zone="urban", amount_fen=50_000, start=dt.date(2026, 10, 1)):
        payee = household.head if household is not None else person
        return do_create_enrolment(
            system_actor,
            NewEnrolment(
                program=program, payee=payee, division_code=(household or person).division_code, zone=zone,
                amount_fen=amount_fen, start_month=start, decided_on=start, reason="测试", source="roster",
                household=household, person=person if household is None else None,
                people_covered=household.memberships.filter(valid_to__isnull=True).count() if household is not None else 1,
            ),
        )

    return make
