"""The working-day calendar every line shares: Monday–Friday, minus public holidays, plus the
weekend days worked in exchange (调休). Exceptions are CalendarDay rows the district edits on
the settings screen (cases/actions.py: do_set_calendar_day / do_delete_calendar_day).

Time limits count days *after* the start day: started on day 0, a 30-working-day limit ends on
the 30th working day after it, and that whole day is still in time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from minzheng.cases.models import CalendarDay

ONE_DAY = dt.timedelta(days=1)


class WorkCalendar:
    """A snapshot of the calendar exceptions (cheap: a few dozen rows a year)."""

    def __init__(self, exceptions: dict[dt.date, bool] | None = None):
        self.exceptions = exceptions or {}

    @classmethod
    def load(cls) -> WorkCalendar:
        return cls(dict(CalendarDay.objects.values_list("date", "is_workday")))

    def is_workday(self, day: dt.date) -> bool:
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after `start` (n ≥ 1)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        day = start
        counted = 0
        while counted < n:
            day += ONE_DAY
            if self.is_workday(day):
                counted += 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
        if end == start:
            return 0
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += ONE_DAY
            if self.is_workday(day):
                count += 1
        return count

    def remaining(self, today: dt.date, deadline: dt.date) -> int:
        """Working days left until the deadline: 0 on the deadline day, negative once past."""
        return self.working_days_between(today, deadline)


def work_calendar() -> WorkCalendar:
    return WorkCalendar.load()


def workdays_in(days: Iterable[dt.date], calendar: WorkCalendar) -> list[dt.date]:
    return [d for d in days if calendar.is_workday(d)]


def calendar_days_since(day: dt.date):
    """The exceptions from `day` on, for the settings screen."""
    return CalendarDay.objects.filter(date__gte=day).order_by("date")
