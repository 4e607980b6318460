"""Grants and checks agree (the kit's permission test): for every role and every funeral
permission it holds, an entry point guarded by that permission lets the role act at the level
it works at — and no role is let through what it was not granted."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.funerals import actions, workflow
from minzheng.funerals.permissions import FuneralPerm


def entry_points() -> dict[str, list[Callable[[Actor], None]]]:
    out: dict[str, list[Callable[[Actor], None]]] = {perm: [] for perm in FuneralPerm}
    for wf in (workflow.RECORD_WORKFLOW, workflow.INSPECTION_WORKFLOW):
        for t in wf.transitions:
            out[t.perm].append(lambda actor, t=t, wf=wf: wf.check_actor(actor, t, SimpleNamespace()))
    # 报丧, 暂存告别治丧, 散埋乱葬, 网上祭扫: any level.
    out[FuneralPerm.MANAGE_FUNERALS].append(lambda actor: actor.require(FuneralPerm.MANAGE_FUNERALS))
    # 设施, 墓位, 价格, 检查: town and district.
    out[FuneralPerm.MANAGE_FUNERAL_FACILITIES].append(lambda actor: actor.require(FuneralPerm.MANAGE_FUNERAL_FACILITIES))
    # 结算: the district.
    out[FuneralPerm.SETTLE_FUNERAL_WAIVERS].append(lambda actor: actions._require_district(actor, "惠民殡葬结算"))
    return out


def test_every_funeral_permission_guards_something():
    assert all(entry_points()[perm] for perm in FuneralPerm)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_refused_what_it_was_granted(role):
    actor, guards = actor_for(role), entry_points()
    refused = [p.name for p in FuneralPerm if p in actor.permissions and not any(allowed(g, actor) for g in guards[p])]
    assert refused == []


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_let_through_what_it_was_not_granted(role):
    actor, guards = actor_for(role), entry_points()
    let_through = [p.name for p in FuneralPerm if p not in actor.permissions and any(allowed(g, actor) for g in guards[p])]
    assert let_through == []


def test_who_takes_each_record_step():
    def steps(role):
        return [t.action for t in workflow.RECORD_TRANSITIONS
                if allowed(lambda a, t=t: workflow.RECORD_WORKFLOW.check_actor(a, t, SimpleNamespace()), actor_for(role))]  # fmt: skip

    every = ["transport", "cremate", "bury", "store_ashes", "inter", "inter"]
    assert steps(Role.VILLAGE_WORKER) == ["bury", "inter", "inter"]  # 接运, 火化, 寄存: the funeral home (district) or the town
    assert steps(Role.TOWN_OFFICER) == every
    assert steps(Role.DISTRICT_STAFF) == every
    assert steps(Role.TOWN_APPROVER) == []
    assert steps(Role.DISTRICT_LEADER) == []
