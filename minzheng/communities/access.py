"""Single-row reads of community-governance rows: one NotFound for "missing" and "not yours"."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.communities.models import Election, Matter, ServiceFacility, Worker
from minzheng.registry.permissions import RegistryPerm


def access_facility_by_id(actor: Actor, facility_id: object, *, for_update: bool = False) -> ServiceFacility:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(ServiceFacility.objects.all(), actor, facility_id, for_update=for_update)


def access_election_by_id(actor: Actor, election_id: object) -> Election:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Election.objects.all(), actor, election_id)


def access_matter_by_id(actor: Actor, matter_id: object, *, for_update: bool = False) -> Matter:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Matter.objects.all(), actor, matter_id, for_update=for_update)


def access_worker_by_id(actor: Actor, worker_id: object) -> Worker:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(Worker.objects.all(), actor, worker_id)
