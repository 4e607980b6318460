"""Single-row reads of child-welfare rows: scoped through access_by_id, one NotFound for
"missing" and "not yours"; a child's recognition is sensitive, so each read is audited."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.children.models import ChildWorker, InstitutionResident, ProtectionStation, Recognition, WelfareInstitution
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.masking import mask_name
from minzheng.registry.permissions import RegistryPerm


def access_recognition_by_id(actor: Actor, recognition_id: object, *, audit: bool = True) -> Recognition:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    recognition = access_by_id(Recognition.objects.select_related("person", "guardian"), actor, recognition_id)
    if audit:
        record_audit_event(
            actor,
            AuditAction.VIEW,
            object_type="child_recognition",
            object_id=recognition.pk,
            division_code=recognition.division_code,
            summary=f"查看儿童认定 {recognition.number}（{mask_name(recognition.person.name)}）",
        )
    return recognition


def access_station_by_id(actor: Actor, station_id: object) -> ProtectionStation:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(ProtectionStation.objects.all(), actor, station_id)


def access_institution_by_id(actor: Actor, institution_id: object) -> WelfareInstitution:
    """A facility every member of staff may open (its residents are read within the actor's
    divisions: selectors.list_residents_for)."""
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(WelfareInstitution.objects.all(), Actor.system("儿童福利机构（公共服务设施）"), institution_id)


def access_resident_by_id(actor: Actor, resident_id: object, *, for_update: bool = False) -> InstitutionResident:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(InstitutionResident.objects.select_related("person", "institution"), actor, resident_id, for_update=for_update)


def access_child_worker_by_id(actor: Actor, worker_id: object) -> ChildWorker:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(ChildWorker.objects.all(), actor, worker_id)
