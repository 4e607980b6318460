"""The screens: the intake form (errors next to the field, nothing written), the case page's
steps (422 bad input, 409 stale, 403 role, 404 division), the bed board, the person page's
panel, the villages' follow-up and 防走失 pages scoped to their people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import ValidationFailed
from minzheng.rescue import actions, selectors
from minzheng.rescue.models import (
    IntakePhoto,
    RescueCase,
    ReturnFollowUp,
    WanderingRisk,
)

from .conftest import DADONGMEN, XINGSHENG, jpeg_with_exif

pytestmark = pytest.mark.django_db
D = dt.date

FORM = {
    "name": "不详", "sex": "M", "estimated_age": "55", "features": "约55岁，灰色外套", "source": "police",
    "source_unit": "敦仁派出所", "found_place": "人民路天桥下", "found_division_code": DADONGMEN, "arrived_at": "2026-12-04T08:30",
}  # fmt: skip


def test_intake_through_the_form_with_a_photo(client, staff, station):
    client.force_login(staff.station_user)
    page = client.get("/rescue/cases/new/")
    assert page.status_code == 200 and "入站登记" in page.content.decode()
    photo = SimpleUploadedFile("现场.jpg", jpeg_with_exif(), content_type="image/jpeg")
    response = client.post("/rescue/cases/new/", {**FORM, "bed_id": str(station.beds.get(number="005").pk), "photos": [photo]})
    case = RescueCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rescue/cases/{case.pk}/"
    assert IntakePhoto.objects.filter(case=case).count() == 1
    html = client.get(response["Location"]).content.decode()
    assert case.number in html and "005号床" in html and "2026-12-14" in html and "参数待确认" in html


def test_bad_intake_shows_the_message_next_to_the_field_and_writes_nothing(client, staff, station):
    client.force_login(staff.station_user)
    response = client.post("/rescue/cases/new/", {**FORM, "features": "", "found_place": "", "arrived_at": "2026-12-05T08:00"})
    html = response.content.decode()
    assert response.status_code == 422
    assert "请填写发现地点" in html  # the form's own check
    assert RescueCase.objects.count() == 0
    response = client.post("/rescue/cases/new/", {**FORM, "features": "", "arrived_at": "2026-12-05T08:00"})
    html = response.content.decode()
    assert response.status_code == 422 and "姓名不详时请填写体貌特征" in html and "入站时间不能晚于现在" in html
    assert RescueCase.objects.count() == 0


def test_case_steps_on_the_page(client, staff, station, take_in):
    case = take_in()
    client.force_login(staff.station_user)
    url = f"/rescue/cases/{case.pk}/step/identify/"
    good = {"version": case.version, "name": "刘二", "identified_on": "2026-12-02", "home_address": "四川省达州市", "how": "本人陈述，公安核实"}
    response = client.post(url, {**good, "identified_on": "2026-11-01"})
    assert response.status_code == 422 and "查明身份日期不能早于入站日期（2026-12-01）" in response.content.decode()
    assert client.post(url, {**good, "version": case.version + 1}).status_code == 409
    client.force_login(staff.town_user)
    assert client.post(url, good).status_code == 403
    client.force_login(staff.zhenxi_staff_user)
    assert client.post(url, good).status_code == 404
    assert RescueCase.objects.get(pk=case.pk).status == "in_station"
    client.force_login(staff.station_user)
    assert client.post(url, good).status_code == 302
    html = client.get(f"/rescue/cases/{case.pk}/").content.decode()
    assert "已办理“查明身份”。" in html and "刘二" in html and "接送返回" in html


def test_the_bed_board_and_the_list(client, staff, station, take_in):
    case = take_in(bed_id=station.beds.get(number="007").pk)
    client.force_login(staff.station_user)
    html = client.get("/rescue/beds/").content.decode()
    assert "共80张，已用1张，使用率1.3%。" in html and case.number in html
    assert case.number in client.get("/rescue/cases/?present=1").content.decode()
    client.force_login(staff.leader_user)
    assert client.get("/rescue/beds/").status_code == 403
    assert "救助人次" in client.get("/rescue/stats/?period=2026-12").content.decode()
    assert client.get("/rescue/stats/?period=2026年").status_code == 422


def test_a_person_matched_to_the_registry_shows_on_their_person_page(client, staff, station, take_in, make_person):
    person = make_person(DADONGMEN, "刘长贵", birth="19700315")
    case = take_in(name="刘长贵", id_number=decrypt_text(person.id_number_encrypted))
    client.force_login(staff.station_user)
    html = client.get(f"/persons/{person.pk}/").content.decode()
    assert '<h2>救助管理</h2>' in html and f"{case.number} · 2026-12-01入站 · 在站救助" in html
    # The village sees the person page, but not the station's case …
    client.force_login(staff.village_user)
    assert case.number not in client.get(f"/persons/{person.pk}/").content.decode()
    # … and sees the 返乡回访 once he is home.
    s = staff.station
    case = actions.do_identify(s, case, expected_version=case.version, name="刘长贵", identified_on=D(2026, 12, 2), how="户籍人口库比中")
    case = actions.do_return_home(s, case, expected_version=case.version, mode="escort", receiver_kind="family", receiver_name="刘大妹", handed_over_on=D(2026, 12, 3))
    actions.do_confirm_arrival(s, case, expected_version=case.version, arrived_on=D(2026, 12, 3))
    html = client.get(f"/persons/{person.pk}/").content.decode()
    assert "返乡回访 · 2026-12-03返回 · 已回访0次" in html
    follow_up = ReturnFollowUp.objects.get()
    response = client.post(f"/rescue/follow-ups/{follow_up.pk}/", {"version": 1, "visited_on": "2026-12-04", "found_at_home": "1", "note": "在家"})
    assert response.status_code == 302
    client.force_login(staff.other_village_user)
    assert client.get(f"/rescue/follow-ups/{follow_up.pk}/").status_code == 404


def test_the_wandering_register_is_the_villages(client, staff, make_person):
    person = make_person(DADONGMEN, "周大勇", birth="19900101")
    stranger = make_person(XINGSHENG, "吴小二", birth="19900101")
    with pytest.raises(Exception) as e:
        actions.do_register_wandering_risk(staff.village, person_id=stranger.pk, reason="智力残疾，曾走失")
    assert e.value.errors == {"person_id": "请从列表中选择本辖区内的在册人员"}
    entry = actions.do_register_wandering_risk(staff.village, person_id=person.pk, reason="智力残疾，曾走失", guardian="周母")
    assert (entry.division_code, entry.registered_on, entry.next_check_on) == (DADONGMEN, D(2026, 12, 4), D(2027, 1, 1))
    with pytest.raises(Exception) as e:
        actions.do_register_wandering_risk(staff.village, person_id=person.pk, reason="再次登记")
    assert e.value.errors == {"person_id": "该人员已在易流浪走失人员名册中"}
    client.force_login(staff.village_user)
    assert "周大勇" in client.get("/rescue/wandering/").content.decode()
    response = client.post(f"/rescue/wandering/{entry.pk}/", {"checked_on": "2026-12-04", "keep": "1"})
    assert response.status_code == 302
    assert WanderingRisk.objects.get().next_check_on == D(2027, 1, 1)
    client.force_login(staff.other_village_user)
    assert client.get(f"/rescue/wandering/{entry.pk}/").status_code == 404
    assert "周大勇" not in client.get("/rescue/wandering/").content.decode()


def test_refusal_of_aid_with_its_ground_through_the_page(client, staff, station, take_in):
    """不予救助 (实施细则第二条, 不予救助通知书 with reasons): a ground and written reasons, the bed
    freed, the case ended and shown; bad input names the field and writes nothing."""
    case = take_in(bed_id=station.beds.get(number="003").pk)
    client.force_login(staff.station_user)
    url = f"/rescue/cases/{case.pk}/step/refuse/"
    bad = client.post(url, {"version": case.version, "ground": "", "refused_on": "2026-11-30", "reason": ""})
    assert bad.status_code == 422
    text = bad.content.decode()
    assert "请选择不予救助的理由" in text
    case.refresh_from_db()
    assert (case.status, case.refusal_ground) == ("in_station", "")
    too_early = client.post(url, {"version": case.version, "ground": "has_relatives", "refused_on": "2026-11-30", "reason": "其子在涪陵城区"})
    assert too_early.status_code == 422 and "不予救助日期不能早于入站日期（2026-12-01）" in too_early.content.decode()
    done = client.post(url, {"version": case.version, "ground": "has_relatives", "refused_on": "2026-12-02", "reason": "其子在涪陵城区居住，可以投靠"}, follow=True)
    assert done.status_code == 200
    case.refresh_from_db()
    assert (case.status, case.refusal_ground, case.left_on) == ("refused", "has_relatives", dt.date(2026, 12, 2))
    page = done.content.decode()
    assert "2026-12-02 · 有亲友可以投靠" in page
    assert "不予救助 · " in page and "有亲友可以投靠：其子在涪陵城区居住，可以投靠" in page
    assert selectors.current_bed(case) is None


def test_a_minor_is_never_refused(staff, station, take_in):
    case = take_in(estimated_age=12, name="不详")
    with pytest.raises(ValidationFailed) as e:
        actions.do_refuse(staff.station, case, expected_version=case.version, ground="has_means", refused_on=dt.date(2026, 12, 2), reason="x")
    assert e.value.errors == {"ground": "未成年人应先行救助并转报未成年人保护，不能不予救助"}
