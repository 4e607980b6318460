"""Single-row reads of the volunteer line: one NotFound for "missing" and "not yours"."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.core.errors import NotFound
from minzheng.registry.permissions import RegistryPerm
from minzheng.volunteers.models import (
    Activity,
    Certificate,
    Organisation,
    ServiceRequest,
    Station,
    Volunteer,
)
from minzheng.volunteers.selectors import organisations_to_choose


def access_volunteer_by_id(actor: Actor, pk: object) -> Volunteer:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Volunteer.objects.select_related("person", "organisation", "team"), actor, pk)


def access_activity_by_id(actor: Actor, pk: object) -> Activity:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Activity.objects.select_related("station", "organisation"), actor, pk)


def access_organisation_by_id(actor: Actor, pk: object) -> Organisation:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Organisation.objects.all(), actor, pk)


def access_station_by_id(actor: Actor, pk: object) -> Station:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Station.objects.all(), actor, pk)


def access_request_by_id(actor: Actor, pk: object) -> ServiceRequest:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(ServiceRequest.objects.select_related("person", "station", "organisation", "social_work_station"), actor, pk)


def access_certificate_by_id(actor: Actor, pk: object) -> Certificate:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Certificate.objects.select_related("volunteer__person"), actor, pk)


def organisation_to_choose(actor: Actor, pk: object) -> Organisation:
    """An organisation serving the actor's divisions (its own or the district's)."""
    try:
        found = organisations_to_choose(actor).filter(pk=int(pk)).first()  # type: ignore[arg-type]
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise NotFound()
    return found
