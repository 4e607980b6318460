"""Single-row reads of the social-organisation line: scoped through access_by_id, one NotFound
for "missing" and "not yours" (a 珍溪镇 officer asking for a 敦仁街道 organisation)."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.sociorgs.models import CreditListing, Organisation, PenaltyCase, Procedure
from minzheng.sociorgs.permissions import SociorgPerm


def access_organisation_by_id(actor: Actor, org_id: object, *, for_update: bool = False) -> Organisation:
    actor.require(SociorgPerm.VIEW_SOCIORGS)
    return access_by_id(Organisation.objects.all(), actor, org_id, for_update=for_update)


def access_procedure_by_id(actor: Actor, procedure_id: object, *, for_update: bool = False) -> Procedure:
    actor.require(SociorgPerm.VIEW_SOCIORGS)
    return access_by_id(Procedure.objects.select_related("organisation"), actor, procedure_id, for_update=for_update)


def access_penalty_by_id(actor: Actor, case_id: object, *, for_update: bool = False) -> PenaltyCase:
    actor.require(SociorgPerm.VIEW_SOCIORGS)
    return access_by_id(PenaltyCase.objects.select_related("organisation"), actor, case_id, for_update=for_update)


def access_listing_by_id(actor: Actor, listing_id: object) -> CreditListing:
    actor.require(SociorgPerm.VIEW_SOCIORGS)
    return access_by_id(CreditListing.objects.select_related("organisation"), actor, listing_id)
