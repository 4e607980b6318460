"""Grants and checks agree (the kit's permission test) for the place-name line."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.placenames.permissions import PlaceNamePerm
from minzheng.placenames.workflow import CHANGE_WORKFLOW, NAMING_WORKFLOW


def entry_points():
    out = {perm: [] for perm in PlaceNamePerm}
    for wf in (NAMING_WORKFLOW, CHANGE_WORKFLOW):
        for t in wf.transitions:
            if t.perm in out:
                out[t.perm].append(lambda actor, t=t, wf=wf: wf.check_actor(actor, t, SimpleNamespace()))
    out[PlaceNamePerm.MANAGE_PLACENAMES].append(lambda actor: actor.require(PlaceNamePerm.MANAGE_PLACENAMES))
    return out


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_refused_what_it_was_granted(role):
    actor, guards = actor_for(role), entry_points()
    assert [p.name for p in PlaceNamePerm if p in actor.permissions and not any(allowed(g, actor) for g in guards[p])] == []


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_let_through_what_it_was_not_granted(role):
    actor, guards = actor_for(role), entry_points()
    assert [p.name for p in PlaceNamePerm if p not in actor.permissions and any(allowed(g, actor) for g in guards[p])] == []
