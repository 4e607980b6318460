"""Reads of core's own rows: the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from minzheng.core.errors import PermissionDenied
from minzheng.core.models import AuditEvent
from minzheng.core.permissions import CorePerm

if TYPE_CHECKING:
    from minzheng.accounts.actor import Actor


def list_audit_events_for(actor: Actor) -> QuerySet[AuditEvent]:
    """The whole audit log, newest first, for those who hold VIEW_AUDIT (it records actions
    in every division and outside any, e.g. logins)."""
    if not actor.has(CorePerm.VIEW_AUDIT):
        raise PermissionDenied()
    return AuditEvent.objects.all().order_by("-id")
