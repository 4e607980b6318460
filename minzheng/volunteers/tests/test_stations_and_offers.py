"""Stations placed in the community-facility register (indicator 9 read once), and a need offered
to a volunteer station, a volunteer organisation or a social-work station serving the village."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.api.auth import issue_token
from minzheng.communities import actions as community_actions
from minzheng.core.errors import NotFound, ValidationFailed
from minzheng.socialwork import actions as socialwork_actions
from minzheng.socialwork.access import station_serving
from minzheng.volunteers import actions
from minzheng.volunteers.indicators import compute_indicators, summary
from minzheng.volunteers.models import ServiceRequest, Station
from minzheng.volunteers.tests.conftest import (
    DADONGMEN,
    DISTRICT,
    DUNREN,
    XINGSHENG,
    ZHENXI,
)

D = dt.date
pytestmark = pytest.mark.django_db
QIANJING = "500102006003"  # 黔靖街社区, another community of 敦仁街道


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)[0]}"}


def _facility(system, code, name, *, status="in_use", opened_on=D(2020, 1, 1)):
    return community_actions.do_save_facility(system, division_code=code, name=name, area_m2="300", ownership="owned", status=status,
                                              opened_on=opened_on)  # fmt: skip


def test_a_station_is_placed_in_a_facility_of_its_own_village(client, staff, system):
    own = _facility(system, DADONGMEN, "大东门社区党群服务中心")
    neighbour = _facility(system, QIANJING, "邻社区党群服务中心")
    building = _facility(system, QIANJING, "在建服务中心", status="building", opened_on=None)
    far = _facility(system, XINGSHENG, "兴盛社区党群服务中心")
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_station(staff.town, name="站", division_code=DADONGMEN, opened_on=D(2025, 1, 1), facility_id=neighbour.pk)
    assert e.value.errors == {"facility": "邻社区党群服务中心不在所选村（社区），请选择该村（社区）的设施"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_station(staff.town, name="站", division_code=QIANJING, opened_on=D(2025, 1, 1), facility_id=building.pk)
    assert e.value.errors == {"facility": "在建服务中心未在使用中，不能设立站点"}
    with pytest.raises(ValidationFailed) as e:  # another town's facility: not found, like a made-up id
        actions.do_register_station(staff.town, name="站", division_code=DADONGMEN, opened_on=D(2025, 1, 1), facility_id=far.pk)
    assert e.value.errors == {"facility": "请选择本辖区内的社区综合服务设施"}
    assert Station.objects.count() == 0
    client.force_login(staff.town_user)
    form = client.get("/volunteers/stations/new/").text
    assert "大东门社区 · 大东门社区党群服务中心" in form and "兴盛社区党群服务中心" not in form and "在建服务中心" not in form
    response = client.post("/volunteers/stations/new/", {"name": "大东门社区志愿服务站", "division_code": DADONGMEN, "facility": str(far.pk),
                                                         "opened_on": "2025-01-01"})  # fmt: skip
    assert response.status_code == 422 and Station.objects.count() == 0
    response = client.post("/volunteers/stations/new/", {"name": "大东门社区志愿服务站", "division_code": DADONGMEN, "facility": str(own.pk),
                                                         "opened_on": "2025-01-01"})  # fmt: skip
    assert response.status_code == 302 and Station.objects.get().facility_id == own.pk
    page = client.get("/volunteers/stations/").text
    assert "大东门社区志愿服务站" in page and "大东门社区党群服务中心" in page and "None" not in page
    api = client.get("/api/v1/volunteers/stations", **bearer(staff.town_user)).json()
    assert [(s["name"], s["facility_name"]) for s in api] == [("大东门社区志愿服务站", "大东门社区党群服务中心")]


def test_indicator_9_counts_facilities_in_use_hosting_a_station_by_hand(system):
    # 敦仁: two facilities in use (one hosts a station), one closed (not counted); 珍溪: one facility
    # whose station opens after the day, and a station outside any facility in 兴盛 does not count.
    a = _facility(system, DADONGMEN, "大东门中心")
    _facility(system, QIANJING, "黔靖街中心")
    _facility(system, QIANJING, "旧中心", status="closed")
    z = _facility(system, XINGSHENG, "兴盛中心")
    later = _facility(system, XINGSHENG, "明年启用中心")
    type(later).objects.filter(pk=later.pk).update(opened_on=D(2027, 1, 1))  # dated ahead by a correction of the register
    actions.do_register_station(system, name="大东门站", division_code=DADONGMEN, opened_on=D(2025, 1, 1), facility_id=a.pk)
    late = actions.do_register_station(system, name="兴盛站", division_code=XINGSHENG, opened_on=D(2025, 1, 1), facility_id=z.pk)
    Station.objects.filter(pk=late.pk).update(opened_on=D(2026, 12, 5))  # opens tomorrow (the clock is 2026-12-04)
    data = compute_indicators(D(2026, 12, 4))
    assert data["9"] == {DUNREN: (1, 2), ZHENXI: (0, 1)}
    assert compute_indicators(D(2026, 12, 5))["9"] == {DUNREN: (1, 2), ZHENXI: (1, 1)}
    s = summary(D(2026, 12, 4))
    assert (s["stations_in_facility"], s["facilities"], s["station_coverage_pct"]) == (1, 3, 33.33)


@pytest.fixture
def need(staff, make_person):
    elder = make_person(DADONGMEN, "钱奶奶", birth="19420101")
    return actions.do_raise_request(staff.village, person=elder, source="elderly", need="每周上门陪伴")


def test_a_need_is_offered_to_the_towns_social_work_station_and_answered(client, staff, system, need):
    centre = socialwork_actions.do_register_station(system, level="centre", name="区社会工作指导中心", division_code=DISTRICT, premises_sqm=300,
                                                    opened_on=D(2021, 1, 1))  # fmt: skip
    town = socialwork_actions.do_register_station(system, level="town", name="敦仁街道社会工作站", division_code=DUNREN, premises_sqm=120,
                                                  opened_on=D(2022, 1, 1))  # fmt: skip
    other = socialwork_actions.do_register_station(system, level="town", name="珍溪镇社会工作站", division_code=ZHENXI, premises_sqm=80,
                                                   opened_on=D(2022, 1, 1))  # fmt: skip
    client.force_login(staff.village_user)
    page = client.get(f"/volunteers/requests/{need.pk}/").text
    assert "敦仁街道社会工作站（乡镇（街道）社会工作站）" in page and "区社会工作指导中心" in page and "珍溪镇社会工作站" not in page
    # a station of another town is not offered, and posting its id changes nothing
    response = client.post(f"/volunteers/requests/{need.pk}/offer/", {"social_work_station": str(other.pk)})
    need.refresh_from_db()
    assert response.status_code == 422 and need.status == "open" and need.social_work_station_id is None
    assert client.post(f"/volunteers/requests/{need.pk}/offer/", {"social_work_station": str(town.pk)}).status_code == 302
    need.refresh_from_db()
    assert (need.status, need.social_work_station_id, need.offered_on) == ("offered", town.pk, D(2026, 12, 4))
    assert "敦仁街道社会工作站（社会工作站点）（2026-12-04派单）" in client.get(f"/volunteers/requests/{need.pk}/").text
    answer = client.post(f"/api/v1/volunteers/requests/{need.pk}/response", {"response": "社工每周二上门", "responded_on": "2026-12-04"},
                         content_type="application/json", **bearer(staff.village_user))  # fmt: skip
    assert answer.status_code == 200 and answer.json() == {
        "id": need.pk, "status": "answered", "offered_to": "敦仁街道社会工作站", "offered_on": "2026-12-04",
        "response": "社工每周二上门", "responded_on": "2026-12-04"}  # fmt: skip
    assert centre.pk != town.pk
    client.force_login(staff.other_village_user)  # another village: the need does not exist for them
    assert client.post(f"/api/v1/volunteers/requests/{need.pk}/offer", {"social_work_station_id": other.pk},
                       content_type="application/json", **bearer(staff.other_village_user)).status_code == 404  # fmt: skip


def test_an_offer_names_one_party_that_serves_the_village(client, staff, system, need):
    neighbour = actions.do_register_station(system, name="黔靖街社区志愿服务站", division_code=QIANJING, opened_on=D(2025, 1, 1))
    org = actions.do_register_organisation(system, name="敦仁街道志愿服务队", division_code=DUNREN, founded_on=D(2020, 1, 1))
    far_org = actions.do_register_organisation(system, name="珍溪镇志愿服务队", division_code=ZHENXI, founded_on=D(2020, 1, 1))
    sw = socialwork_actions.do_register_station(system, level="town", name="敦仁街道社会工作站", division_code=DUNREN, premises_sqm=120,
                                                opened_on=D(2022, 1, 1))  # fmt: skip
    with pytest.raises(ValidationFailed) as e:  # the town officer sees the neighbour's station, but it does not serve 大东门
        actions.do_offer_request(staff.town, need, station=neighbour)
    assert e.value.errors == {"station": "黔靖街社区志愿服务站不服务于大东门社区，请选择服务该村（社区）的对接方"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_offer_request(staff.district, need, organisation=far_org)
    assert e.value.errors == {"organisation": "珍溪镇志愿服务队不服务于大东门社区，请选择服务该村（社区）的对接方"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_offer_request(staff.town, need, organisation=org, social_work_station=sw)
    assert e.value.errors == {"social_work_station": "每次只能派给一个对接方，请只选择一项"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_offer_request(staff.town, need)
    assert e.value.errors == {"station": "请选择对接的志愿服务站点、志愿服务组织或社会工作站点"}
    need.refresh_from_db()
    assert need.status == "open"
    client.force_login(staff.town_user)
    response = client.post(f"/api/v1/volunteers/requests/{need.pk}/offer", {"organisation_id": org.pk}, content_type="application/json",
                           **bearer(staff.town_user))  # fmt: skip
    assert response.status_code == 200 and response.json()["offered_to"] == "敦仁街道志愿服务队"
    with pytest.raises(NotFound):
        station_serving(XINGSHENG, sw.pk)
    assert ServiceRequest.objects.get().organisation_id == org.pk
