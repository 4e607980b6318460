"""`minzheng demo --no-serve`: prepares a demo database and is safe to run twice.

Transactional tests: the generator loads in bulk with SQLite pragmas that cannot change
inside the transaction an ordinary django_db test wraps around it.
"""

from __future__ import annotations

import io
import sys
import types

import pytest
from django.core.management import call_command

from minzheng.accounts.actions import DEMO_PASSWORD, demo_accounts
from minzheng.accounts.models import User
from minzheng.registry.models import Person
from minzheng.web.management.commands import demo


def run_demo(*args: str) -> str:
    out = io.StringIO()
    call_command("demo", "--no-serve", "--scale", "0.001", "--seed", "7", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_demo_prepares_accounts_and_prints_them_with_the_password():
    output = run_demo()
    usernames = [a[0] for a in demo_accounts()]
    assert set(User.objects.filter(username__in=usernames).values_list("username", flat=True)) == set(usernames)
    user = User.objects.get(username="village_500102006001")
    assert user.check_password(DEMO_PASSWORD)
    assert not user.must_change_password  # demo accounts log straight in
    assert DEMO_PASSWORD in output
    assert "village_500102006001" in output and "大东门社区" in output


@pytest.mark.django_db(transaction=True)
def test_demo_twice_changes_nothing_the_second_time():
    run_demo()
    people = Person.objects.count()
    output = run_demo()
    assert Person.objects.count() == people
    assert User.objects.filter(username__in=[a[0] for a in demo_accounts()]).count() == len(demo_accounts())
    assert "已存在，未改动" in output


@pytest.mark.django_db(transaction=True)
def test_demo_calls_each_existing_seeder_with_seed_and_scale(monkeypatch):
    calls = []
    fake = types.ModuleType("minzheng.web.fake_demo_seeder")
    fake.seed_demo = lambda *, seed, scale: calls.append((seed, scale)) or {"演示项目": 3}
    monkeypatch.setitem(sys.modules, fake.__name__, fake)
    monkeypatch.setattr(demo, "DEMO_SEEDERS", ["minzheng.nonexistent_app.demo", fake.__name__])

    output = run_demo()
    assert calls == [(7, 0.001)]
    assert "演示项目：3" in output


def test_optional_module_skips_only_missing_modules():
    assert demo._optional_module("minzheng.nonexistent_app.demo") is None
    assert demo._optional_module("minzheng.web.no_such_module") is None
    assert demo._optional_module("minzheng.web.navigation") is not None
