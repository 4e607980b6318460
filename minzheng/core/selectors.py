"""Reads of core's own rows: the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from minzheng.core.errors import PermissionDenied
from minzheng.core.models import AuditAction, AuditEvent
from minzheng.core.permissions import CorePerm

if TYPE_CHECKING:
    from minzheng.accounts.actor import Actor


def list_audit_events_for(actor: Actor) -> QuerySet[AuditEvent]:
    """The whole audit log, newest first, for those who hold VIEW_AUDIT (it records actions
    in every division and outside any, e.g. logins)."""
    if not actor.has(CorePerm.VIEW_AUDIT):
        raise PermissionDenied()
    return AuditEvent.objects.all().order_by("-id")


def recently_viewed_by(actor: Actor, object_types: tuple[str, ...], *, limit: int = 8, scan: int = 200) -> list[AuditEvent]:
    """The records this user opened last (their own VIEW events), newest first, each record
    once. Reads only the user's own events, so it needs no VIEW_AUDIT; the links still go
    through each record's access check."""
    if not actor.user_id:
        return []
    events = (
        AuditEvent.objects.filter(user_id=actor.user_id, action=AuditAction.VIEW, object_type__in=object_types)
        .only("id", "occurred_at", "object_type", "object_id", "summary")
        .order_by("-id")[:scan]
    )
    out, seen = [], set()
    for e in events:
        key = (e.object_type, e.object_id)
        if key in seen:
            continue
        seen.add(key)
        out.append(e)
        if len(out) >= limit:
            break
    return out
