"""Single-row reads of funeral rows: scoped through access_by_id, one NotFound for "missing"
and "not yours"."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.core.errors import NotFound
from minzheng.funerals.models import (
    Facility,
    FuneralRecord,
    IllegalGrave,
    Inspection,
    Memorial,
    MemorialMessage,
    MemorialPhoto,
    Plot,
    WaiverSettlement,
)
from minzheng.registry.permissions import RegistryPerm


def access_record_by_id(actor: Actor, record_id: object, *, for_update: bool = False) -> FuneralRecord:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    qs = FuneralRecord.objects.select_related("person", "funeral_home", "cemetery", "plot")
    return access_by_id(qs, actor, record_id, for_update=for_update)


def access_facility_by_id(actor: Actor, facility_id: object) -> Facility:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Facility.objects.all(), actor, facility_id)


def serving_facility_by_id(actor: Actor, facility_id: object, division_code: str) -> Facility:
    """A facility that serves a division the actor covers: the district's funeral home, the
    town's station or cemetery, the village's cemetery (a village worker does not see the
    district's rows, but may choose them for the people of the village)."""
    actor.require(RegistryPerm.VIEW_REGISTRY)
    if not actor.covers(division_code):
        raise NotFound()
    try:
        pk = int(facility_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound() from None
    prefixes = [division_code[:n] for n in (6, 9, 12) if len(division_code) >= n]
    facility = Facility.objects.filter(pk=pk, division_code__in=prefixes).first()
    if facility is None and actor.level == "district":
        facility = Facility.objects.filter(pk=pk).first()  # a commercial cemetery anywhere in the district
    if facility is None:
        raise NotFound()
    return facility


def serving_plot_by_id(actor: Actor, plot_id: object, division_code: str) -> Plot:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    if not actor.covers(division_code):
        raise NotFound()
    try:
        pk = int(plot_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise NotFound() from None
    plot = Plot.objects.select_related("cemetery").filter(pk=pk).first()
    if plot is None:
        raise NotFound()
    return plot


def access_illegal_grave_by_id(actor: Actor, grave_id: object, *, for_update: bool = False) -> IllegalGrave:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(IllegalGrave.objects.all(), actor, grave_id, for_update=for_update)


def access_inspection_by_id(actor: Actor, inspection_id: object) -> Inspection:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Inspection.objects.select_related("facility"), actor, inspection_id)


def access_settlement_by_id(actor: Actor, settlement_id: object) -> WaiverSettlement:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(WaiverSettlement.objects.select_related("funeral_home"), actor, settlement_id)


def access_message_by_id(actor: Actor, message_id: object) -> MemorialMessage:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(MemorialMessage.objects.select_related("memorial"), actor, message_id)


def memorial_by_token(token: str) -> Memorial:
    """The public page's one read: an open memorial by its unguessable token, else NotFound."""
    memorial = (
        Memorial.objects.select_related("record", "record__person").filter(token=token or "", is_open=True).first()
        if token
        else None
    )
    if memorial is None:
        raise NotFound()
    return memorial


def access_memorial_by_id(actor: Actor, memorial_id: object) -> Memorial:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Memorial.objects.select_related("record"), actor, memorial_id)


def memorial_photo_by_token(token: str) -> MemorialPhoto:
    """The public page's photo: only the photo of the open memorial with this token."""
    memorial = memorial_by_token(token)
    photo = MemorialPhoto.objects.filter(memorial=memorial).first()
    if photo is None:
        raise NotFound()
    return photo
