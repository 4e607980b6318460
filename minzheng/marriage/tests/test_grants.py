"""Grants and checks agree (docs/service-lines.md §A.4): every role granted a permission of this
line passes at least one of its guards; no other role passes any."""

from types import SimpleNamespace

import pytest

from minzheng.accounts.roles import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.marriage import workflow
from minzheng.marriage.actions import require_registrar
from minzheng.marriage.permissions import GRANTS, MarriagePerm


def entry_points():
    out = {perm: [] for perm in MarriagePerm}
    for wf in (workflow.MARRIAGE, workflow.DIVORCE, workflow.AMENDMENT):
        for t in wf.transitions:
            out[t.perm].append(lambda actor, t=t, wf=wf: wf.check_actor(actor, t, SimpleNamespace()))
    out[MarriagePerm.REGISTER_MARRIAGE].append(require_registrar)
    out[MarriagePerm.VIEW_MARRIAGE].append(lambda actor: actor.require(MarriagePerm.VIEW_MARRIAGE))
    out[MarriagePerm.VIEW_MARRIAGE_STATS].append(lambda actor: actor.require(MarriagePerm.VIEW_MARRIAGE_STATS))
    return out


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_refused_what_it_was_granted(role):
    actor, guards = actor_for(role), entry_points()
    refused = [p.name for p in MarriagePerm if p in actor.permissions and not any(allowed(g, actor) for g in guards[p])]
    assert refused == []
    leaked = [p.name for p in MarriagePerm if p not in actor.permissions and any(allowed(g, actor) for g in guards[p])]
    assert leaked == []


def test_the_grants():
    assert GRANTS == {
        MarriagePerm.REGISTER_MARRIAGE: {Role.MARRIAGE_REGISTRAR},
        MarriagePerm.VIEW_MARRIAGE: {Role.MARRIAGE_REGISTRAR, Role.DISTRICT_STAFF},
        MarriagePerm.VIEW_MARRIAGE_STATS: {Role.MARRIAGE_REGISTRAR, Role.DISTRICT_STAFF, Role.DISTRICT_LEADER},
    }
