"""Single-row reads of rescue rows: scoped through access_by_id, one NotFound for "missing"
and "not yours". Station rows need the station's permission; a follow-up or a 防走失 entry
the village's."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.rescue.models import (
    IntakePhoto,
    RescueCase,
    ReturnFollowUp,
    SearchRecord,
    WanderingRisk,
)
from minzheng.rescue.permissions import RescuePerm


def access_case_by_id(actor: Actor, case_id: object, *, for_update: bool = False) -> RescueCase:
    actor.require(RescuePerm.STATION_WORK)
    return access_by_id(RescueCase.objects.select_related("station", "person"), actor, case_id, for_update=for_update)


def access_photo_by_id(actor: Actor, photo_id: object) -> IntakePhoto:
    """Photos of people in the station: the station's staff only."""
    actor.require(RescuePerm.STATION_WORK)
    return access_by_id(IntakePhoto.objects.all(), actor, photo_id)


def access_search_by_id(actor: Actor, record_id: object) -> SearchRecord:
    actor.require(RescuePerm.STATION_WORK)
    return access_by_id(SearchRecord.objects.select_related("case"), actor, record_id)


def access_follow_up_by_id(actor: Actor, follow_up_id: object) -> ReturnFollowUp:
    actor.require(RescuePerm.FOLLOW_UP_RETURNEES)
    return access_by_id(ReturnFollowUp.objects.select_related("case", "person"), actor, follow_up_id)


def access_wandering_by_id(actor: Actor, entry_id: object) -> WanderingRisk:
    actor.require(RescuePerm.FOLLOW_UP_RETURNEES)
    return access_by_id(WanderingRisk.objects.select_related("person"), actor, entry_id)
