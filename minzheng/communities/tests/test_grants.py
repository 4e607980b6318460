"""Grants and checks agree (the kit's permission test) for the community-governance line."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.communities.permissions import CommunityPerm
from minzheng.communities.workflow import ELECTION_WORKFLOW
from minzheng.core.errors import PermissionDenied


def _district_only(actor: Actor) -> None:
    actor.require(CommunityPerm.MANAGE_DEMONSTRATION_SITES)
    if actor.level != "district":
        raise PermissionDenied()


def entry_points() -> dict[str, list[Callable[[Actor], None]]]:
    out: dict[str, list[Callable[[Actor], None]]] = {perm: [] for perm in CommunityPerm}
    for t in ELECTION_WORKFLOW.transitions:
        out[t.perm].append(lambda actor, t=t: ELECTION_WORKFLOW.check_actor(actor, t, SimpleNamespace()))
    out[CommunityPerm.MANAGE_ELECTIONS].append(lambda actor: actor.require(CommunityPerm.MANAGE_ELECTIONS))  # 启动, 联审意见
    out[CommunityPerm.MANAGE_COMMUNITY].append(lambda actor: actor.require(CommunityPerm.MANAGE_COMMUNITY))
    out[CommunityPerm.MANAGE_DEMONSTRATION_SITES].append(_district_only)  # do_add_site's checks
    return out


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_refused_what_it_was_granted(role):
    actor, guards = actor_for(role), entry_points()
    assert [p.name for p in CommunityPerm if p in actor.permissions and not any(allowed(g, actor) for g in guards[p])] == []


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_let_through_what_it_was_not_granted(role):
    actor, guards = actor_for(role), entry_points()
    assert [p.name for p in CommunityPerm if p not in actor.permissions and any(allowed(g, actor) for g in guards[p])] == []
