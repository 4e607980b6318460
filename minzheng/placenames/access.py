"""Single-row reads of place-name and boundary rows: one NotFound for "missing" and "not yours"."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.placenames.models import BoundaryLine, DivisionChange, Marker, NamingCase, PlaceName
from minzheng.registry.permissions import RegistryPerm


def access_place_by_id(actor: Actor, place_id: object, *, for_update: bool = False) -> PlaceName:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(PlaceName.objects.all(), actor, place_id, for_update=for_update)


def access_case_by_id(actor: Actor, case_id: object) -> NamingCase:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(NamingCase.objects.select_related("place"), actor, case_id)


def access_line_by_id(actor: Actor, line_id: object) -> BoundaryLine:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(BoundaryLine.objects.all(), actor, line_id)


def access_marker_by_id(actor: Actor, marker_id: object, *, for_update: bool = False) -> Marker:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Marker.objects.select_related("line"), actor, marker_id, for_update=for_update)


def access_change_by_id(actor: Actor, change_id: object) -> DivisionChange:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(DivisionChange.objects.all(), actor, change_id)
