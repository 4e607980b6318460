"""Grants and checks agree: every role holding a permission that guards workflow steps may take
at least one of those steps at the level it works at (审批: the level of the parameters);
登记 has no level check, only the scope; the changes of a subsidised person are the town's
and the district's."""

from __future__ import annotations

from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.disability import params
from minzheng.disability.actions import _require_manage
from minzheng.disability.permissions import GRANTS, DisabilityPerm
from minzheng.disability.workflow import APPLICATION

LEVEL = {
    Role.VILLAGE_WORKER: "village", Role.TOWN_OFFICER: "town", Role.TOWN_APPROVER: "town",
    Role.DISTRICT_STAFF: "district", Role.DISTRICT_LEADER: "district", Role.SYSTEM_ADMIN: "district",
}


def _levels(transition) -> set[str]:
    levels = transition.levels
    if not isinstance(levels, tuple):  # CaseField("decide_level"): the parameters' level
        return {params.DECISION_LEVEL}
    return {str(level) for level in levels}


def test_every_grant_can_be_used():
    for perm, roles in GRANTS.items():
        guarded = [t for t in APPLICATION.transitions if t.perm == perm]
        if perm == DisabilityPerm.REGISTER_SUBSIDY:
            assert not guarded
            continue
        assert guarded, perm
        for role in roles:
            assert any(LEVEL[role] in _levels(t) for t in guarded), (perm, role)


def test_the_changes_of_a_subsidised_person_are_open_to_every_reviewer():
    for role in GRANTS[DisabilityPerm.REVIEW_SUBSIDY]:
        assert allowed(_require_manage, actor_for(role)), role
    assert not allowed(_require_manage, actor_for(Role.VILLAGE_WORKER))


def test_the_decision_is_the_district_s_by_default():
    assert params.DECISION_LEVEL == "district"
    assert GRANTS[DisabilityPerm.DECIDE_SUBSIDY] == {Role.DISTRICT_STAFF}
