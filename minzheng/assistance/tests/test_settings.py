"""Settings: the working-day calendar and the per-program choices, district only, audited."""

import datetime as dt

import pytest

from minzheng.assistance.models import ProgramConfig
from minzheng.cases.actions import do_delete_calendar_day, do_set_calendar_day
from minzheng.cases.calendar import WorkCalendar, work_calendar
from minzheng.cases.models import CalendarDay
from minzheng.core.errors import PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_calendar_days_shift_working_days(staff):
    day = do_set_calendar_day(staff.district, date=dt.date(2026, 12, 31), is_workday=False, name="测试假日")
    do_set_calendar_day(staff.district, date=dt.date(2027, 1, 2), is_workday=True, name="调休上班")
    cal = work_calendar()
    assert not cal.is_workday(dt.date(2026, 12, 31)) and cal.is_workday(dt.date(2027, 1, 2))
    assert cal.add_working_days(dt.date(2026, 12, 30), 1) == dt.date(2027, 1, 1)
    assert cal.add_working_days(dt.date(2026, 12, 30), 2) == dt.date(2027, 1, 2)
    with pytest.raises(ValidationFailed):
        do_set_calendar_day(staff.district, date=dt.date(2027, 1, 4), is_workday=True)  # a Monday
    with pytest.raises(PermissionDenied):
        do_set_calendar_day(staff.approver, date=dt.date(2027, 1, 5), is_workday=False)
    do_delete_calendar_day(staff.district, day.pk)
    assert CalendarDay.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="calendar_day").count() == 3


def test_working_days_between_and_remaining():
    cal = WorkCalendar({dt.date(2026, 11, 4): False})
    assert cal.working_days_between(dt.date(2026, 11, 2), dt.date(2026, 11, 9)) == 4
    assert cal.remaining(dt.date(2026, 11, 9), dt.date(2026, 11, 9)) == 0
    assert cal.remaining(dt.date(2026, 11, 10), dt.date(2026, 11, 9)) == -1


def test_settings_screen_saves_program_config(staff, client):
    client.force_login(staff.district_user)
    r = client.post("/assistance/settings/", {"form": "config-dibao", "dibao-confirm_level": "town", "dibao-requires_publicity": "on", "dibao-complaint_phone": "023-12345678"})
    assert r.status_code == 302
    row = ProgramConfig.objects.get(program="dibao")
    assert (row.confirm_level, row.requires_publicity, row.mask_names_in_notice, row.complaint_phone) == ("town", True, False, "023-12345678")
    client.force_login(staff.approver_user)
    assert client.get("/assistance/settings/").status_code == 403
