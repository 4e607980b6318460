"""Today's date and the current time, in one place.

Every "today" of the platform comes from here (local date, Asia/Shanghai). Tests freeze it for
the whole process with time-machine (see the root ``conftest.py``: an autouse fixture and a
``travel`` fixture), so nothing depends on the real date or on wall time.

``as_of(day)`` is for demo seeders only: the actions they call run "as if" on an earlier day
(a case accepted six weeks ago), while ``now()`` stays the real instant of the write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import timezone

_as_of: ContextVar[dt.date | None] = ContextVar("minzheng_as_of", default=None)


def today() -> dt.date:
    day = _as_of.get()
    return day if day is not None else timezone.localdate()


def now() -> dt.datetime:
    return timezone.now()


@contextmanager
def as_of(day: dt.date) -> Iterator[dt.date]:
    """Within the block ``today()`` is ``day`` (demo data that back-date their cases)."""
    token = _as_of.set(day)
    try:
        yield day
    finally:
        _as_of.reset(token)
