"""自行注册 on the citizens' site (issue 22 item 5), from the line's side: the registration is the
village's like any other; consent, age and one active registration are checked; staff cannot use
the citizens' action."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.actor import Actor
from minzheng.core.errors import PermissionDenied, ValidationFailed
from minzheng.volunteers import actions
from minzheng.volunteers.models import Volunteer
from minzheng.volunteers.selectors import list_volunteers_for, registration_of

pytestmark = pytest.mark.django_db
DADONGMEN = "500102006001"


def test_an_adult_registers_once_and_the_village_sees_it(staff, make_person):
    person = make_person(DADONGMEN, "刘秀兰", birth="19900315")
    citizen = Actor.citizen(5, "10.0.0.1")
    with pytest.raises(ValidationFailed) as no_consent:
        actions.do_register_volunteer_online(citizen, person=person, consent=False, skills="x" * 201)
    assert no_consent.value.errors == {"consent": "须本人同意登记为注册志愿者，并同意记录志愿服务信息", "skills": "服务技能不能超过200字"}
    v = actions.do_register_volunteer_online(citizen, person=person, consent=True, skills=" 护理 ")
    assert (v.division_code, v.consent_on, v.registered_on, v.skills, v.organisation_id) == (DADONGMEN, dt.date(2026, 12, 4), dt.date(2026, 12, 4), "护理", None)
    assert registration_of(person) == v
    assert list(list_volunteers_for(staff.village)) == [v] and list(list_volunteers_for(staff.other_village)) == []
    with pytest.raises(ValidationFailed) as twice:
        actions.do_register_volunteer_online(citizen, person=person, consent=True)
    assert twice.value.errors == {"consent": "您已是注册志愿者，无需重复登记"}
    actions.do_leave(staff.village, v, left_on=dt.date(2026, 12, 4))
    assert registration_of(person) is None


def test_a_minor_and_staff_are_refused(staff, make_person):
    minor = make_person(DADONGMEN, "周小雨", birth="20120601")
    with pytest.raises(ValidationFailed) as young:
        actions.do_register_volunteer_online(Actor.citizen(6), person=minor, consent=True)
    assert young.value.errors == {"consent": "未满18周岁的，请在监护人陪同下到所在村（社区）登记"}
    with pytest.raises(PermissionDenied):
        actions.do_register_volunteer_online(staff.village, person=minor, consent=True)
    assert not Volunteer.objects.exists()
