"""What each role may do. Jurisdiction (where) is separate: see scoping.py."""

from __future__ import annotations

from enum import StrEnum

from minzheng.accounts.models import Role


class Perm(StrEnum):
    VIEW_REGISTRY = "registry.view"
    EDIT_REGISTRY = "registry.edit"
    REVEAL_ID_NUMBER = "registry.reveal_id_number"
    EXPORT_REGISTRY = "registry.export"
    VIEW_AUDIT = "audit.view"
    MANAGE_DIVISIONS = "divisions.manage"
    MANAGE_USERS = "accounts.manage"
    # Later service lines add their own members here.
    ACCEPT_APPLICATION = "assistance.accept"
    INVESTIGATE = "assistance.investigate"
    REVIEW_APPLICATION = "assistance.review"
    APPROVE_APPLICATION = "assistance.approve"
    PREPARE_PAYROLL = "assistance.prepare_payroll"
    APPROVE_PAYROLL = "assistance.approve_payroll"
    VIEW_DASHBOARD = "planning.view_dashboard"
    EDIT_INDICATORS = "planning.edit_indicators"
    APPROVE_INDICATORS = "planning.approve_indicators"
    MANAGE_ELDERCARE = "eldercare.manage"
    RUN_SCREENING = "rules.run_screening"


_READ = {Perm.VIEW_REGISTRY, Perm.VIEW_DASHBOARD}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.VILLAGE_WORKER: frozenset(
        _READ | {Perm.EDIT_REGISTRY, Perm.ACCEPT_APPLICATION, Perm.INVESTIGATE, Perm.MANAGE_ELDERCARE}
    ),
    Role.TOWN_OFFICER: frozenset(
        _READ
        | {
            Perm.EDIT_REGISTRY,
            Perm.EXPORT_REGISTRY,
            Perm.ACCEPT_APPLICATION,
            Perm.INVESTIGATE,
            Perm.REVIEW_APPLICATION,
            Perm.PREPARE_PAYROLL,
            Perm.MANAGE_ELDERCARE,
            Perm.EDIT_INDICATORS,
        }
    ),
    Role.TOWN_APPROVER: frozenset(
        _READ
        | {
            Perm.REVEAL_ID_NUMBER,
            Perm.EXPORT_REGISTRY,
            Perm.REVIEW_APPLICATION,
            Perm.APPROVE_APPLICATION,
            Perm.APPROVE_PAYROLL,
        }
    ),
    Role.DISTRICT_STAFF: frozenset(
        _READ
        | {
            Perm.EDIT_REGISTRY,
            Perm.REVEAL_ID_NUMBER,
            Perm.EXPORT_REGISTRY,
            Perm.REVIEW_APPLICATION,
            Perm.APPROVE_APPLICATION,
            Perm.PREPARE_PAYROLL,
            Perm.APPROVE_PAYROLL,
            Perm.EDIT_INDICATORS,
            Perm.APPROVE_INDICATORS,
            Perm.MANAGE_ELDERCARE,
            Perm.RUN_SCREENING,
        }
    ),
    Role.DISTRICT_LEADER: frozenset(_READ),
    Role.SYSTEM_ADMIN: frozenset(
        _READ
        | {
            Perm.EDIT_REGISTRY,
            Perm.REVEAL_ID_NUMBER,
            Perm.EXPORT_REGISTRY,
            Perm.VIEW_AUDIT,
            Perm.MANAGE_DIVISIONS,
            Perm.MANAGE_USERS,
            Perm.RUN_SCREENING,
        }
    ),
}


def permissions_for_role(role: str) -> frozenset[Perm]:
    return ROLE_PERMISSIONS.get(role, frozenset())
