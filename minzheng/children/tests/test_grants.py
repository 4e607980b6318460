"""Grants and checks agree (the kit's permission test, docs/service-lines.md §A.4): for every
role and every children permission it holds, an entry point guarded by that permission lets
the role act at the level it works at — and no role is let through what it was not granted.
The entry points: the rows of both workflows (role and level, checked by the case kit), the
changes of a recognised child (town or district), and the line's other actions
(``actor.require``: 登记, 强制报告, 工作站 and child workers, 儿童福利院, 留守儿童评估和关爱服务)."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.children.actions import _require_manage
from minzheng.children.permissions import GRANTS, ChildrenPerm
from minzheng.children.workflow import PROTECTION, RECOGNITION


def entry_points() -> dict[str, list[Callable[[Actor], None]]]:
    out: dict[str, list[Callable[[Actor], None]]] = {perm: [] for perm in ChildrenPerm}
    for wf in (RECOGNITION, PROTECTION):
        for t in wf.transitions:
            out[t.perm].append(lambda actor, t=t, wf=wf: wf.check_actor(actor, t, SimpleNamespace()))
    out[ChildrenPerm.REVIEW_RECOGNITION].append(_require_manage)  # 变更、复核 of a recognised child
    for perm in (ChildrenPerm.REGISTER_CHILD, ChildrenPerm.REPORT_MINOR, ChildrenPerm.MANAGE_STATIONS, ChildrenPerm.MANAGE_INSTITUTION):
        out[perm].append(lambda actor, perm=perm: actor.require(perm))
    return out


def test_every_children_permission_guards_something():
    assert all(entry_points()[perm] for perm in ChildrenPerm)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_refused_what_it_was_granted(role):
    actor, guards = actor_for(role), entry_points()
    refused = [p.name for p in ChildrenPerm if p in actor.permissions and not any(allowed(g, actor) for g in guards[p])]
    assert refused == []


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_let_through_what_it_was_not_granted(role):
    actor, guards = actor_for(role), entry_points()
    let_through = [p.name for p in ChildrenPerm if p not in actor.permissions and any(allowed(g, actor) for g in guards[p])]
    assert let_through == []


def test_the_village_never_sees_protection_cases():
    assert Role.VILLAGE_WORKER in GRANTS[ChildrenPerm.REPORT_MINOR]
    assert Role.VILLAGE_WORKER not in GRANTS[ChildrenPerm.HANDLE_PROTECTION]
    assert GRANTS[ChildrenPerm.DECIDE_GUARDIANSHIP] == {Role.DISTRICT_STAFF}
    assert GRANTS[ChildrenPerm.MANAGE_INSTITUTION] == {Role.DISTRICT_STAFF}
