"""Each app owns its permissions; accounts only collects them (issue 10 §6)."""

from __future__ import annotations

from enum import StrEnum

import pytest
from django.core.exceptions import ImproperlyConfigured

from minzheng.accounts.models import Role
from minzheng.accounts.permissions import (
    Perm,
    declared_permissions,
    permissions_for_role,
    register_permissions,
)
from minzheng.assistance.permissions import AssistancePerm
from minzheng.divisions.permissions import DivisionPerm


def test_each_app_declares_its_own_permissions():
    declared = declared_permissions()
    owners = {perm.name: label for label, grants in declared.items() for perm in grants}
    assert owners["VIEW_AUDIT"] == "core"
    assert owners["MANAGE_DIVISIONS"] == "divisions"
    assert owners["MANAGE_USERS"] == "accounts"
    assert owners["VIEW_REGISTRY"] == "registry"
    assert owners["PREPARE_PAYROLL"] == "assistance"
    assert owners["VIEW_DASHBOARD"] == "planning"
    assert owners["MANAGE_ELDERCARE"] == "eldercare"
    assert owners["RUN_SCREENING"] == "screening"
    # Each permission's value is prefixed by the app that owns it (screening keeps "rules.").
    for label, grants in declared.items():
        for perm in grants:
            assert perm.value.split(".")[0] in {label, "audit", "rules"}, (label, perm)


def test_perm_finds_each_apps_member_by_name():
    assert Perm.APPROVE_PAYROLL is AssistancePerm.APPROVE_PAYROLL
    assert Perm.MANAGE_DIVISIONS is DivisionPerm.MANAGE_DIVISIONS
    assert Perm.APPROVE_PAYROLL == "assistance.approve_payroll"
    with pytest.raises(AttributeError):
        Perm.NOT_A_PERMISSION  # noqa: B018


def test_roles_get_exactly_what_the_apps_grant():
    assert {p.name for p in permissions_for_role(Role.VILLAGE_WORKER)} == {
        "VIEW_REGISTRY", "EDIT_REGISTRY", "ACCEPT_APPLICATION", "INVESTIGATE", "MANAGE_ELDERCARE",
        "REGISTER_CHILD", "REPORT_MINOR", "REGISTER_LOW_INCOME", "FOLLOW_UP_RETURNEES", "REGISTER_SUBSIDY",
        "VIEW_REFERRALS", "REFER", "MANAGE_FUNERALS", "MANAGE_VOLUNTEERS", "MANAGE_COMMUNITY",
    }
    assert {p.name for p in permissions_for_role(Role.DISTRICT_LEADER)} == {
        "VIEW_REGISTRY", "VIEW_DASHBOARD", "VIEW_RESCUE", "VIEW_REFERRALS", "VIEW_SOCIORGS", "VIEW_CHARITY", "VIEW_LOTTERY",
        "VIEW_MARRIAGE_STATS",
    }
    assert {p.name for p in permissions_for_role(Role.SYSTEM_ADMIN)} == {
        "VIEW_REGISTRY", "VIEW_DASHBOARD", "EDIT_REGISTRY", "REVEAL_ID_NUMBER", "EXPORT_REGISTRY",
        "VIEW_AUDIT", "MANAGE_DIVISIONS", "MANAGE_USERS", "RUN_SCREENING",
    }
    assert permissions_for_role("nobody") == frozenset()


def test_a_grant_to_an_unknown_role_or_a_taken_name_is_refused():
    class Bad(StrEnum):
        VIEW_REGISTRY = "bad.view"

    class Odd(StrEnum):
        ODD = "odd.do"

    with pytest.raises(ImproperlyConfigured, match="unknown roles"):
        register_permissions("odd", {Odd.ODD: {"janitor"}})
    with pytest.raises(ImproperlyConfigured, match="already declared"):
        register_permissions("bad", {Bad.VIEW_REGISTRY: {Role.SYSTEM_ADMIN}})
