"""Facilities, indicator 6 by hand, scoping by page / API / export, bad input."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest

from minzheng.api.auth import issue_token
from minzheng.communities import actions
from minzheng.communities.indicators import INDICATOR_6, facility_area_by_town
from minzheng.communities.models import ServiceFacility
from minzheng.communities.selectors import village_standard_rows
from minzheng.communities.tests.conftest import DADONGMEN, DUNREN, XINGSHENG, ZHENXI, facility
from minzheng.core.audit import AuditEvent
from minzheng.core.errors import NotFound, ValidationFailed
from minzheng.core.indicators import get_indicator
from minzheng.core.snapshots import refresh_snapshots
from minzheng.planning import computations
from minzheng.registry.models import Household

pytestmark = pytest.mark.django_db


def _households(make_household, code, n):
    for i in range(n):
        make_household(code, names=(f"户主{i}", f"成员{i}"))


def test_negative_area_is_refused_with_the_field_named_and_nothing_written(staff):
    with pytest.raises(ValidationFailed) as e:
        facility(staff.village, area="-5")
    assert e.value.errors == {"area_m2": "建筑面积不能为负数"}
    with pytest.raises(ValidationFailed) as e:
        facility(staff.village, area="很大")
    assert e.value.errors == {"area_m2": "建筑面积须为数字"}
    assert ServiceFacility.objects.count() == 0
    assert AuditEvent.objects.filter(object_type="communities.facility").count() == 0


def test_a_village_worker_registers_only_in_their_own_community(staff):
    f = facility(staff.village)
    assert (f.division_code, f.area_m2) == (DADONGMEN, Decimal("120.50"))
    with pytest.raises(NotFound):
        facility(staff.other_village)  # 兴盛社区's worker, 大东门社区's facility
    with pytest.raises(NotFound):
        facility(staff.other_town)  # 珍溪镇's officer
    with pytest.raises(NotFound):
        actions.do_save_facility(staff.other_town, facility_id=f.pk, division_code=XINGSHENG, name="x", area_m2="1", ownership="owned")
    assert ServiceFacility.objects.count() == 1


def test_indicator_6_equals_the_hand_count(staff, make_household):
    _households(make_household, DADONGMEN, 4)
    _households(make_household, "500102006003", 2)
    _households(make_household, XINGSHENG, 3)
    refresh_snapshots(["registry.division"])
    facility(staff.town, DADONGMEN, "3.00")
    facility(staff.town, DADONGMEN, "0.50", name="居民议事厅")
    facility(staff.town, "500102006003", "0.40")
    facility(staff.district, XINGSHENG, "0.60")
    facility(staff.district, XINGSHENG, "9.00", name="在建中心", status="building")  # not in use: not counted

    figures = get_indicator(INDICATOR_6).compute(None)
    # By hand: households with members per town, areas in use per town.
    hh = {t: sum(1 for h in Household.objects.all() if h.division_code.startswith(t) and h.member_count > 0) for t in (DUNREN, ZHENXI)}
    area = {t: sum((f.area_m2 for f in ServiceFacility.objects.all() if f.division_code.startswith(t) and f.status == "in_use"), Decimal(0))
            for t in (DUNREN, ZHENXI)}
    assert hh == {DUNREN: 6, ZHENXI: 3}
    assert figures[DUNREN] == (area[DUNREN], hh[DUNREN]) == (Decimal("3.90"), 6)
    assert figures[ZHENXI] == (Decimal("0.60"), 3)
    by_town = facility_area_by_town()
    assert len(by_town) == 27
    assert {v for t, v in by_town.items() if t not in (DUNREN, ZHENXI)} == {(Decimal(0), 0)}
    # m² per 100 households: 敦仁 3.90/6*100 = 65.0, 珍溪 0.60/3*100 = 20.0, district 4.50/9*100 = 50.0
    rows = {r["code"]: (r["per_100"], r["at_standard"]) for r in village_standard_rows(staff.district)}
    assert rows == {DADONGMEN: (Decimal("87.5"), True), "500102006003": (Decimal("20.0"), False), XINGSHENG: (Decimal("20.0"), False)}
    below = [r["code"] for r in village_standard_rows(staff.district) if not r["at_standard"]]
    assert below == ["500102006003", XINGSHENG]


def test_planning_computes_indicator_6_from_the_register(staff, make_household):
    _households(make_household, DADONGMEN, 4)
    refresh_snapshots(["registry.division"])
    facility(staff.town, DADONGMEN, "1.30")
    period = computations.Period(2026, 0, computations.clock.now())
    figures = {(f.measure, f.division_code): f.value for f in computations.compute_communities(period)}
    assert figures[("community_facility_area_per_100_households", DUNREN)] == Decimal("32.5000")
    assert figures[("community_facility_area_per_100_households", "500102")] == Decimal("32.5000")
    assert figures[("community_district_demonstration_sites", "500102")] == Decimal("0.0000")


def test_a_zhenxi_officer_is_refused_dunren_records_by_page_api_and_export(staff, client):
    f = facility(staff.village)
    facility(staff.other_village, XINGSHENG, "50", name="兴盛社区服务站")
    client.force_login(staff.other_town_user)
    assert client.get(f"/communities/villages/{DADONGMEN}/").status_code == 404
    assert client.get(f"/communities/villages/{DADONGMEN}/facilities/{f.pk}/").status_code == 404
    assert client.post(f"/communities/villages/{DADONGMEN}/facilities/{f.pk}/", {"name": "x", "area_m2": "1", "ownership": "owned", "status": "in_use"}).status_code == 404
    assert client.get(f"/communities/villages/{XINGSHENG}/facilities/{f.pk}/").status_code == 404
    assert "大东门" not in client.get("/communities/facilities/").text
    token, _ = issue_token(staff.other_town_user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"/api/v1/communities/facilities/{f.pk}", **auth).status_code == 404
    assert [r["division_code"] for r in client.get("/api/v1/communities/facilities", **auth).json()] == [XINGSHENG]
    book = openpyxl.load_workbook(io.BytesIO(client.get("/communities/report.xlsx").content))
    rows = [[c.value for c in r] for r in book.active.iter_rows()]
    assert rows[0][:3] == ["乡镇（街道）", "设施数", "设施面积（平方米）"]
    assert [r[0] for r in rows[1:]] == ["珍溪镇"]
    assert rows[1][1:3] == [1, 50.0]
    assert f.area_m2 == ServiceFacility.objects.get(pk=f.pk).area_m2  # nothing changed by the refused post


def test_the_village_screen_edits_the_facility_and_shows_the_error_next_to_the_field(staff, client):
    client.force_login(staff.village_user)
    page = client.post(f"/communities/villages/{DADONGMEN}/facilities/new/", {"name": "党群服务中心", "area_m2": "-1", "ownership": "owned", "status": "in_use"})
    assert page.status_code == 200 and "建筑面积不能为负数" in page.text
    assert ServiceFacility.objects.count() == 0
    assert client.post(f"/communities/villages/{DADONGMEN}/facilities/new/", {"name": "党群服务中心", "area_m2": "210", "rooms": "6",
                                                                            "ownership": "owned", "status": "in_use"}).status_code == 302
    page = client.get(f"/communities/villages/{DADONGMEN}/")
    assert "210.00 平方米" in page.text and "None" not in page.text
    assert client.get(f"/communities/villages/{XINGSHENG}/").status_code == 404
