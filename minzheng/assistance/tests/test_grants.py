"""Grants and checks agree (issue 10 §6): for every role and every assistance permission it
holds, at least one entry point guarded by that permission lets the role act at the level the
role works at. (TOWN_OFFICER used to hold PREPARE_PAYROLL, which payroll refuses below the
district; TOWN_APPROVER held APPROVE_PAYROLL the same way.)"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.accounts.permissions import permissions_for_role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.assistance import payroll, workflow
from minzheng.assistance.enums import Level
from minzheng.assistance.permissions import AssistancePerm
from minzheng.core.errors import PermissionDenied


def _transition_guard(transition: workflow.Transition) -> list[Callable[[Actor], None]]:
    # A CONFIRM step is taken at the level the case names (per program and amount tier): town
    # or district. The kit's role-and-level check reads it from the case.
    return [
        lambda actor, level=level: workflow.WORKFLOW.check_actor(actor, transition, SimpleNamespace(confirm_level=level))
        for level in (Level.TOWN, Level.DISTRICT)
    ]


def _level_guard(perm, levels):
    def guard(actor: Actor) -> None:
        actor.require(perm)
        if actor.level not in levels:
            raise PermissionDenied("level")

    return guard


def entry_points() -> dict[str, list[Callable[[Actor], None]]]:
    """Per permission, the guards of the entry points it opens."""
    out: dict[str, list[Callable[[Actor], None]]] = {perm: [] for perm in AssistancePerm}
    for t in workflow.TRANSITIONS:
        out[t.perm].extend(_transition_guard(t))
    out[AssistancePerm.PREPARE_PAYROLL].append(
        lambda actor: payroll._require_district(actor, AssistancePerm.PREPARE_PAYROLL, "生成发放表")
    )
    out[AssistancePerm.APPROVE_PAYROLL].append(
        lambda actor: payroll._require_district(actor, AssistancePerm.APPROVE_PAYROLL, "审批发放表")
    )
    # 登记 (do_create_application): any level that holds the permission.
    out[AssistancePerm.ACCEPT_APPLICATION].append(lambda actor: actor.require(AssistancePerm.ACCEPT_APPLICATION))
    # 保障对象变更 (_require_manage) and program settings (do_set_program_config).
    out[AssistancePerm.REVIEW_APPLICATION].append(
        _level_guard(AssistancePerm.REVIEW_APPLICATION, (Level.TOWN, Level.DISTRICT))
    )
    out[AssistancePerm.APPROVE_APPLICATION].append(_level_guard(AssistancePerm.APPROVE_APPLICATION, (Level.DISTRICT,)))
    return out


def test_every_assistance_permission_guards_something():
    assert all(entry_points()[perm] for perm in AssistancePerm)


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_refused_what_it_was_granted(role):
    actor = actor_for(role)
    guards = entry_points()
    refused = [
        perm.name for perm in AssistancePerm
        if perm in actor.permissions and not any(allowed(g, actor) for g in guards[perm])
    ]
    assert refused == []


@pytest.mark.parametrize("role", list(Role))
def test_no_role_is_let_through_what_it_was_not_granted(role):
    actor = actor_for(role)
    guards = entry_points()
    let_through = [
        perm.name for perm in AssistancePerm
        if perm not in actor.permissions and any(allowed(g, actor) for g in guards[perm])
    ]
    assert let_through == []


def test_payroll_is_granted_to_district_staff_only():
    holders = {role for role in Role if AssistancePerm.PREPARE_PAYROLL in permissions_for_role(role)}
    assert holders == {Role.DISTRICT_STAFF}
    holders = {role for role in Role if AssistancePerm.APPROVE_PAYROLL in permissions_for_role(role)}
    assert holders == {Role.DISTRICT_STAFF}
