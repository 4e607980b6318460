"""Grants and checks agree (docs/service-lines.md §A.4): for every role and every rescue
permission it holds, an entry point guarded by it lets the role act at its level; no role is
let through what it was not granted."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.rescue import workflow
from minzheng.rescue.permissions import RescuePerm


def entry_points() -> dict[str, list[Callable[[Actor], None]]]:
    out: dict[str, list[Callable[[Actor], None]]] = {perm: [] for perm in RescuePerm}
    for t in workflow.TRANSITIONS:
        out[t.perm].append(lambda actor, t=t: workflow.CASE_WORKFLOW.check_actor(actor, t, SimpleNamespace()))
    # intake, beds, extensions, daily records, 寻亲, documents, campaigns: actor.require(STATION_WORK).
    out[RescuePerm.STATION_WORK].append(lambda actor: actor.require(RescuePerm.STATION_WORK))
    # 返乡回访, 防走失: actor.require(FOLLOW_UP_RETURNEES), any level (the village's people).
    out[RescuePerm.FOLLOW_UP_RETURNEES].append(lambda actor: actor.require(RescuePerm.FOLLOW_UP_RETURNEES))
    # the figures (selectors.statistics): actor.require(VIEW_RESCUE).
    out[RescuePerm.VIEW_RESCUE].append(lambda actor: actor.require(RescuePerm.VIEW_RESCUE))
    return out


def test_every_rescue_permission_guards_something():
    assert all(entry_points()[perm] for perm in RescuePerm)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_refused_what_it_was_granted(role):
    actor, guards = actor_for(role), entry_points()
    refused = [p.name for p in RescuePerm if p in actor.permissions and not any(allowed(g, actor) for g in guards[p])]
    assert refused == []


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_let_through_what_it_was_not_granted(role):
    actor, guards = actor_for(role), entry_points()
    let_through = [p.name for p in RescuePerm if p not in actor.permissions and any(allowed(g, actor) for g in guards[p])]
    assert let_through == []


def test_who_takes_the_station_steps():
    steps = {
        role: sorted({t.action for t in workflow.TRANSITIONS if allowed(lambda a, t=t: workflow.CASE_WORKFLOW.check_actor(a, t, SimpleNamespace()), actor_for(role))})
        for role in (Role.VILLAGE_WORKER, Role.TOWN_OFFICER, Role.DISTRICT_STAFF, Role.DISTRICT_LEADER, Role.RESCUE_STATION)
    }
    assert steps == {
        Role.VILLAGE_WORKER: [],
        Role.TOWN_OFFICER: [],
        Role.DISTRICT_STAFF: [],
        Role.DISTRICT_LEADER: [],
        Role.RESCUE_STATION: ["confirm_arrival", "die", "identify", "leave", "mark_long_stay", "refuse", "return_home", "settle", "start_settlement"],
    }
