"""Every screen renders for a district user with data, and for a user of a town with none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minzheng.eldercare.actions import do_record_assessment, do_register_provider, do_register_visit_target, do_request_order
from minzheng.eldercare.demo import seed_demo
from minzheng.eldercare.models import Facility
from minzheng.eldercare.tests.conftest import DUNREN
from minzheng.eldercare.tests.helpers import items_with_total

PAGES = [
    "/eldercare/", "/eldercare/facilities/", "/eldercare/facilities/?kind=village_point&status=operating&q=村",
    "/eldercare/map/", "/eldercare/elders/?q=王", "/eldercare/assessments/", "/eldercare/assessments/coverage/",
    "/eldercare/orders/", "/eldercare/ledger/", "/eldercare/settlements/", "/eldercare/visits/", "/eldercare/visits/?mine=1",
    "/eldercare/family-beds/", "/eldercare/facilities/new/",
]  # fmt: skip


@pytest.fixture
def world(db, system_actor, elder):
    seed_demo(seed=3, scale=0.0)
    person = elder()
    do_record_assessment(system_actor, person, assessed_on=timezone.localdate(), reason="first", assessors=["甲"], items=items_with_total(70))
    do_register_provider(system_actor, name="服务商", division_code=DUNREN)
    do_request_order(system_actor, person, service_kind="meal", category="general", requested_on=timezone.localdate())
    do_register_visit_target(system_actor, person, group="left_behind", risk_level="low", registered_on=timezone.localdate() - dt.timedelta(days=90))
    return person


@pytest.mark.parametrize("role_code", [("district_staff", "500102"), ("town_officer", "500102119"), ("district_leader", "500102")])
def test_every_screen_renders(world, make_user, login_as, client, role_code):
    login_as(make_user(*role_code))
    for url in PAGES:
        response = client.get(url)
        expected = 403 if (url.endswith("/new/") and role_code[0] == "district_leader") else 200
        assert response.status_code == expected, url


def test_person_screens_render(world, make_user, login_as, client):
    login_as(make_user("district_staff", "500102"))
    f = Facility.objects.filter(kind="institution").first()
    for url in (f"/eldercare/elders/{world.pk}/", f"/eldercare/assessments/new/{world.pk}/", f"/eldercare/orders/new/{world.pk}/",
                f"/eldercare/visits/new/{world.pk}/", f"/eldercare/family-beds/new/{world.pk}/", f"/eldercare/facilities/{f.pk}/",
                f"/eldercare/facilities/{f.pk}/edit/"):  # fmt: skip
        assert client.get(url).status_code == 200, url
    page = client.get("/eldercare/").content.decode()
    assert "高龄津贴（每人每月）" in page and "未设定金额" in page
    # the plan's target is the plan's data: the coverage page links to it instead of writing it
    coverage = client.get("/eldercare/assessments/coverage/").content.decode()
    assert 'href="/planning/indicators/O32/"' in coverage and "规划目标 100%" not in coverage
