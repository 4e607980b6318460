"""Grants and checks agree (docs/service-lines.md §A.4): per permission, the guards of the entry
points it opens; every role holding a permission passes at least one at its level, and no role
passes a guard of a permission it was not granted."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.referrals import workflow
from minzheng.referrals.permissions import GRANTS, ReferralPerm


def entry_points() -> dict[str, list[Callable[[Actor], None]]]:
    out: dict[str, list[Callable[[Actor], None]]] = {perm: [] for perm in ReferralPerm}
    for t in workflow.TRANSITIONS:
        out[t.perm].append(lambda actor, t=t: workflow.REFERRAL.check_actor(actor, t, SimpleNamespace()))
    # 转介 itself (any level), reading, the units, the rehabilitation files: the permission only.
    for perm in ReferralPerm:
        out[perm].append(lambda actor, perm=perm: actor.require(perm))
    return out


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_refused_what_it_was_granted(role):
    actor, guards = actor_for(role), entry_points()
    refused = [p.name for p in ReferralPerm if p in actor.permissions and not any(allowed(g, actor) for g in guards[p])]
    assert refused == []


@pytest.mark.parametrize("role", list(Role))
def test_no_role_passes_what_it_was_not_granted(role):
    actor, guards = actor_for(role), entry_points()
    passed = [p.name for p in ReferralPerm if p not in actor.permissions and any(allowed(g, actor) for g in guards[p])]
    assert passed == []


def test_the_rehabilitation_files_are_for_the_staff_who_follow_them_up():
    assert GRANTS[ReferralPerm.REHAB] == {Role.TOWN_OFFICER, Role.DISTRICT_STAFF}
    assert GRANTS[ReferralPerm.MANAGE_RECEIVING_UNITS] == {Role.DISTRICT_STAFF}
