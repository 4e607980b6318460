"""/api/v1/rescue/: scoped like the screens (the station's staff; 珍溪镇-scoped 404; a town
officer 403), intake through the same action (422 with the field), the indicators."""

import pytest

from minzheng.api.auth import issue_token
from minzheng.rescue.models import RescueCase

from .conftest import DADONGMEN

pytestmark = pytest.mark.django_db


def bearer(user):
    token, _ = issue_token(user)
    return {"Authorization": f"Bearer {token}"}


def test_intake_list_and_one_case(client, staff, station):
    body = {"sex": "F", "source": "self", "found_place": "救助站门口", "found_division_code": "500102014010",
            "arrived_at": "2026-12-04T07:30:00+08:00", "features": "约70岁，白发", "estimated_age": 70}  # fmt: skip
    r = client.post("/api/v1/rescue/cases", body, content_type="application/json", headers=bearer(staff.station_user))
    assert r.status_code == 201, r.content
    case = r.json()
    assert (case["name"], case["risks"], case["stay_until"], case["status_label"]) == ("不详", ["elderly"], "2026-12-14", "在站救助")
    r = client.get("/api/v1/rescue/cases?present=true", headers=bearer(staff.station_user))
    assert [c["number"] for c in r.json()] == [case["number"]]
    assert client.get(f"/api/v1/rescue/cases/{case['id']}", headers=bearer(staff.station_user)).status_code == 200
    assert client.get(f"/api/v1/rescue/cases/{case['id']}", headers=bearer(staff.zhenxi_staff_user)).status_code == 404
    assert client.get(f"/api/v1/rescue/cases/{case['id']}", headers=bearer(staff.town_user)).status_code == 403
    assert client.get("/api/v1/rescue/cases", headers=bearer(staff.town_user)).status_code == 403


def test_bad_intake_is_422_naming_the_field_and_writes_nothing(client, staff, station):
    body = {"sex": "M", "source": "police", "found_place": "", "found_division_code": DADONGMEN, "arrived_at": "2026-12-04T07:30:00+08:00"}
    r = client.post("/api/v1/rescue/cases", body, content_type="application/json", headers=bearer(staff.station_user))
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"field": "features", "message": "姓名不详时请填写体貌特征"},
        {"field": "source_unit", "message": "请填写护送或转来单位"},
        {"field": "found_place", "message": "请填写发现地点"},
    ]
    assert RescueCase.objects.count() == 0


def test_the_indicators_for_leaders(client, staff, station, take_in):
    take_in(bed_id=station.beds.get(number="001").pk)
    r = client.get("/api/v1/rescue/indicators?period=2026", headers=bearer(staff.leader_user))
    assert r.status_code == 200
    assert r.json()["indicator_12"] == {"period": "2026", "numerator": 0, "denominator": 0, "left_excluded": 0, "rate": None}
    assert r.json()["occupancy"] == {"day": "2026-12-04", "occupied": 1, "beds": 80, "rate": "1.3"}
    assert client.get("/api/v1/rescue/indicators?period=2026年", headers=bearer(staff.leader_user)).status_code == 422
    assert client.get("/api/v1/rescue/indicators", headers=bearer(staff.village_user)).status_code == 403
