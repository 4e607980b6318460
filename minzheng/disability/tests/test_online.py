"""网上申请 of 两项补贴 (issue 22): the citizen's path shares the staff's one registration (the
same checks, the same workflow), only for the citizen's own household; marked for the town.
Clock: 2026-12-04 (root conftest)."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.actor import Actor
from minzheng.cases.tasks import open_tasks_for
from minzheng.core.errors import PermissionDenied, ValidationFailed
from minzheng.disability import actions
from minzheng.disability.actions import ApplicationInput, Certificate
from minzheng.disability.enums import Outcome, Status, Subsidy
from minzheng.disability.models import SubsidyApplication
from minzheng.disability.selectors import application_of_family, applications_of_family, handler_of
from minzheng.registry.actions import do_add_household_member

from .conftest import DADONGMEN, certificate_of

pytestmark = pytest.mark.django_db
CITIZEN = Actor.citizen(1, "10.0.0.1")


@pytest.fixture
def family(make_household, make_person, system_actor, id_number):
    household = make_household(DADONGMEN, ("刘建国", "刘秀兰"))
    disabled = make_person(DADONGMEN, "刘小军", id_number=id_number("19900415", "321"))
    do_add_household_member(system_actor, household, disabled, relation="child")
    return household, disabled


def online(person, subsidy=Subsidy.CARE, **kw):
    return ApplicationInput(person_id=person.pk, subsidy=subsidy, **kw)


def test_a_citizen_applies_for_a_member_and_the_case_is_the_lines(family, staff):
    household, disabled = family
    head = household.head
    cert = dict(certificate_number=certificate_of(disabled, "4", 2), certificate_category="physical", certificate_grade=2,
                certificate_issued_on=dt.date(2026, 3, 10), certificate_checked=True)  # fmt: skip
    a = actions.do_submit_online_application(CITIZEN, online(disabled, **cert), applicant=head)
    assert (a.channel, a.applicant_id, a.person_id, a.source, a.status, a.number) == (
        "online", head.pk, disabled.pk, "application", Status.SUBMITTED, f"CB2026{a.pk:06d}")
    assert a.certificate_checked is False  # what a citizen types is checked by the town, not taken
    assert a.certificate_number_masked == certificate_of(disabled, "4", 2)[:6] + "**********" + certificate_of(disabled, "4", 2)[-4:]
    assert [t.title for t in open_tasks_for(staff.town) if t.case == a] == [f"{a.number}（网上申请）"]
    # The line's own rules apply unchanged: one live application a subsidy, from staff or online.
    with pytest.raises(ValidationFailed) as e:
        actions.do_submit_online_application(CITIZEN, online(disabled), applicant=head)
    assert e.value.errors == {"subsidy": "该人员已有重度残疾人护理补贴申请正在办理或正在享受"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_application(staff.village, online(disabled))
    assert e.value.errors == {"subsidy": "该人员已有重度残疾人护理补贴申请正在办理或正在享受"}
    # The town checks the original, then the usual path to the payment.
    a = actions.do_record_certificate(staff.town, a, expected_version=a.version, certificate=Certificate(
        cert["certificate_number"], "physical", 2, dt.date(2026, 3, 10)))  # fmt: skip
    a = actions.do_accept_application(staff.town, a, expected_version=a.version)
    assert (a.status, handler_of(a)) == (Status.REVIEW, "乡镇（街道）审核")
    a = actions.do_review_application(staff.town, a, expected_version=a.version, outcome=Outcome.APPROVE, opinion="情况属实")
    a = actions.do_decide_application(staff.district, a, expected_version=a.version, outcome=Outcome.APPROVE)
    assert (a.status, a.amount_fen) == (Status.APPROVED, 8000)


def test_only_the_citizens_household_and_the_same_checks(family, staff, make_household):
    household, disabled = family
    stranger = make_household(DADONGMEN, ("王大明", "赵小红")).head
    with pytest.raises(ValidationFailed) as e:
        actions.do_submit_online_application(CITIZEN, online(stranger), applicant=household.head)
    assert e.value.errors == {"person_id": "只能为本人或本户家庭成员申请"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_submit_online_application(CITIZEN, online(disabled, subsidy=""), applicant=household.head)
    assert e.value.errors == {"subsidy": "请选择补贴项目"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_submit_online_application(
            CITIZEN, online(disabled, certificate_number="123", certificate_category="physical", certificate_grade=2,
                            certificate_issued_on=dt.date(2026, 3, 10)), applicant=household.head)  # fmt: skip
    assert e.value.errors == {"certificate_number": "残疾人证号应为20位：18位身份证号码加残疾类别、残疾等级各1位"}
    with pytest.raises(PermissionDenied):
        actions.do_submit_online_application(staff.village, online(disabled), applicant=household.head)
    assert not SubsidyApplication.objects.exists()


def test_the_family_reads_its_own_cases_only(family, staff, make_household):
    household, disabled = family
    a = actions.do_register_application(staff.village, online(disabled))  # taken at the village
    assert a.channel == "counter"
    assert list(applications_of_family(household.head)) == [a]  # the household's member's case
    assert application_of_family(disabled, a.pk) == a
    stranger = make_household(DADONGMEN, ("王大明", "赵小红")).head
    assert list(applications_of_family(stranger)) == []


def test_the_town_opens_the_familys_photo_another_town_gets_404(family, staff, client):
    household, disabled = family
    from minzheng.citizen.tests.test_apply import jpeg_with_exif  # local import: the shared test photo of the citizens' tests

    a = actions.do_submit_online_application(CITIZEN, online(disabled), applicant=household.head)
    photo = actions.do_add_online_photo(CITIZEN, a.pk, applicant=household.head, filename="IMG.jpg", content=jpeg_with_exif())
    with pytest.raises(ValidationFailed) as e:
        actions.do_add_online_photo(CITIZEN, a.pk, applicant=household.head, filename="x.exe", content=b"MZ" * 50)
    assert e.value.errors == {"file": "“x.exe”不是 JPG 或 PNG 图片"}
    client.force_login(staff.town_user)
    page = client.get(f"/disability/applications/{a.pk}/").content.decode()
    assert f'href="/disability/photos/{photo.pk}/"' in page and "残疾人证照片1" in page
    response = client.get(f"/disability/photos/{photo.pk}/")
    assert (response.status_code, response["Content-Type"]) == (200, "image/jpeg")
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"  # read to the end: the client then closes the file (close() would end the test's connection on PostgreSQL)
    client.force_login(staff.other_town_user)
    assert client.get(f"/disability/photos/{photo.pk}/").status_code == 404
