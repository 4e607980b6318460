"""Single-row reads of the charity line (one NotFound for missing and not-yours)."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.charity.models import Campaign, Charity, DisclosureDuty, Project
from minzheng.charity.permissions import CharityPerm


def access_charity_by_id(actor: Actor, charity_id: object) -> Charity:
    actor.require(CharityPerm.VIEW_CHARITY)
    return access_by_id(Charity.objects.select_related("organisation"), actor, charity_id)


def access_campaign_by_id(actor: Actor, campaign_id: object) -> Campaign:
    actor.require(CharityPerm.VIEW_CHARITY)
    return access_by_id(Campaign.objects.select_related("charity"), actor, campaign_id)


def access_project_by_id(actor: Actor, project_id: object) -> Project:
    actor.require(CharityPerm.VIEW_CHARITY)
    return access_by_id(Project.objects.select_related("charity"), actor, project_id)


def access_duty_by_id(actor: Actor, duty_id: object) -> DisclosureDuty:
    actor.require(CharityPerm.VIEW_CHARITY)
    return access_by_id(DisclosureDuty.objects.all(), actor, duty_id)
