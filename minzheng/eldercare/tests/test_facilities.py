"""Facilities and residents: actions, scoping on pages and API."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.core.errors import DomainError, NotFound, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.eldercare.actions import (
    do_check_in_resident,
    do_check_out_resident,
    do_create_facility,
    do_update_facility,
)
from minzheng.eldercare.models import Facility, Residency
from minzheng.eldercare.selectors import list_facilities_for
from minzheng.eldercare.tests.conftest import DUNREN_COMMUNITY, ZHENXI, ZHENXI_VILLAGE

TODAY = dt.date(2026, 12, 4)  # the suite's frozen day (root conftest.py)


def facility_data(**kw):
    data = dict(
        name="敦仁颐养院", kind="institution", ownership="private", operator_name="", division_code=DUNREN_COMMUNITY,
        address="敦仁街道某路1号", lon=107.39, lat=29.70, beds_total=2, beds_nursing=1, star_rating=2,
        medical_capability="agreement", medical_partner="涪陵区中心医院", has_rehab=False, licence_kind="filing",
        licence_number="备案001", staff_managers=1, staff_carers=2, staff_qualified_carers=1, staff_professionals=1,
        status="operating", key_project_ref="", planned_period="", opened_on=None,
    )  # fmt: skip
    data.update(kw)
    return data


@pytest.fixture
def facility(system_actor):
    def make(**kw):
        return do_create_facility(system_actor, facility_data(**kw))

    return make


def test_create_validates_in_chinese(actor_of, dunren_officer):
    with pytest.raises(ValidationFailed) as exc:
        do_create_facility(
            actor_of(dunren_officer),
            facility_data(name="", beds_nursing=5, medical_partner="", status="under_construction", lon=120.0),
        )
    assert exc.value.errors == {
        "name": "请填写设施名称",
        "lon": "经度应在重庆市范围内（105.0–110.5）",
        "beds_nursing": "护理型床位不能多于床位总数",
        "medical_partner": "签约合作时请填写签约医疗机构",
        "key_project_ref": "在建设施请填写对应的重点项目",
    }


def test_officer_cannot_place_a_facility_in_another_town(actor_of, zhenxi_officer):
    with pytest.raises(NotFound):
        do_create_facility(actor_of(zhenxi_officer), facility_data())
    assert not Facility.objects.exists()


def test_update_is_versioned_and_audited(actor_of, dunren_officer, facility):
    f = facility()
    do_update_facility(actor_of(dunren_officer), f, expected_version=1, changes={"beds_total": 10, "star_rating": 3})
    f.refresh_from_db()
    assert (f.beds_total, f.star_rating, f.version) == (10, 3, 2)
    event = AuditEvent.objects.get(object_type="eldercare.facility", action="update")
    assert event.changed_fields["beds_total"] == ["2", "10"]
    with pytest.raises(DomainError):
        do_update_facility(actor_of(dunren_officer), f, expected_version=1, changes={"beds_total": 11})


def test_town_officer_sees_only_the_towns_facilities(actor_of, dunren_officer, zhenxi_officer, facility):
    mine = facility()
    theirs = facility(name="珍溪敬老院", kind="tekun_facility", ownership="public", division_code=ZHENXI)
    assert list(list_facilities_for(actor_of(dunren_officer))) == [mine]
    assert list(list_facilities_for(actor_of(zhenxi_officer))) == [theirs]


def test_facility_pages_are_scoped(login_as, client, dunren_officer, zhenxi_officer, facility):
    f = facility()
    login_as(zhenxi_officer)
    assert client.get(f"/eldercare/facilities/{f.pk}/").status_code == 404
    assert client.get(f"/eldercare/facilities/{f.pk}/edit/").status_code == 404
    assert "敦仁颐养院" not in client.get("/eldercare/facilities/").content.decode()
    login_as(dunren_officer)
    assert client.get(f"/eldercare/facilities/{f.pk}/").status_code == 200
    assert "敦仁颐养院" in client.get("/eldercare/facilities/").content.decode()


def test_facility_api_is_scoped(api_as, dunren_officer, zhenxi_officer, facility):
    f = facility()
    other = api_as(zhenxi_officer)
    assert other.get(f"/api/v1/eldercare/facilities/{f.pk}").status_code == 404
    assert other.get("/api/v1/eldercare/facilities").json()["count"] == 0
    mine = api_as(dunren_officer)
    body = mine.get("/api/v1/eldercare/facilities").json()
    assert body["count"] == 1 and body["results"][0]["name"] == "敦仁颐养院"


def test_facility_form_page_marks_required_and_saves(login_as, client, dunren_officer):
    login_as(dunren_officer)
    page = client.get("/eldercare/facilities/new/").content.decode()
    assert '<label for="id_name" class="required">名称</label>' in page
    bad = client.post("/eldercare/facilities/new/", {"name": ""})
    assert bad.status_code == 422 and "请填写此项" in bad.content.decode()
    data = {k: ("" if v is None else v) for k, v in facility_data().items()}
    data["has_rehab"] = ""
    response = client.post("/eldercare/facilities/new/", data)
    assert response.status_code == 302
    assert Facility.objects.get().name == "敦仁颐养院"


# --------------------------------------------------------------------------- residents
def test_check_in_and_out_keep_occupancy_and_tekun_status(actor_of, dunren_officer, facility, elder):
    f = facility(beds_total=1, beds_nursing=0)
    person = elder()
    actor = actor_of(dunren_officer)
    stay = do_check_in_resident(actor, f, person, checked_in_on=TODAY, is_tekun_concentrated=True, bed_number="101")
    f.refresh_from_db()
    person.refresh_from_db()
    assert f.occupied_beds == 1 and person.in_institution is True
    with pytest.raises(ValidationFailed) as exc:  # full, and already resident
        do_check_in_resident(actor, f, elder(name="李老汉"), checked_in_on=TODAY)
    assert exc.value.errors["facility"] == "床位已满"
    do_check_out_resident(actor, stay, checked_out_on=TODAY, reason="returned_home")
    f.refresh_from_db()
    person.refresh_from_db()
    assert f.occupied_beds == 0 and person.in_institution is False
    with pytest.raises(DomainError):
        do_check_out_resident(actor, stay, checked_out_on=TODAY, reason="returned_home")


def test_one_open_stay_per_person(actor_of, dunren_officer, facility, elder):
    a, b = facility(beds_total=5), facility(name="第二院", beds_total=5)
    person = elder()
    do_check_in_resident(actor_of(dunren_officer), a, person, checked_in_on=TODAY)
    with pytest.raises(ValidationFailed) as exc:
        do_check_in_resident(actor_of(dunren_officer), b, person, checked_in_on=TODAY)
    assert "已在机构入住" in exc.value.errors["person"]


def test_community_station_takes_no_residents(actor_of, dunren_officer, facility, elder):
    station = facility(kind="community_station", beds_total=0, beds_nursing=0)
    with pytest.raises(ValidationFailed):
        do_check_in_resident(actor_of(dunren_officer), station, elder(), checked_in_on=TODAY)


def test_check_in_screen_refuses_a_person_of_another_town(login_as, client, zhenxi_officer, facility, elder, make_person):
    f = facility(division_code=ZHENXI_VILLAGE)
    outsider = elder()  # lives in 敦仁街道
    login_as(zhenxi_officer)
    response = client.post(
        f"/eldercare/facilities/{f.pk}/check-in/", {"person_id": outsider.pk, "checked_in_on": TODAY.isoformat()}
    )
    assert response.status_code == 422
    assert "记录不存在或无权访问" in response.content.decode()
    assert not Residency.objects.exists()


def test_residency_is_scoped(login_as, client, actor_of, dunren_officer, zhenxi_officer, facility, elder):
    stay = do_check_in_resident(actor_of(dunren_officer), facility(), elder(), checked_in_on=TODAY)
    login_as(zhenxi_officer)
    assert client.get(f"/eldercare/residents/{stay.pk}/check-out/").status_code == 404
    login_as(dunren_officer)
    assert client.get(f"/eldercare/residents/{stay.pk}/check-out/").status_code == 200


def test_edit_screen_saves_with_the_version_and_refuses_a_stale_one(login_as, client, dunren_officer, facility):
    f = facility()
    login_as(dunren_officer)
    page = client.get(f"/eldercare/facilities/{f.pk}/edit/").content.decode()
    assert 'name="version" value="1"' in page
    data = {k: ("" if v is None else v) for k, v in facility_data(beds_total=20, beds_nursing=12).items()}
    data["has_rehab"] = ""
    assert client.post(f"/eldercare/facilities/{f.pk}/edit/", data | {"version": "1"}).status_code == 302
    f.refresh_from_db()
    assert (f.beds_total, f.beds_nursing, f.version) == (20, 12, 2)
    stale = client.post(f"/eldercare/facilities/{f.pk}/edit/", data | {"version": "1", "beds_total": 30})
    assert stale.status_code == 422 and "已被他人修改" in stale.content.decode()
