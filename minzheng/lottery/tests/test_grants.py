"""Grants and checks agree: for every role and every lottery permission it holds, an entry point
guarded by that permission lets the role act at its level — and no role is let through what it
was not granted."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.lottery import workflow
from minzheng.lottery.permissions import LotteryPerm


def entry_points() -> dict[str, list[Callable[[Actor], None]]]:
    out: dict[str, list[Callable[[Actor], None]]] = {perm: [] for perm in LotteryPerm}
    for t in workflow.INSPECTION_WORKFLOW.transitions:
        out[t.perm].append(lambda actor, t=t: workflow.INSPECTION_WORKFLOW.check_actor(actor, t, SimpleNamespace()))
    out[LotteryPerm.VIEW_LOTTERY].append(lambda actor: actor.require(LotteryPerm.VIEW_LOTTERY))
    out[LotteryPerm.MANAGE_LOTTERY].append(lambda actor: actor.require(LotteryPerm.MANAGE_LOTTERY))
    return out


def test_every_lottery_permission_guards_something():
    assert all(entry_points()[perm] for perm in LotteryPerm)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_refused_what_it_was_granted(role):
    actor, guards = actor_for(role), entry_points()
    refused = [p.name for p in LotteryPerm if p in actor.permissions and not any(allowed(g, actor) for g in guards[p])]
    assert refused == []


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_let_through_what_it_was_not_granted(role):
    actor, guards = actor_for(role), entry_points()
    leaked = [p.name for p in LotteryPerm if p not in actor.permissions and any(allowed(g, actor) for g in guards[p])]
    assert leaked == []
