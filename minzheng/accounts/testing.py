"""Helpers for every line's grants test (grants and checks agree, docs/service-lines.md): an
actor of each role at the level that role works at, and whether a guard lets it through."""

from __future__ import annotations

from collections.abc import Callable

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.accounts.permissions import permissions_for_role
from minzheng.core.errors import PermissionDenied

# Where each role works: the length of its division code decides its level.
ROLE_DIVISION = {
    Role.VILLAGE_WORKER: "500102006001",
    Role.TOWN_OFFICER: "500102006",
    Role.TOWN_APPROVER: "500102006",
    Role.DISTRICT_STAFF: "500102",
    Role.DISTRICT_LEADER: "500102",
    Role.SYSTEM_ADMIN: "500102",
    Role.RESCUE_STATION: "500102",
    Role.MARRIAGE_REGISTRAR: "500102",
}


def actor_for(role: str) -> Actor:
    return Actor(
        user_id=1, username=f"test-{role}", role=role, scope_prefixes=(ROLE_DIVISION[role],),
        permissions=permissions_for_role(role),
    )  # fmt: skip


def allowed(guard: Callable[[Actor], None], actor: Actor) -> bool:
    try:
        guard(actor)
    except PermissionDenied:
        return False
    return True
