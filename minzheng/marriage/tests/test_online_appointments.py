"""网上预约 from the registry's side (issue 22 item 5): a citizen's booking takes a seat like the
counter's, is on the counter's day list and the appointment list, and only its own account can
cancel it; staff cannot use the citizens' actions."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.actor import Actor
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.marriage import actions, selectors
from minzheng.marriage.models import Appointment, Slot

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 12, 7)


@pytest.fixture
def slot(registrar):
    office = actions.do_create_office(registrar, name="涪陵区婚姻登记处")
    return actions.do_open_slots(registrar, office, day=MONDAY, times=[(dt.time(9), dt.time(10))], capacity=2)[0]


def book(account_id: int, slot, **kw):
    data = {"kind": "marriage", "man_name": "王建国", "woman_name": "李秀英", "phone": "13812345678"} | kw
    return actions.do_book_appointment_online(Actor.citizen(account_id, "10.0.0.1"), slot.pk, account_id=account_id, **data)


def test_an_online_booking_is_on_the_registrys_lists(registrar, slot, travel):
    a = book(7, slot)
    assert (a.citizen_account_id, a.phone_masked, a.created_by_id, a.number) == (7, "138****5678", None, f"YY20261207{a.pk:05d}")
    assert list(selectors.list_appointments_for(registrar, from_day=dt.date(2026, 12, 4))) == [a]
    assert list(selectors.appointments_of_account(7)) == [a] and list(selectors.appointments_of_account(8)) == []
    travel(MONDAY)
    assert list(selectors.counter_list(registrar, MONDAY)) == [a]
    actions.do_mark_arrived(registrar, a)
    with pytest.raises(Exception) as refused:
        actions.do_cancel_appointment_online(Actor.citizen(7), a.pk, account_id=7)
    assert refused.value.message == "该预约当前为“已到场”，不能取消"


def test_seats_one_open_booking_an_account_and_cancelling(slot):
    book(1, slot)
    with pytest.raises(ValidationFailed) as second:
        book(1, slot)
    assert second.value.errors == {"slot": "您已有一个预约（2026年12月7日 09:00），请先取消后再重新预约"}
    other = book(2, slot)
    with pytest.raises(ValidationFailed) as full:
        book(3, slot)
    assert full.value.errors == {"slot": "该时段已约满，请选择其他时段"}
    assert Slot.objects.get(pk=slot.pk).booked == 2 and Appointment.objects.count() == 2
    with pytest.raises(NotFound):
        actions.do_cancel_appointment_online(Actor.citizen(1), other.pk, account_id=1)
    actions.do_cancel_appointment_online(Actor.citizen(2), other.pk, account_id=2)
    assert Slot.objects.get(pk=slot.pk).booked == 1
    assert [s.pk for s in selectors.slots_for_booking(days=14)] == [slot.pk]


def test_bad_input_and_staff_are_refused(registrar, slot):
    with pytest.raises(ValidationFailed) as bad:
        actions.do_book_appointment_online(Actor.citizen(1), "x", kind="adoption", man_name=" ", woman_name="", account_id=1)
    assert bad.value.errors == {"kind": "请选择办理事项", "man_name": "请填写男方姓名", "woman_name": "请填写女方姓名", "slot": "请选择预约时段"}
    with pytest.raises(PermissionDenied):
        actions.do_book_appointment_online(registrar, slot.pk, kind="marriage", man_name="甲", woman_name="乙", account_id=1)
    with pytest.raises(PermissionDenied):
        actions.do_book_appointment_online(Actor.citizen(None), slot.pk, kind="marriage", man_name="甲", woman_name="乙", account_id=0)
    assert not Appointment.objects.exists() and Slot.objects.get(pk=slot.pk).booked == 0
