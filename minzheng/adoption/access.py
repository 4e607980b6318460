"""Single-row reads of adoption rows: scoped through access_by_id, one NotFound for "missing"
and "not yours". An adoption file is sensitive (the child's origin, the adopters' health and
criminal checks): every view of a case is audited."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.adoption.models import Adoption, Assessment, FollowUpVisit
from minzheng.adoption.permissions import AdoptionPerm
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.masking import mask_name

_RELATED = ("child", "adopter", "co_adopter")


def access_adoption_by_id(actor: Actor, adoption_id: object, *, audit: bool = True) -> Adoption:
    actor.require(AdoptionPerm.VIEW_ADOPTION)
    adoption = access_by_id(Adoption.objects.select_related(*_RELATED), actor, adoption_id)
    if audit:
        record_audit_event(
            actor, AuditAction.VIEW, object_type="adoption", object_id=adoption.pk, division_code=adoption.division_code,
            summary=f"查看收养登记 {adoption.number}（被收养人{mask_name(adoption.child.name)}）",
        )  # fmt: skip
    return adoption


def access_assessment_by_id(actor: Actor, assessment_id: object) -> Assessment:
    actor.require(AdoptionPerm.VIEW_ADOPTION)
    return access_by_id(Assessment.objects.select_related("adoption", *(f"adoption__{r}" for r in _RELATED)), actor, assessment_id)


def access_visit_by_id(actor: Actor, visit_id: object) -> FollowUpVisit:
    actor.require(AdoptionPerm.VIEW_ADOPTION)
    return access_by_id(FollowUpVisit.objects.select_related("adoption", "adoption__child"), actor, visit_id)
