"""Actor: who is acting, from where, over which divisions — built once per request."""

from __future__ import annotations

from dataclasses import dataclass, field

from minzheng.accounts.permissions import Perm, permissions_for_role
from minzheng.core.district import district_code
from minzheng.core.errors import PermissionDenied


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    username: str
    role: str
    scope_prefixes: tuple[str, ...]
    permissions: frozenset[Perm] = field(default_factory=frozenset)
    ip_address: str | None = None
    is_system: bool = False
    reason: str = ""
    display_name: str = ""  # the person's name as staff know it; "系统" for the system actor

    @classmethod
    def anonymous(cls, ip_address: str | None = None) -> Actor:
        return cls(user_id=None, username="", role="", scope_prefixes=(), ip_address=ip_address)

    @classmethod
    def citizen(cls, account_id: int | None, ip_address: str | None = None) -> Actor:
        """A member of the public on the citizens' site: no role, no division, no permission —
        nothing of the staff platform is theirs; their own records are reached by the
        citizen site's own checks (minzheng.citizen)."""
        return cls(
            user_id=None, username=f"citizen:{account_id}" if account_id else "citizen", role="citizen",
            scope_prefixes=(), ip_address=ip_address, display_name="群众",
        )

    @classmethod
    def system(cls, reason: str, *, scope_prefixes: tuple[str, ...] | None = None) -> Actor:
        """Background jobs and commands act as an explicit, audited system actor."""
        return cls(
            user_id=None,
            username="system",
            role="system",
            scope_prefixes=(district_code(),) if scope_prefixes is None else scope_prefixes,
            permissions=frozenset(Perm),
            is_system=True,
            reason=reason,
            display_name="系统",
        )

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None or self.is_system

    def has(self, perm: Perm) -> bool:
        return perm in self.permissions

    def require(self, perm: Perm) -> None:
        if perm not in self.permissions:
            raise PermissionDenied()

    def covers(self, division_code: str) -> bool:
        return any(division_code.startswith(p) for p in self.scope_prefixes)

    @property
    def level(self) -> str:
        """The widest level this actor works at: district, town, village or none."""
        if not self.scope_prefixes:
            return "none"
        shortest = min(len(p) for p in self.scope_prefixes)
        return {6: "district", 9: "town"}.get(shortest, "village")


def build_actor(user, ip_address: str | None = None) -> Actor:
    if user is None or not user.is_authenticated or not user.is_active:
        return Actor.anonymous(ip_address)
    prefixes = tuple(sorted(set(user.assignments.values_list("division_code", flat=True))))
    # A narrower assignment inside a wider one adds nothing.
    prefixes = tuple(p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes))
    return Actor(
        user_id=user.pk,
        username=user.get_username(),
        role=user.role,
        scope_prefixes=prefixes,
        permissions=permissions_for_role(user.role),
        ip_address=ip_address,
        display_name=user.display_name or user.get_username(),
    )
