"""Core's permission: reading the audit log. Roles are named by value (core sits below
accounts, which collects these grants and checks the roles exist)."""

from enum import StrEnum


class CorePerm(StrEnum):
    VIEW_AUDIT = "audit.view"


GRANTS = {
    CorePerm.VIEW_AUDIT: {"system_admin"},
}
