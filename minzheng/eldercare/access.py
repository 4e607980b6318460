"""Single-row reads of elderly-care rows: scoped through access_by_id, one NotFound for
"missing" and "not yours"."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id
from minzheng.eldercare.models import (
    Assessment,
    CareOrder,
    Facility,
    FamilyCareBed,
    Provider,
    ProviderSettlement,
    Residency,
    VisitTarget,
)


def access_facility_by_id(actor: Actor, facility_id: object, *, for_update: bool = False) -> Facility:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(Facility.objects.all(), actor, facility_id, for_update=for_update)


def access_assessment_by_id(actor: Actor, assessment_id: object) -> Assessment:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(Assessment.objects.select_related("person"), actor, assessment_id)


def access_residency_by_id(actor: Actor, residency_id: object, *, for_update: bool = False) -> Residency:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(Residency.objects.select_related("person", "facility"), actor, residency_id, for_update=for_update)


def access_provider_by_id(actor: Actor, provider_id: object) -> Provider:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(Provider.objects.all(), actor, provider_id)


def access_order_by_id(actor: Actor, order_id: object, *, for_update: bool = False) -> CareOrder:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(CareOrder.objects.select_related("person", "provider"), actor, order_id, for_update=for_update)


def access_visit_target_by_id(actor: Actor, target_id: object, *, for_update: bool = False) -> VisitTarget:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(VisitTarget.objects.select_related("person"), actor, target_id, for_update=for_update)


def access_family_bed_by_id(actor: Actor, bed_id: object) -> FamilyCareBed:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(FamilyCareBed.objects.select_related("person", "provider"), actor, bed_id)


def access_settlement_by_id(actor: Actor, settlement_id: object) -> ProviderSettlement:
    actor.require(Perm.VIEW_REGISTRY)
    return access_by_id(ProviderSettlement.objects.select_related("provider"), actor, settlement_id)
