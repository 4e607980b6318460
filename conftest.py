"""Shared fixtures: the real division tree, users at each level, small households."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

# Browser tests drive Debian's Chromium: Playwright's own browser download is blocked here.
CHROMIUM = os.environ.get("MINZHENG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # The machine has no network but the package registries: without these Chromium keeps
    # trying to reach Google's hosts and logs refused connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# The suite's clock: every test starts at this instant, frozen (time-machine, tick=False), so no
# test and no demo data depend on the real date. The live server of the browser tests runs in
# a thread of the test process and sees the same clock.
SHANGHAI = ZoneInfo("Asia/Shanghai")
FROZEN_AT = dt.datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI)


def local_instant(when: dt.date | dt.datetime) -> dt.datetime:
    """A date → 09:00 that day in Shanghai; an aware datetime as it is."""
    if isinstance(when, dt.datetime):
        assert when.tzinfo is not None, "travel to an aware datetime"
        return when
    return dt.datetime.combine(when, dt.time(9, 0), tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _frozen_clock(time_machine):
    time_machine.move_to(FROZEN_AT, tick=False)
    yield


@pytest.fixture(scope="session", autouse=True)
def _temporary_media_root(tmp_path_factory):
    """Uploads, photos, generated files and work files (the facts snapshot, screening
    partitions) of the tests go to temporary folders, never into the demo's var/ (browser
    screenshots go to pytest's temporary folder too)."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"), MINZHENG_WORK_DIR=tmp_path_factory.mktemp("work")):
        yield


@pytest.fixture
def travel(time_machine):
    """travel(day_or_datetime): move the frozen clock (a date means 09:00 Shanghai that day)."""

    def move(when: dt.date | dt.datetime) -> None:
        time_machine.move_to(local_instant(when), tick=False)

    return move


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "zh-CN",
        "timezone_id": "Asia/Shanghai",
        "viewport": {"width": 1280, "height": 800},
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the 461 real divisions once for the whole session."""
    from minzheng.divisions.directory import invalidate_directory
    from minzheng.divisions.loader import load_divisions

    with django_db_blocker.unblock():
        load_divisions()
        invalidate_directory()


@pytest.fixture
def system_actor():
    from minzheng.accounts.actor import Actor

    return Actor.system("测试数据准备")


@pytest.fixture
def make_user(db, system_actor):
    from minzheng.accounts.actions import do_create_staff_user

    counter = {"n": 0}

    def make(role: str, *codes: str, username: str | None = None, password: str = "test-pass-12345"):
        counter["n"] += 1
        return do_create_staff_user(
            system_actor,
            username=username or f"{role}_{counter['n']}",
            password=password,
            role=role,
            division_codes=list(codes),
            must_change_password=False,
            validate=False,
        )

    return make


@pytest.fixture
def actor_of():
    from minzheng.accounts.actor import build_actor

    def build(user, ip: str = "127.0.0.1"):
        return build_actor(user, ip)

    return build


@pytest.fixture
def id_number():
    """id_number(birth='19520120', seq='780', area='500102') → a valid 18-digit number."""
    from minzheng.core.idnumber import check_digit

    def make(birth: str = "19520120", seq: str = "780", area: str = "500102") -> str:
        first17 = area + birth + seq
        return first17 + check_digit(first17)

    return make


@pytest.fixture
def make_person(db, system_actor, id_number):
    from minzheng.registry.actions import PersonInput, do_register_person

    counter = {"n": 100}

    def make(division_code: str = "500102006001", name: str = "张三丰", **kw):
        counter["n"] += 2
        number = kw.pop("id_number", None) or id_number(kw.pop("birth", "19520120"), f"{counter['n']:03d}")
        return do_register_person(
            system_actor, PersonInput(id_number=number, name=name, division_code=division_code, **kw)
        )

    return make


@pytest.fixture
def make_household(db, system_actor, make_person):
    from minzheng.registry.actions import do_add_household_member, do_create_household

    def make(division_code: str = "500102006001", names=("张三丰", "李四")):
        head = make_person(division_code, names[0])
        household = do_create_household(system_actor, head=head)
        for n in names[1:]:
            do_add_household_member(system_actor, household, make_person(division_code, n), relation="spouse")
        household.refresh_from_db()
        return household

    return make


@pytest.fixture(autouse=True)
def _fresh_division_directory():
    """Tests that change divisions roll back; the cached tree must not outlive them."""
    yield
    from minzheng.divisions.directory import invalidate_directory

    invalidate_directory()


@pytest.fixture(autouse=True)
def _divisions_survive_flush(request):
    """Transactional and browser tests flush every table, the session's divisions with them."""
    marker = request.node.get_closest_marker("django_db")
    by_marker = marker is not None and bool(marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    if by_marker or {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        from minzheng.divisions.directory import invalidate_directory
        from minzheng.divisions.loader import load_divisions

        load_divisions()
        invalidate_directory()
    yield
