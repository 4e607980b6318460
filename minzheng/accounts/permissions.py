"""What each role may do. Jurisdiction (where) is separate: see scoping.py.

Each app owns its permissions: its ``permissions.py`` declares a ``StrEnum`` of them and
``GRANTS``, the roles that hold each one, and its AppConfig names those grants
(``permission_grants = GRANTS``). This module only collects them:

- ``register_permissions(app_label, grants)`` adds one app's grants (done for every installed
  app that declares ``permission_grants``, the first time a permission is looked up, and at the
  latest in ``AccountsConfig.ready``);
- ``permissions_for_role(role)`` is what an actor of that role holds;
- ``Perm.X`` finds the member ``X`` among all apps' permissions, so ``Perm.ACCEPT_APPLICATION``
  (assistance's) keeps working where it was written before the split.

Apps below accounts in the layers (core, divisions) name roles by their value; every role
named in a grant must be a ``Role`` (checked when the grants are collected).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from enum import StrEnum
from threading import RLock

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from minzheng.accounts.roles import Role

Grants = Mapping[StrEnum, Iterable[str]]


class AccountPerm(StrEnum):
    """The accounts app's own permission: managing users and their divisions."""

    MANAGE_USERS = "accounts.manage"


GRANTS = {
    AccountPerm.MANAGE_USERS: {Role.SYSTEM_ADMIN},
}

_lock = RLock()
_by_app: dict[str, dict[StrEnum, frozenset[str]]] = {}
_by_name: dict[str, StrEnum] = {}
_collected = False


def register_permissions(app_label: str, grants: Grants) -> None:
    """Declare an app's permissions and the roles that hold each one."""
    roles = set(Role.values)
    declared: dict[StrEnum, frozenset[str]] = {}
    with _lock:
        for perm, holders in grants.items():
            if not isinstance(perm, StrEnum):
                raise ImproperlyConfigured(f"{app_label}: permission {perm!r} is not a StrEnum member")
            holders = frozenset(str(r) for r in holders)
            unknown = holders - roles
            if unknown:
                raise ImproperlyConfigured(f"{app_label}: {perm.name} granted to unknown roles {sorted(unknown)}")
            other = _by_name.get(perm.name)
            if other is not None and other is not perm:
                raise ImproperlyConfigured(f"{app_label}: permission name {perm.name} is already declared ({other!r})")
            declared[perm] = holders
        _by_app[app_label] = declared
        for perm in declared:
            _by_name[perm.name] = perm


def collect_permissions() -> None:
    """Register the grants of every installed app that declares them (once)."""
    global _collected
    if _collected:
        return
    with _lock:
        if _collected:
            return
        for config in apps.get_app_configs():
            grants = getattr(config, "permission_grants", None)
            if grants is not None and config.label not in _by_app:
                register_permissions(config.label, grants)
        _collected = True


def declared_permissions() -> dict[str, dict[StrEnum, frozenset[str]]]:
    """{app label: {permission: roles}} — what every app declares."""
    collect_permissions()
    return {label: dict(grants) for label, grants in _by_app.items()}


def permissions_for_role(role: str) -> frozenset[StrEnum]:
    collect_permissions()
    return frozenset(perm for grants in _by_app.values() for perm, holders in grants.items() if role in holders)


def all_permissions() -> frozenset[StrEnum]:
    collect_permissions()
    return frozenset(perm for grants in _by_app.values() for perm in grants)


class _Permissions:
    """Every app's permissions by member name (``Perm.APPROVE_PAYROLL``); iterating gives all."""

    def __getattr__(self, name: str) -> StrEnum:
        if name.startswith("_"):
            raise AttributeError(name)
        collect_permissions()
        try:
            return _by_name[name]
        except KeyError:
            raise AttributeError(f"no installed app declares the permission {name}") from None

    def __iter__(self) -> Iterator[StrEnum]:
        return iter(sorted(all_permissions()))

    def __repr__(self) -> str:
        return "<every app's permissions>"


Perm = _Permissions()
