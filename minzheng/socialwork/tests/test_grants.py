"""Grants and checks agree (the kit's permission test) for the social-work line."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.socialwork import workflow
from minzheng.socialwork.permissions import SocialworkPerm


def entry_points() -> dict[str, list[Callable[[Actor], None]]]:
    out: dict[str, list[Callable[[Actor], None]]] = {perm: [] for perm in SocialworkPerm}
    for t in workflow.TRANSITIONS:
        out[t.perm].append(lambda actor, t=t: workflow.PROJECT_WORKFLOW.check_actor(actor, t, SimpleNamespace()))
    # 人才、站点、机构、服务记录、提出拨付: the town and the district (actions require the permission).
    out[SocialworkPerm.MANAGE_SOCIAL_WORK].append(lambda actor: actor.require(SocialworkPerm.MANAGE_SOCIAL_WORK))
    out[SocialworkPerm.APPROVE_SERVICE_PAYMENTS].append(lambda actor: actor.require(SocialworkPerm.APPROVE_SERVICE_PAYMENTS))
    return out


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_refused_what_it_was_granted(role):
    actor, guards = actor_for(role), entry_points()
    refused = [p.name for p in SocialworkPerm if p in actor.permissions and not any(allowed(g, actor) for g in guards[p])]
    assert refused == []


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_let_through_what_it_was_not_granted(role):
    actor, guards = actor_for(role), entry_points()
    let_through = [p.name for p in SocialworkPerm if p not in actor.permissions and any(allowed(g, actor) for g in guards[p])]
    assert let_through == []
