"""Appointments: slots with capacity, booking and cancelling, the counter list; the database
refuses an overbooked slot."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from minzheng.core.errors import PermissionDenied, ValidationFailed
from minzheng.marriage import actions, selectors
from minzheng.marriage.models import Appointment, Slot

pytestmark = pytest.mark.django_db
T = dt.time


@pytest.fixture
def office(registrar):
    return actions.do_create_office(registrar, name="涪陵区婚姻登记处", address="涪陵区太极大道")


def test_booking_fills_a_slot_and_the_next_is_refused(registrar, office):
    (slot,) = actions.do_open_slots(registrar, office, day=dt.date(2026, 12, 4), times=[(T(9), T(10))], capacity=2)
    a1 = actions.do_book_appointment(registrar, slot, kind="marriage", man_name="王建国", woman_name="李秀英", phone="13812345678")
    actions.do_book_appointment(registrar, slot, kind="divorce", man_name="张伟", woman_name="刘芳")
    with pytest.raises(ValidationFailed) as e:
        actions.do_book_appointment(registrar, slot, kind="marriage", man_name="赵一", woman_name="钱二")
    assert e.value.errors == {"slot": "该时段已约满，请选择其他时段"}
    assert Slot.objects.get(pk=slot.pk).booked == 2
    assert a1.number == f"YY20261204{a1.pk:05d}"
    assert a1.phone_masked == "138****5678"
    assert Appointment.objects.count() == 2
    actions.do_cancel_appointment(registrar, a1)
    assert Slot.objects.get(pk=slot.pk).booked == 1
    assert [(a.man_name, a.get_status_display()) for a in selectors.counter_list(registrar, dt.date(2026, 12, 4))] == [("张伟", "已预约")]


def test_the_database_refuses_an_overbooked_slot(registrar, office):
    (slot,) = actions.do_open_slots(registrar, office, day=dt.date(2026, 12, 5), times=[(T(9), T(10))], capacity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=2)


def test_bad_slots_are_refused(registrar, office):
    with pytest.raises(ValidationFailed) as e:
        actions.do_open_slots(registrar, office, day=dt.date(2026, 12, 3), times=[(T(10), T(9))], capacity=0)
    assert e.value.errors == {"day": "不能为已过去的日期开放预约", "capacity": "每个时段可预约对数应为1至200", "times": "时段的结束时间应晚于开始时间"}


@pytest.mark.parametrize("who", ["town", "village", "staff", "leader", "rescue"])
def test_other_roles_cannot_write(registrar, office, others, who):
    (slot,) = actions.do_open_slots(registrar, office, day=dt.date(2026, 12, 4), times=[(T(9), T(10))], capacity=2)
    with pytest.raises(PermissionDenied):
        actions.do_book_appointment(others[who], slot, kind="marriage", man_name="王", woman_name="李")
    with pytest.raises(PermissionDenied):
        actions.do_create_office(others[who], name="x")
    assert Appointment.objects.count() == 0
