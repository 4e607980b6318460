"""The demo network matches the plan and sits inside the real district outline."""

from __future__ import annotations

import datetime as dt

from django.db.models import Sum
import pytest

from minzheng.eldercare.demo import _demo_order_history, build_facilities, seed_demo, village_points
from minzheng.eldercare.enums import FacilityKind, FacilityStatus
from minzheng.eldercare.geometry import district_outline
from minzheng.eldercare.models import Assessment, CareOrder, Facility, Residency, VillageLocation


@pytest.fixture
def seeded(db):
    return seed_demo(seed=7, scale=0.0)


def test_network_matches_the_plan(seeded):
    assert seeded["institutions"] == 48
    assert seeded["institution_beds"] == 5108
    assert seeded["institution_nursing_beds"] == 2554
    assert seeded["institutions_with_agreement"] == 45
    assert seeded["under_construction"] == 21
    kinds = seeded["operating_by_kind"]
    assert kinds[FacilityKind.STREET_CENTRE] == 11
    assert kinds[FacilityKind.TOWN_CENTRE] == 16
    assert kinds[FacilityKind.COMMUNITY_STATION] == 110
    assert kinds[FacilityKind.VILLAGE_POINT] == 193


def test_every_key_project_is_one_facility_under_construction(seeded):
    refs = set(
        Facility.objects.filter(status=FacilityStatus.UNDER_CONSTRUCTION).values_list("key_project_ref", flat=True)
    )
    assert refs == {f"养老服务业-{i}" for i in range(1, 22)}
    assert Facility.objects.get(key_project_ref="养老服务业-4", status=FacilityStatus.UNDER_CONSTRUCTION).beds_total == 162
    assert Facility.objects.get(key_project_ref="养老服务业-3").division_code == "500102119"  # 珍溪镇


def test_all_points_are_inside_the_district_outline(seeded):
    outline = district_outline()
    assert VillageLocation.objects.count() == 433
    for lon, lat in list(VillageLocation.objects.values_list("lon", "lat")) + list(Facility.objects.values_list("lon", "lat")):
        assert outline.contains(lon, lat)


def test_seeding_is_deterministic_and_idempotent(seeded):
    again = seed_demo(seed=7, scale=0.0)
    assert again["facilities_created"] == 0 and again["villages_added"] == 0
    points = village_points(7)
    a = [(f.name, round(f.lon, 6), round(f.lat, 6)) for f in build_facilities(7, points)]
    b = [(f.name, round(f.lon, 6), round(f.lat, 6)) for f in build_facilities(7, points)]
    assert a == b


def test_demo_activity_is_drawn_from_registry_people(db, elder):
    for i in range(30):
        elder(name=f"演示{i}", age=85)
    summary = seed_demo(seed=9, scale=1.0)
    assert summary["residents"] == 30  # institutions fill first: 65 % of 5,108 beds > 30 people
    assert Residency.objects.count() == 30
    assert Facility.objects.aggregate(n=Sum("occupied_beds"))["n"] == 30
    assert summary["assessments"] == Assessment.objects.count() > 0
    for a in Assessment.objects.all():
        assert 0 <= a.total <= 90 and a.next_due_on > a.assessed_on
    assert seed_demo(seed=9, scale=1.0)["activity"] == "skipped"


def test_a_bulk_created_demo_order_gets_the_history_its_steps_would_have_written():
    at = dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC)
    order = CareOrder(
        pk=7, division_code="500102006001", requested_on=dt.date(2026, 11, 18), dispatched_at=at,
        check_in_at=at + dt.timedelta(hours=1), completed_at=at + dt.timedelta(hours=2),
    )  # fmt: skip
    rows = _demo_order_history(order)
    assert [(e.workflow, e.case_id, e.action, e.from_status, e.to_status, e.actor_name) for e in rows] == [
        ("eldercare.order", 7, "create", "", "requested", "系统"),
        ("eldercare.order", 7, "dispatch", "requested", "dispatched", "系统"),
        ("eldercare.order", 7, "check_in", "dispatched", "in_service", "系统"),
        ("eldercare.order", 7, "complete", "in_service", "completed", "系统"),
    ]
    assert rows[0].occurred_at == dt.datetime(2026, 11, 18, 1, 0, tzinfo=dt.UTC)  # 09:00 in Chongqing
    assert [e.occurred_at for e in rows[1:]] == [at, at + dt.timedelta(hours=1), at + dt.timedelta(hours=2)]
