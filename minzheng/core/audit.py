"""record_audit_event: the one way an audit row is written."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minzheng.core.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from minzheng.accounts.actor import Actor


def record_audit_event(
    actor: Actor,
    action: str,
    *,
    object_type: str = "",
    object_id: object = "",
    division_code: str = "",
    summary: str = "",
    changed_fields: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        user_id=actor.user_id,
        username=actor.username,
        actor_kind="system" if actor.is_system else ("citizen" if actor.role == "citizen" else "user"),
        ip_address=actor.ip_address,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id != "" else "",
        division_code=division_code or "",
        summary=summary[:300],
        changed_fields=changed_fields or {},
        extra=extra or {},
    )


def diff_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for fields that changed; values already safe to log (masked)."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


__all__ = ["record_audit_event", "diff_fields", "AuditAction"]
