"""Grants and checks agree (the kit's permission test) for the volunteer line."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.volunteers.permissions import VolunteerPerm


def entry_points():
    # 志愿者、活动签到、时长证明、需求: any level; 组织、队伍、站点: the town and the district.
    return {perm: [lambda actor, perm=perm: actor.require(perm)] for perm in VolunteerPerm}


@pytest.mark.parametrize("role", list(Role))
def test_grants_and_checks_agree(role):
    actor, guards = actor_for(role), entry_points()
    refused = [p.name for p in VolunteerPerm if p in actor.permissions and not any(allowed(g, actor) for g in guards[p])]
    let_through = [p.name for p in VolunteerPerm if p not in actor.permissions and any(allowed(g, actor) for g in guards[p])]
    assert (refused, let_through) == ([], [])
