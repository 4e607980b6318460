"""Single-row reads of the social-work line: one NotFound for "missing" and "not yours"."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.core.errors import NotFound
from minzheng.registry.permissions import RegistryPerm
from minzheng.socialwork.models import Agency, Payment, Professional, Project, Station
from minzheng.socialwork.selectors import stations_serving


def access_professional_by_id(actor: Actor, pk: object) -> Professional:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Professional.objects.select_related("person", "agency", "station"), actor, pk)


def access_agency_by_id(actor: Actor, pk: object) -> Agency:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Agency.objects.select_related("organisation"), actor, pk)


def access_station_by_id(actor: Actor, pk: object) -> Station:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Station.objects.all(), actor, pk)


def access_project_by_id(actor: Actor, pk: object, *, for_update: bool = False) -> Project:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Project.objects.select_related("agency"), actor, pk, for_update=for_update)


def access_payment_by_id(actor: Actor, pk: object) -> Payment:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Payment.objects.select_related("project"), actor, pk)


def agency_to_choose(actor: Actor, pk: object) -> Agency:
    """Any live agency of the district (a buyer contracts agencies registered anywhere)."""
    actor.require(RegistryPerm.VIEW_REGISTRY)
    try:
        found = Agency.objects.filter(pk=int(pk), deregistered_on__isnull=True).first()  # type: ignore[arg-type]
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found


def station_serving(division_code: str, pk: object) -> Station:
    """A station of the network serving the village (``selectors.stations_serving``), or NotFound."""
    try:
        found = stations_serving(division_code).filter(pk=int(pk)).first()  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        found = None
    if found is None:
        raise NotFound()
    return found
