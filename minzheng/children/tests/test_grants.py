"""Grants and checks agree: every role holding a children permission that guards workflow steps
may take at least one of those steps at the level it works at; the others (登记, 强制报告,
工作站) have no level check, only the scope."""

from __future__ import annotations

from minzheng.accounts.models import Role
from minzheng.children.permissions import GRANTS, ChildrenPerm
from minzheng.children.workflow import PROTECTION, RECOGNITION

LEVEL = {
    Role.VILLAGE_WORKER: "village", Role.TOWN_OFFICER: "town", Role.TOWN_APPROVER: "town",
    Role.DISTRICT_STAFF: "district", Role.DISTRICT_LEADER: "district", Role.SYSTEM_ADMIN: "district",
}
NO_LEVEL_CHECK = {ChildrenPerm.REGISTER_CHILD, ChildrenPerm.REPORT_MINOR, ChildrenPerm.MANAGE_STATIONS}


def test_every_grant_can_be_used():
    transitions = [*RECOGNITION.transitions, *PROTECTION.transitions]
    for perm, roles in GRANTS.items():
        guarded = [t for t in transitions if t.perm == perm]
        if perm in NO_LEVEL_CHECK:
            assert not guarded
            continue
        assert guarded, perm
        for role in roles:
            assert any(LEVEL[role] in {str(level) for level in t.levels} for t in guarded), (perm, role)


def test_the_village_never_sees_protection_cases():
    assert Role.VILLAGE_WORKER in GRANTS[ChildrenPerm.REPORT_MINOR]
    assert Role.VILLAGE_WORKER not in GRANTS[ChildrenPerm.HANDLE_PROTECTION]
    assert GRANTS[ChildrenPerm.DECIDE_GUARDIANSHIP] == {Role.DISTRICT_STAFF}
