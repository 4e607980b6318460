"""The kit's tests run a made-up line (permit.py) on a table created for the session."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection

from minzheng.accounts.models import Role
from minzheng.cases.registry import register_workflow, unregister_workflow
from minzheng.cases.tests.permit import PERMIT, Permit

DADONGMEN = "500102006001"  # 大东门社区, 敦仁街道
DUNREN = "500102006"  # 敦仁街道
ZHENXI = "500102119"  # 珍溪镇
XINGSHENG = "500102119001"  # 兴盛社区, 珍溪镇
DISTRICT = "500102"
MONDAY = dt.date(2026, 11, 2)


@pytest.fixture(scope="session")
def _permit_table(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Permit)
    yield
    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.delete_model(Permit)


@pytest.fixture
def permit_workflow(_permit_table, db):
    register_workflow(PERMIT)
    yield PERMIT
    unregister_workflow(PERMIT.name)


@pytest.fixture
def on_day():
    """on_day(date): the platform clock (core.clock) reads that date, at 10:00 Beijing time."""
    travellers = []

    def move(day: dt.date):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
        traveller.start()
        travellers.append(traveller)
        return day

    move(MONDAY)
    yield move
    while travellers:
        travellers.pop().stop()


@pytest.fixture
def people(make_user, actor_of):
    """Actors: village, town, approver, district, leader in 敦仁街道 / the district; other_town and
    other_village in 珍溪镇."""

    class People:
        pass

    p = People()
    for name, role, code in [
        ("village", Role.VILLAGE_WORKER, DADONGMEN),
        ("town", Role.TOWN_OFFICER, DUNREN),
        ("town2", Role.TOWN_OFFICER, DUNREN),
        ("approver", Role.TOWN_APPROVER, DUNREN),
        ("district", Role.DISTRICT_STAFF, DISTRICT),
        ("leader", Role.DISTRICT_LEADER, DISTRICT),
        ("other_town", Role.TOWN_OFFICER, ZHENXI),
        ("other_village", Role.VILLAGE_WORKER, XINGSHENG),
    ]:
        user = make_user(role, code, username=f"{name}_user")
        setattr(p, f"{name}_user", user)
        setattr(p, name, actor_of(user))
    return p


@pytest.fixture
def new_permit(permit_workflow):
    counter = {"n": 0}

    def make(division_code: str = DADONGMEN, documents=("application_form", "identity"), status: str = "submitted", **kw):
        counter["n"] += 1
        return Permit.objects.create(
            number=f"XK{counter['n']:04d}", division_code=division_code, status=status, documents=list(documents), **kw
        )

    return make
