"""Grants and checks agree (the kit's permission test, as assistance/tests/test_grants.py): for
every role and every elderly-care permission it holds, an entry point guarded by that
permission lets the role act at the level it works at — and no role is let through what it was
not granted. The entry points: the order workflow's rows (role and level, checked by the case
kit) and the line's other actions (``actor.require``)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.eldercare import workflow
from minzheng.eldercare.permissions import EldercarePerm


def entry_points() -> dict[str, list[Callable[[Actor], None]]]:
    out: dict[str, list[Callable[[Actor], None]]] = {perm: [] for perm in EldercarePerm}
    for t in workflow.TRANSITIONS:
        out[t.perm].append(lambda actor, t=t: workflow.ORDER_WORKFLOW.check_actor(actor, t, SimpleNamespace()))
    # 服务申请, assessments, facilities, residents, visits, family beds, settlements: any level.
    out[EldercarePerm.MANAGE_ELDERCARE].append(lambda actor: actor.require(EldercarePerm.MANAGE_ELDERCARE))
    return out


def test_every_eldercare_permission_guards_something():
    assert all(entry_points()[perm] for perm in EldercarePerm)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_refused_what_it_was_granted(role):
    actor, guards = actor_for(role), entry_points()
    refused = [p.name for p in EldercarePerm if p in actor.permissions and not any(allowed(g, actor) for g in guards[p])]
    assert refused == []


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_let_through_what_it_was_not_granted(role):
    actor, guards = actor_for(role), entry_points()
    let_through = [p.name for p in EldercarePerm if p not in actor.permissions and any(allowed(g, actor) for g in guards[p])]
    assert let_through == []


def test_who_takes_each_order_step():
    steps = {
        role: [t.action for t in workflow.TRANSITIONS if allowed(lambda a, t=t: workflow.ORDER_WORKFLOW.check_actor(a, t, SimpleNamespace()), actor_for(role))]
        for role in (Role.VILLAGE_WORKER, Role.TOWN_OFFICER, Role.DISTRICT_STAFF, Role.TOWN_APPROVER)
    }
    every = ["dispatch", "check_in", "complete", "settle", "cancel", "cancel"]
    assert steps == {
        Role.VILLAGE_WORKER: ["check_in", "complete", "settle", "cancel", "cancel"],  # 派单: the town's or the district's
        Role.TOWN_OFFICER: every,
        Role.DISTRICT_STAFF: every,
        Role.TOWN_APPROVER: [],
    }
