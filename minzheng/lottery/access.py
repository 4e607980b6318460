"""Single-row reads of lottery rows: scoped through access_by_id, one NotFound for "missing"
and "not yours"."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.lottery.models import FundProject, FundYear, Outlet, OutletInspection
from minzheng.lottery.permissions import LotteryPerm


def access_outlet_by_id(actor: Actor, outlet_id: object, *, for_update: bool = False) -> Outlet:
    actor.require(LotteryPerm.VIEW_LOTTERY)
    return access_by_id(Outlet.objects.select_related("operator_person"), actor, outlet_id, for_update=for_update)


def access_outlet_by_licence(actor: Actor, licence_no: str) -> Outlet | None:
    """The outlet of a licence number within the actor's divisions, else None (an import row)."""
    actor.require(LotteryPerm.VIEW_LOTTERY)
    return Outlet.objects.visible_to(actor).filter(licence_no=(licence_no or "").strip()).first()


def access_inspection_by_id(actor: Actor, inspection_id: object) -> OutletInspection:
    actor.require(LotteryPerm.VIEW_LOTTERY)
    return access_by_id(OutletInspection.objects.select_related("outlet"), actor, inspection_id)


def access_fund_year_by_id(actor: Actor, fund_id: object) -> FundYear:
    actor.require(LotteryPerm.VIEW_LOTTERY)
    return access_by_id(FundYear.objects.all(), actor, fund_id)


def access_project_by_id(actor: Actor, project_id: object) -> FundProject:
    actor.require(LotteryPerm.VIEW_LOTTERY)
    return access_by_id(FundProject.objects.select_related("fund_year"), actor, project_id)
