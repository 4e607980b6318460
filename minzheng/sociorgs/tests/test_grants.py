"""Grants and checks agree for the social-organisation and charity lines: every permission a role
holds opens an entry point at the level the role works at, and none is let through otherwise."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.charity import selectors as charity_selectors
from minzheng.charity.permissions import CharityPerm
from minzheng.sociorgs import selectors, workflow
from minzheng.sociorgs.permissions import SociorgPerm

PERMS = [*SociorgPerm, *CharityPerm]


def entry_points():
    out = {perm: [] for perm in PERMS}
    for wf in (workflow.PROCEDURE_WORKFLOW, workflow.PENALTY_WORKFLOW):
        for t in wf.transitions:
            out[t.perm].append(lambda actor, t=t, wf=wf: wf.check_actor(actor, t, SimpleNamespace()))
    out[SociorgPerm.VIEW_SOCIORGS].append(lambda actor: selectors.list_organisations_for(actor))
    out[CharityPerm.VIEW_CHARITY].append(lambda actor: charity_selectors.list_charities_for(actor))
    out[CharityPerm.MANAGE_CHARITY].append(lambda actor: actor.require(CharityPerm.MANAGE_CHARITY))
    return out


def test_every_permission_guards_something():
    assert all(entry_points()[perm] for perm in PERMS)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_refused_what_it_was_granted(role):
    actor, guards = actor_for(role), entry_points()
    assert [p.name for p in PERMS if p in actor.permissions and not any(allowed(g, actor) for g in guards[p])] == []


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_let_through_what_it_was_not_granted(role):
    actor, guards = actor_for(role), entry_points()
    assert [p.name for p in PERMS if p not in actor.permissions and any(allowed(g, actor) for g in guards[p])] == []
