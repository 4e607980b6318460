"""The village page as the village's own record keeper: committee members (terms, 离任), 协商
meetings and the 三事分流 matters raised at them (办结), community workers and their training —
each added from the page, refused next to the field, and another village refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from minzheng.communities.models import CommitteeMember, Consultation, DemonstrationSite, Matter, ServiceFacility, Training, Worker
from minzheng.communities.tests.conftest import DADONGMEN

pytestmark = pytest.mark.django_db
URL = f"/communities/villages/{DADONGMEN}/"


def test_members_meetings_matters_and_workers_from_the_village_page(client, staff):
    client.force_login(staff.village_user)
    bad = client.post(f"{URL}add/member/", {"member-name": "", "member-post": "chair", "member-term_start": "2026-03-01"})
    assert bad.status_code == 422 and "该输入项为必填项" in bad.content.decode() and not CommitteeMember.objects.exists()
    assert client.post(f"{URL}add/member/", {"member-name": "周建华", "member-post": "chair", "member-term_start": "2022-02-01",
                                             "member-party_secretary": "on"}).status_code == 302  # fmt: skip
    member = CommitteeMember.objects.get()
    assert (member.term_end, member.party_secretary) == (dt.date(2027, 1, 31), True)  # five-year term
    page = client.get(URL).content.decode()
    assert "周建华（主任，书记兼任）任期 2022-02-01 至 2027-01-31" in page and "任期即将届满" in page  # within 90 days
    assert client.post(f"{URL}members/{member.pk}/leave/", {"left_on": "2026-11-30"}).status_code == 302
    member.refresh_from_db()
    assert member.left_on == dt.date(2026, 11, 30) and "周建华" not in client.get(URL).content.decode()

    assert client.post(f"{URL}add/consultation/", {"consultation-held_on": "2026-11-20", "consultation-topic": "小区加装电梯",
                                                   "consultation-participants": "23"}).status_code == 302  # fmt: skip
    meeting = Consultation.objects.get()
    assert client.post(f"{URL}add/matter/", {"matter-title": "3栋加装电梯", "matter-category": "minor",
                                             "matter-consultation_id": str(meeting.pk)}).status_code == 302  # fmt: skip
    matter = Matter.objects.get()
    assert (matter.consultation_id, matter.owner) == (meeting.pk, "community")
    assert "提出于2026-11-20协商会议" in client.get(URL).content.decode()
    assert client.post(f"{URL}matters/{matter.pk}/close/", {"outcome": "已召开业主大会表决通过"}).status_code == 302
    matter.refresh_from_db()
    assert (matter.status, matter.outcome) == ("done", "已召开业主大会表决通过")

    wrong = client.post(f"{URL}add/worker/", {"worker-name": "陈敏", "worker-post": "chief", "worker-grade": "3",
                                              "worker-started_on": "2020-05-01"})  # fmt: skip
    assert wrong.status_code == 422 and not Worker.objects.exists()
    assert client.post(f"{URL}add/worker/", {"worker-name": "陈敏", "worker-post": "staff", "worker-grade": "3",
                                             "worker-started_on": "2020-05-01"}).status_code == 302  # fmt: skip
    worker = Worker.objects.get()
    assert client.post(f"{URL}workers/{worker.pk}/training/", {f"training-{worker.pk}-course": "社区治理实务",
                                                               f"training-{worker.pk}-held_on": "2026-10-10",
                                                               f"training-{worker.pk}-hours": "16"}).status_code == 302  # fmt: skip
    assert list(Training.objects.values_list("course", "hours")) == [("社区治理实务", 16)]
    page = client.get(URL).content.decode()
    assert "陈敏 · 其他社区工作者 3级" in page and "2026-10-10 社区治理实务（16.0学时）" in page and "None" not in page


def test_another_village_is_refused_every_form(client, staff):
    client.force_login(staff.village_user)
    client.post(f"{URL}add/consultation/", {"consultation-held_on": "2026-11-20", "consultation-topic": "议题"})
    meeting = Consultation.objects.get()
    client.force_login(staff.other_village_user)  # 兴盛社区
    for path, data in (
        ("add/member/", {"member-name": "X", "member-post": "chair", "member-term_start": "2022-02-01"}),
        ("add/consultation/", {"consultation-held_on": "2026-11-20", "consultation-topic": "X"}),
        ("add/matter/", {"matter-title": "X", "matter-category": "minor", "matter-consultation_id": str(meeting.pk)}),
        ("add/worker/", {"worker-name": "X", "worker-post": "staff", "worker-started_on": "2020-05-01"}),
    ):
        assert client.post(URL + path, data).status_code == 404, path
    assert (CommitteeMember.objects.count(), Consultation.objects.count(), Matter.objects.count(), Worker.objects.count()) == (0, 1, 0, 0)
    client.force_login(staff.village_user)  # a meeting of another village cannot be named
    other = Consultation.objects.create(division_code="500102119001", held_on=dt.date(2026, 11, 1), topic="兴盛议题")
    refused = client.post(f"{URL}add/matter/", {"matter-title": "X", "matter-category": "minor", "matter-consultation_id": str(other.pk)})
    assert refused.status_code == 422 and not Matter.objects.exists()


def test_demonstration_sites_named_by_the_district_and_counted(client, staff):
    client.force_login(staff.district_user)
    page = client.get("/communities/sites/").content.decode()
    assert "认定示范点" in page and "/planning/indicators/O09/" in page and "/planning/indicators/O10/" in page
    data = {"division_code": DADONGMEN, "level": "district", "year": "2024", "theme": "三事分流", "evaluation": "good"}
    assert client.post("/communities/sites/", data).status_code == 302
    again = client.post("/communities/sites/", data)
    assert again.status_code == 422 and "该村（社区）已是区级示范点" in again.content.decode()
    assert client.post("/communities/sites/", {**data, "level": "city", "year": "2030"}).status_code == 422  # a year to come
    assert list(DemonstrationSite.objects.values_list("level", "year", "theme")) == [("district", 2024, "三事分流")]
    page = client.get("/communities/sites/").content.decode()
    assert "区级示范点</dt><dd>1 个" in page and "市级示范点</dt><dd>0 个" in page and "良好" in page
    client.force_login(staff.town_user)  # reads the list, names none
    page = client.get("/communities/sites/").content.decode()
    assert "三事分流" in page and "认定示范点" not in page
    assert client.post("/communities/sites/", {**data, "level": "city"}).status_code == 403
    assert DemonstrationSite.objects.count() == 1


def test_a_facility_is_located_inside_the_district(client, staff):
    client.force_login(staff.village_user)
    base = {"name": "党群服务中心", "area_m2": "320", "ownership": "owned", "status": "in_use"}
    outside = client.post(f"{URL}facilities/new/", {**base, "lon": "120.5", "lat": "29.7"})
    assert outside.status_code == 200 and "坐标不在涪陵区范围内" in outside.content.decode()
    half = client.post(f"{URL}facilities/new/", {**base, "lon": "107.39"})
    assert "经度和纬度须同时填写" in half.content.decode()
    assert not ServiceFacility.objects.exists()
    assert client.post(f"{URL}facilities/new/", {**base, "lon": "107.39", "lat": "29.70"}).status_code == 302
    facility = ServiceFacility.objects.get()
    assert (facility.lon, facility.lat) == (Decimal("107.390000"), Decimal("29.700000"))
    form = client.get(f"{URL}facilities/{facility.pk}/").content.decode()
    assert 'value="107.390000"' in form and "None" not in form
