"""Indicators 16–19 equal a direct count; dashboard, map and commands run on the demo network."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from minzheng.eldercare.actions import do_create_facility
from minzheng.eldercare.demo import seed_demo
from minzheng.eldercare.geometry import haversine_m
from minzheng.eldercare.indicators import compute_indicators
from minzheng.eldercare.models import Facility, VillageLocation
from minzheng.eldercare.tests.conftest import DUNREN, ZHENXI

INSTITUTIONS = {"institution", "tekun_facility", "care_centre"}
CIRCLE = {"street_centre", "town_centre", "community_station", "village_point"}


@pytest.fixture
def network(db):
    return seed_demo(seed=11, scale=0.0)


def direct_counts(prefix: str = "500102"):
    """Counted by hand in Python over every row, without the platform's queries."""
    rows = [f for f in Facility.objects.all() if f.division_code.startswith(prefix) and f.status == "operating"]
    inst = [f for f in rows if f.kind in INSTITUTIONS]
    beds = sum(f.beds_total for f in rows)
    nursing = sum(f.beds_nursing for f in inst)
    inst_beds = sum(f.beds_total for f in inst)
    medical = sum(1 for f in rows if f.medical_capability != "none" or f.has_rehab)
    circle = [(f.lon, f.lat) for f in Facility.objects.all() if f.status == "operating" and f.kind in CIRCLE]
    villages = [(v.lon, v.lat) for v in VillageLocation.objects.all() if v.division_code.startswith(prefix)]
    covered = sum(1 for v in villages if any(haversine_m(*v, *c) <= 1000.0 for c in circle))
    return {
        "16": beds,
        "17": round(100 * nursing / inst_beds, 1) if inst_beds else None,
        "18": round(100 * covered / len(villages), 1),
        "19": round(100 * medical / len(rows), 1),
        "18_counts": (covered, len(villages)),
    }


def test_indicators_equal_a_direct_count_for_the_district(network):
    got = compute_indicators(None)
    want = direct_counts()
    assert got["16"]["value"] == want["16"]
    assert got["16"]["institution_beds"] == 5108
    assert got["17"]["value"] == want["17"] == 50.0
    assert got["18"]["value"] == want["18"]
    assert (got["18"]["numerator"], got["18"]["denominator"]) == want["18_counts"]
    assert got["19"]["value"] == want["19"]


@pytest.mark.parametrize("town", [DUNREN, ZHENXI])
def test_indicators_equal_a_direct_count_for_one_town(network, make_user, actor_of, town):
    officer = make_user("town_officer", town)
    got = compute_indicators(actor_of(officer))
    want = direct_counts(town)
    assert [got[k]["value"] for k in ("16", "17", "18", "19")] == [want[k] for k in ("16", "17", "18", "19")]


def test_indicator_17_counts_institutions_only_and_excludes_construction(db, system_actor):
    base = dict(ownership="public", operator_name="", division_code=DUNREN, address="", lon=107.39, lat=29.70,
                star_rating=0, medical_partner="", has_rehab=False, licence_kind="filing", licence_number="",
                staff_managers=0, staff_carers=0, staff_qualified_carers=0, staff_professionals=0, planned_period="",
                opened_on=None, medical_capability="none", key_project_ref="")  # fmt: skip
    do_create_facility(system_actor, base | dict(name="院A", kind="institution", beds_total=100, beds_nursing=70, status="operating"))
    do_create_facility(system_actor, base | dict(name="中心", kind="street_centre", beds_total=30, beds_nursing=0, status="operating", medical_capability="clinic"))
    do_create_facility(system_actor, base | dict(name="在建", kind="institution", beds_total=500, beds_nursing=500, status="under_construction", key_project_ref="养老服务业-13"))
    got = compute_indicators(None, with_coverage=False)
    assert got["16"]["value"] == 130  # 100 + 30; the 500 under construction are not counted
    assert got["17"]["value"] == 70.0  # 70 / 100: the centre's beds are not institution beds
    assert got["19"]["value"] == 50.0  # the centre's clinic: 1 of 2 operating facilities


def test_commands_print_coverage_and_indicators(network):
    out = StringIO()
    call_command("eldercare", "coverage", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["villages_total"] == 433
    assert data["village_share"] == direct_counts()["18"]
    assert len(data["uncovered_villages"]) == 433 - data["villages_covered"]
    out = StringIO()
    call_command("eldercare", "indicators", "--json", stdout=out)
    assert set(json.loads(out.getvalue())) == {"16", "17", "18", "19"}
    out = StringIO()
    call_command("eldercare", "coverage", stdout=out)
    assert "（指标18）" in out.getvalue() and "服务圈外的村（社区）" in out.getvalue()


def test_dashboard_and_map_pages_are_scoped(network, login_as, client, make_user):
    officer = make_user("town_officer", ZHENXI)
    login_as(officer)
    page = client.get("/eldercare/").content.decode()
    assert "珍溪镇" in page and "敦仁街道" not in page
    page = client.get("/eldercare/map/").content.decode()
    assert 'id="circle-map-data"' in page and "<script>" not in page
    assert "大东门" not in page  # a 敦仁街道 community: not in a 珍溪镇 officer's map
    payload = json.loads(page.split('id="circle-map-data" type="application/json">')[1].split("</script>")[0])
    assert all(f["id"] in set(Facility.objects.filter(division_code__startswith=ZHENXI).values_list("id", flat=True)) for f in payload["facilities"])
    assert {v["code"][:9] for v in payload["villages"]} == {ZHENXI}
