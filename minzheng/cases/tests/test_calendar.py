"""The shared working-day calendar: holidays and 调休 Saturdays, edited only by district staff."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.cases.actions import do_delete_calendar_day, do_set_calendar_day
from minzheng.cases.calendar import WorkCalendar, calendar_days_since, work_calendar
from minzheng.cases.models import CalendarDay
from minzheng.cases.workflow import CALENDAR, TimeLimit
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["town", "approver", "other_town", "village"])
def test_only_the_district_keeps_the_calendar(people, who):
    with pytest.raises(PermissionDenied):
        do_set_calendar_day(getattr(people, who), date=dt.date(2026, 12, 31), is_workday=False, name="测试假日")
    assert not CalendarDay.objects.exists() and not AuditEvent.objects.filter(object_type="calendar_day").exists()


def test_district_sets_and_deletes_days_and_every_limit_counts_with_them(people):
    holiday = do_set_calendar_day(people.district, date=dt.date(2026, 12, 31), is_workday=False, name="测试假日")
    do_set_calendar_day(people.district, date=dt.date(2027, 1, 2), is_workday=True, name="调休上班")
    with pytest.raises(ValidationFailed) as e:
        do_set_calendar_day(people.district, date=dt.date(2027, 1, 4), is_workday=True)
    assert e.value.errors == {"is_workday": "周一至周五本来就是工作日，只有周末才需要设置调休上班"}
    with pytest.raises(ValidationFailed) as e:
        do_set_calendar_day(people.district, date=dt.date(2027, 1, 3), is_workday=False)
    assert e.value.errors == {"is_workday": "周末本来就不上班，无需设置为节假日"}
    calendar = work_calendar()
    assert [d.date for d in calendar_days_since(dt.date(2026, 1, 1))] == [dt.date(2026, 12, 31), dt.date(2027, 1, 2)]
    working = TimeLimit(2)
    assert working.deadline(dt.date(2026, 12, 30), calendar) == dt.date(2027, 1, 2)  # skips the 31st, works the Saturday
    assert TimeLimit(2, unit=CALENDAR).deadline(dt.date(2026, 12, 30), calendar) == dt.date(2027, 1, 1)
    do_delete_calendar_day(people.district, holiday.pk)
    with pytest.raises(NotFound):
        do_delete_calendar_day(people.district, holiday.pk)
    assert working.deadline(dt.date(2026, 12, 30), work_calendar()) == dt.date(2027, 1, 1)
    assert AuditEvent.objects.filter(object_type="calendar_day").count() == 3


def test_counting_rules_without_the_database():
    calendar = WorkCalendar({dt.date(2026, 11, 4): False})
    assert calendar.add_working_days(dt.date(2026, 11, 2), 2) == dt.date(2026, 11, 5)
    assert calendar.working_days_between(dt.date(2026, 11, 2), dt.date(2026, 11, 9)) == 4
    assert calendar.remaining(dt.date(2026, 11, 10), dt.date(2026, 11, 9)) == -1
    with pytest.raises(ValueError):
        calendar.add_working_days(dt.date(2026, 11, 2), 0)
