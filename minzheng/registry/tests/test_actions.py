"""Registration and household changes: validation in Chinese, nothing written on refusal."""

import datetime as dt

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.core.crypto import blind_index, decrypt_text
from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.registry.actions import (
    PersonInput,
    do_record_death,
    do_register_person,
    do_update_person,
    reveal_id_number,
)
from minzheng.registry.models import HouseholdMembership, Person

pytestmark = pytest.mark.django_db


def test_registration_encrypts_and_masks(system_actor, id_number):
    number = id_number("19520120", "780")
    person = do_register_person(system_actor, PersonInput(id_number=number, name="曾小贤", division_code="500102006001"))
    row = Person.objects.get(pk=person.pk)
    assert number not in row.id_number_encrypted
    assert decrypt_text(row.id_number_encrypted) == number
    assert row.id_number_index == blind_index(number)
    assert row.id_number_masked == "500102********7809"
    assert (row.sex, row.birth_date) == ("F", dt.date(1952, 1, 20))
    assert (row.name_pinyin, row.name_initials) == ("zengxiaoxian", "zxx")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"id_number": "500102195201207808"}, "id_number", "身份证号码校验位错误，请核对"),
        ({"division_code": "500102999001"}, "division_code", "区划代码“500102999001”不存在"),
        ({"division_code": "500102006"}, "division_code", "请选择到村（社区）一级"),
        ({"name": "张" * 51}, "name", "姓名不能超过50个字符"),
        ({"name": "  "}, "name", "请填写姓名"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_writes_nothing(system_actor, changes, field, message):
    data = {"id_number": "500102195201207809", "name": "张三", "division_code": "500102006001", **changes}
    with pytest.raises(ValidationFailed) as e:
        do_register_person(system_actor, PersonInput(**data))
    assert e.value.errors[field] == message
    assert Person.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_duplicate_id_number_is_refused(system_actor):
    do_register_person(system_actor, PersonInput(id_number="500102195201207809", name="张三", division_code="500102006001"))
    with pytest.raises(ValidationFailed) as e:
        # the legacy 15-digit form of the same number is the same person
        do_register_person(system_actor, PersonInput(id_number="500102520120780", name="张三", division_code="500102006001"))
    assert e.value.errors == {"id_number": "该身份证号码已登记，不能重复建档"}
    assert Person.objects.count() == 1


def test_village_worker_cannot_register_in_another_village(make_user, actor_of):
    actor = actor_of(make_user(Role.VILLAGE_WORKER, "500102006001"))
    with pytest.raises(NotFound):
        do_register_person(actor, PersonInput(id_number="500102195201207809", name="张三", division_code="500102119001"))
    assert Person.objects.count() == 0


def test_leader_cannot_write(make_user, actor_of):
    actor = actor_of(make_user(Role.DISTRICT_LEADER, "500102"))
    with pytest.raises(PermissionDenied):
        do_register_person(actor, PersonInput(id_number="500102195201207809", name="张三", division_code="500102006001"))


def test_update_uses_optimistic_locking(make_person, system_actor):
    person = make_person(name="张三")
    do_update_person(system_actor, person, expected_version=1, changes={"name": "张三丰"})
    with pytest.raises(DomainError) as e:
        do_update_person(system_actor, person, expected_version=1, changes={"name": "张四"})
    assert e.value.message == "该记录已被其他用户修改，请刷新后重试"
    person.refresh_from_db()
    assert (person.name, person.name_initials, person.version) == ("张三丰", "zsf", 2)
    event = AuditEvent.objects.filter(action="update", object_id=str(person.pk)).get()
    assert event.changed_fields == {"name": ["张三", "张三丰"]}


def test_household_membership_history_and_death(make_household, system_actor):
    household = make_household(names=("王大", "王二"))
    assert household.member_count == 2
    second = HouseholdMembership.objects.get(household=household, relation="spouse").person
    do_record_death(system_actor, second, death_date=dt.date(2025, 3, 1))
    household.refresh_from_db()
    assert household.member_count == 1
    closed = HouseholdMembership.objects.get(person=second)
    assert (closed.valid_to, closed.reason_left) == (dt.date(2025, 3, 1), "death")
    second.refresh_from_db()
    assert second.is_deceased and second.household_id is None


def test_reveal_needs_permission_and_is_audited(make_person, make_user, actor_of):
    person = make_person()
    worker = actor_of(make_user(Role.VILLAGE_WORKER, "500102006001"))
    with pytest.raises(PermissionDenied):
        reveal_id_number(worker, person)
    approver = actor_of(make_user(Role.TOWN_APPROVER, "500102006"))
    assert reveal_id_number(approver, person) == decrypt_text(person.id_number_encrypted)
    assert AuditEvent.objects.filter(action="reveal", object_id=str(person.pk), username=approver.username).count() == 1


def test_system_actor_is_labelled_in_audit(make_person):
    person = make_person()
    event = AuditEvent.objects.get(action="create", object_id=str(person.pk))
    assert (event.actor_kind, event.username) == ("system", "system")
    assert Actor.system("x").is_system
