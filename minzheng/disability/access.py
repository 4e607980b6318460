"""Single-row reads of the 两项补贴 line: scoped through access_by_id, one NotFound for
"missing" and "not yours"; a person's disability is sensitive, so each read is audited."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.masking import mask_name
from minzheng.disability.models import SubsidyApplication
from minzheng.registry.permissions import RegistryPerm


def access_application_by_id(actor: Actor, application_id: object, *, audit: bool = True) -> SubsidyApplication:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    application = access_by_id(SubsidyApplication.objects.select_related("person"), actor, application_id)
    if audit:
        record_audit_event(
            actor,
            AuditAction.VIEW,
            object_type="disability_application",
            object_id=application.pk,
            division_code=application.division_code,
            summary=f"查看两项补贴申请 {application.number}（{mask_name(application.person.name)}）",
        )
    return application
