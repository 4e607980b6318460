"""Single-row reads of the 低收入人口 line: scoped through access_by_id, one NotFound for
"missing" and "not yours"; a recognition is personal data, so each read is audited."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.lowincome.models import Recognition
from minzheng.registry.permissions import RegistryPerm


def access_recognition_by_id(actor: Actor, recognition_id: object, *, audit: bool = True) -> Recognition:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    recognition = access_by_id(Recognition.objects.select_related("household", "household__head"), actor, recognition_id)
    if audit:
        record_audit_event(
            actor,
            AuditAction.VIEW,
            object_type="lowincome_recognition",
            object_id=recognition.pk,
            division_code=recognition.division_code,
            summary=f"查看低收入家庭认定 {recognition.number}",
        )
    return recognition
