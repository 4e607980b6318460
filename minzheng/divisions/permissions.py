"""The divisions app's permission: changing the division tree. Roles are named by value
(divisions sits below accounts, which collects these grants and checks the roles exist)."""

from enum import StrEnum


class DivisionPerm(StrEnum):
    MANAGE_DIVISIONS = "divisions.manage"


GRANTS = {
    DivisionPerm.MANAGE_DIVISIONS: {"system_admin"},
}
