"""Volunteers: registration with consent, sign-in and hours (never twice, never for a day to
come, not under 14 without a guardian's consent, no negative hours), the hours certificate read
back, service requests from the person page, another village refused."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from minzheng.core.errors import NotFound, ValidationFailed
from minzheng.volunteers import actions
from minzheng.volunteers.models import ServiceHours, ServiceRequest, Volunteer
from minzheng.volunteers.tests.conftest import DADONGMEN, XINGSHENG

D = dt.date


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(content)
        return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def adult(staff, make_person):
    person = make_person(DADONGMEN, "陈志愿", birth="19900505")
    return actions.do_register_volunteer(staff.village, person=person, consent_on=D(2026, 11, 1), skills="理发")


@pytest.fixture
def activity(staff):
    return actions.do_create_activity(staff.village, title="重阳敬老义剪", division_code=DADONGMEN, held_on=D(2026, 12, 3))


def test_hours_rules(staff, make_person, adult, activity):
    row = actions.do_sign_in(staff.village, activity, adult, hours="2.5")
    assert (row.hours, row.division_code) == (Decimal("2.5"), DADONGMEN)
    cases = [
        (adult, activity, "1", {"volunteer": "该志愿者本次活动的时长已记录，不能重复记录"}),
    ]
    child = actions.do_register_volunteer(staff.village, person=make_person(DADONGMEN, "陈小", birth="20130601"), consent_on=D(2026, 11, 1))
    cases.append((child, activity, "1", {"volunteer": "未满14周岁的志愿者须有监护人同意记录，方可记录服务时长"}))
    other = actions.do_register_volunteer(staff.village, person=make_person(DADONGMEN, "陈大", birth="19800101"), consent_on=D(2026, 11, 1))
    cases.append((other, activity, "-2", {"hours": "服务时长应大于0小时，不能为负数或0"}))
    tomorrow = actions.do_create_activity(staff.village, title="清扫", division_code=DADONGMEN, held_on=D(2026, 12, 5))
    cases.append((other, tomorrow, "2", {"activity": "活动尚未开始，不能记录时长"}))
    for volunteer, act, hours, errors in cases:
        with pytest.raises(ValidationFailed) as e:
            actions.do_sign_in(staff.village, act, volunteer, hours=hours)
        assert e.value.errors == errors
    assert ServiceHours.objects.count() == 1
    # with a guardian's consent the child's hours are recorded
    guarded = actions.do_register_volunteer(staff.village, person=make_person(DADONGMEN, "陈二", birth="20140101"), consent_on=D(2026, 11, 1),
                                            guardian_name="陈大", guardian_consent_on=D(2026, 11, 1))  # fmt: skip
    assert actions.do_sign_in(staff.village, activity, guarded, hours="1").hours == Decimal("1.0")
    with pytest.raises(NotFound):
        actions.do_sign_in(staff.other_village, activity, other, hours="1")


def test_registration_needs_consent_and_scope(staff, make_person):
    mine, theirs = make_person(DADONGMEN, "甲"), make_person(XINGSHENG, "乙")
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_volunteer(staff.village, person=theirs, consent_on=None)
    assert e.value.errors == {"person": "该人员不在您的管辖范围内", "consent_on": "请填写本人同意登记日期"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_volunteer(staff.village, person=mine, consent_on=D(2026, 12, 9))
    assert e.value.errors == {"consent_on": "本人同意登记日期不能晚于今天"}
    assert Volunteer.objects.count() == 0


def test_certificate_pdf_read_back(client, staff, adult, activity):
    actions.do_sign_in(staff.village, activity, adult, hours="2.5")
    second = actions.do_create_activity(staff.village, title="防诈宣传", division_code=DADONGMEN, held_on=D(2026, 11, 20))
    actions.do_sign_in(staff.village, second, adult, hours="1.5")
    client.force_login(staff.village_user)
    assert client.post(f"/volunteers/volunteers/{adult.pk}/certificate/").status_code == 302
    cert = adult.certificates.get()
    assert (cert.number, cert.total_hours, cert.activities) == ("ZYSC2026000001", Decimal("4.0"), 2)
    text = pdf_text(client.get(f"/volunteers/certificates/{cert.pk}.pdf").content)
    assert "志愿服务时长证明" in text and "ZYSC2026000001" in text and "陈志愿" in text and "累计志愿服务时长4.0小时" in text
    assert "重阳敬老义剪" in text and adult.person.id_number_masked in text
    client.force_login(staff.other_village_user)
    assert client.get(f"/volunteers/certificates/{cert.pk}.pdf").status_code == 404


def test_sign_in_screen_at_the_village(client, staff, adult, activity):
    client.force_login(staff.village_user)
    response = client.post(f"/volunteers/activities/{activity.pk}/", {"volunteer": str(adult.pk), "hours": "-1"})
    assert response.status_code == 422 and "服务时长应大于0小时，不能为负数或0" in response.text and ServiceHours.objects.count() == 0
    assert client.post(f"/volunteers/activities/{activity.pk}/", {"volunteer": str(adult.pk), "hours": "3"}).status_code == 302
    page = client.get(f"/volunteers/activities/{activity.pk}/").text
    assert "陈志愿 · 3.0小时" in page and "None" not in page


def test_a_request_from_the_person_page(client, staff, make_person, adult, system):
    elder = make_person(DADONGMEN, "孙奶奶", birth="19400101")
    station = actions.do_register_station(system, name="大东门社区志愿服务站", division_code=DADONGMEN, opened_on=D(2025, 1, 1))
    client.force_login(staff.village_user)
    page = client.get(f"/persons/{elder.pk}/").text
    assert "志愿服务" in page and f"/volunteers/requests/new/{elder.pk}/" in page
    with pytest.raises(ValidationFailed) as e:
        actions.do_raise_request(staff.village, person=adult.person, source="elderly", need="陪同就医")
    assert e.value.errors == {"source": "该人员未满60周岁，不能从老年人档案提出"}
    response = client.post(f"/volunteers/requests/new/{elder.pk}/", {"source": "elderly", "need": "每周陪同就医"})
    req = ServiceRequest.objects.get()
    assert response.status_code == 302 and (req.status, req.division_code) == ("open", DADONGMEN)
    assert "孙奶奶 · 每周陪同就医" in client.get("/volunteers/").text
    assert client.post(f"/volunteers/requests/{req.pk}/offer/", {"station": str(station.pk)}).status_code == 302
    assert client.post(f"/volunteers/requests/{req.pk}/respond/", {"response": "陈志愿每周三陪同", "responded_on": "2026-12-04"}).status_code == 302
    req.refresh_from_db()
    assert (req.status, req.station_id, req.response) == ("answered", station.pk, "陈志愿每周三陪同")
    assert "孙奶奶 · 每周陪同就医" not in client.get("/volunteers/").text
    client.force_login(staff.other_village_user)
    assert client.get(f"/volunteers/requests/{req.pk}/").status_code == 404


def test_add_buttons_only_for_who_may_add(client, staff):
    # a village worker registers volunteers and activities but not organisations or stations:
    # no button leading to a refusal page
    client.force_login(staff.village_user)
    assert "志愿者登记" in client.get("/volunteers/volunteers/").text and "发布活动" in client.get("/volunteers/activities/").text
    assert "建立站点" not in client.get("/volunteers/stations/").text and "登记组织" not in client.get("/volunteers/organisations/").text
    assert client.get("/volunteers/stations/new/").status_code == 403
    client.force_login(staff.town_user)
    assert "建立站点" in client.get("/volunteers/stations/").text and "登记组织" in client.get("/volunteers/organisations/").text
