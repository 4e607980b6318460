"""Today's date and the current time, in one place.

Every "today" of the platform comes from here (local date, Asia/Shanghai). Tests freeze it for
the whole process with time-machine (see the root ``conftest.py``), so nothing depends on the
real date or on wall time.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()


def now() -> dt.datetime:
    return timezone.now()
