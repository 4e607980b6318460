"""The navigation shows only what the user may open (issue 10 §6): for each demo account's role
and division, every module the navigation shows answers 200, and every module it hides is
refused to that user."""

from __future__ import annotations
from dataclasses import replace

import pytest

from minzheng.accounts.actions import demo_accounts
from minzheng.accounts.actor import build_actor
from minzheng.accounts.permissions import Perm
from minzheng.planning.loader import load_plan
from minzheng.web.navigation import MODULES, modules_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("username", "role", "codes"), [(u, r, c) for u, r, c, _ in demo_accounts()])
def test_every_shown_module_opens_and_every_hidden_one_is_refused(client, make_user, username, role, codes):
    load_plan()  # the plan-monitoring pages answer 404 until a plan is loaded
    user = make_user(role, *codes, username=username)
    client.force_login(user)
    home = client.get("/")
    assert home.status_code == 200
    shown = {m["url"] for m in home.context["nav_modules"]}
    assert shown == {m["url"] for m in modules_for(build_actor(user), "/")}
    for url in sorted(shown):
        assert client.get(url).status_code == 200, (username, url)
    everything = {m["url"] for m in modules_for(_all_permissions(user), "/")}
    hidden = everything - shown
    for url in sorted(hidden):
        assert client.get(url).status_code in (302, 403, 404), (username, url)


def _all_permissions(user):
    """The same user holding every permission: the modules that exist for the navigation."""
    return replace(build_actor(user), permissions=frozenset(Perm))


def test_every_registered_module_has_a_rule_of_who_sees_it_or_is_the_workbench():
    assert [m.label for m in MODULES if m.perm is None and m.shown_to is None] == ["工作台"]
