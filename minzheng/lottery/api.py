"""/api/v1/lottery/ — scoped and audited exactly as the screens; writes call the same actions.
Sales come in through the exchange feed (POST /api/v1/exchange/feeds/lottery_sales)."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from pydantic import ConfigDict

from minzheng.core.api_errors import BodyIn
from minzheng.core.api_fields import IdNumber, PastDate, PointIn, Text, VillageCode, choice, point_fields, text
from minzheng.accounts.scoping import Division
from minzheng.core import clock
from minzheng.core.query_params import Year, check_year
from minzheng.lottery import actions, selectors
from minzheng.lottery.access import access_outlet_by_id
from minzheng.lottery.enums import OutletKind
from minzheng.lottery.permissions import LotteryPerm
from minzheng.lottery.services import plan_progress

router = Router()


class OutletOut(Schema):
    id: int
    licence_no: str
    name: str
    kind: str
    kind_label: str
    division_code: str
    address: str
    lon: str | None
    lat: str | None
    operator_name: str
    operator_id_number_masked: str
    opened_on: str
    closed_on: str | None
    status: str
    status_label: str
    version: int


class OutletIn(BodyIn):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "licence_no": "50010200321", "name": "大东门福彩投注站", "kind": "community", "division_code": "500102006001",
        "address": "涪陵区大东门街12号", "opened_on": "2024-03-01", "operator_name": "王建华",
        "operator_id_number": "500102197001011237", "location": {"lon": "107.390000", "lat": "29.710000"},
    }]})

    """A new outlet, open (closing is its own step on the outlet's page)."""

    licence_no: text("投注站编号（未登记过）", 20)
    name: Text
    kind: choice("投注站类型", OutletKind.values)
    division_code: VillageCode
    address: Text
    opened_on: PastDate
    operator_name: Text
    operator_id_number: IdNumber
    location: PointIn | None = None


class SalesOut(Schema):
    licence_no: str
    month: str
    sales_fen: int


class MonthOut(Schema):
    month: str
    outlets: int
    sales_fen: int


class ProgressOut(Schema):
    day: str
    outlets: int
    sales_fen: int
    fund_fen: int


def outlet_out(o) -> dict:
    return {
        "id": o.pk, "licence_no": o.licence_no, "name": o.name, "kind": o.kind, "kind_label": o.get_kind_display(),
        "division_code": o.division_code, "address": o.address, "lon": str(o.lon) if o.lon is not None else None,
        "lat": str(o.lat) if o.lat is not None else None, "operator_name": o.operator_name,
        "operator_id_number_masked": o.operator_id_masked, "opened_on": o.opened_on.isoformat(),
        "closed_on": o.closed_on.isoformat() if o.closed_on else None, "status": o.status,
        "status_label": o.get_status_display(), "version": o.version,
    }  # fmt: skip


@router.get("/outlets", response=list[OutletOut], summary="投注站（本辖区）")
def list_outlets(request, status: str = "", division: Division = ""):
    request.actor.require(LotteryPerm.VIEW_LOTTERY)
    return [outlet_out(o) for o in selectors.list_outlets_for(request.actor, division_code=division or None, status=status)[:1000]]


@router.get("/outlets/{outlet_id}", response=OutletOut, summary="投注站详情")
def get_outlet(request, outlet_id: int):
    return outlet_out(access_outlet_by_id(request.actor, outlet_id))


@router.post("/outlets", response={201: OutletOut}, summary="登记投注站")
def create_outlet(request, payload: OutletIn):
    fields = payload.dict(exclude={"location"}) | point_fields(payload.location)
    outlet = actions.do_register_outlet(request.actor, **fields)
    return Status(201, outlet_out(outlet))


@router.get("/outlets/{outlet_id}/sales", response=list[SalesOut], summary="投注站月销售额")
def outlet_sales(request, outlet_id: int):
    outlet = access_outlet_by_id(request.actor, outlet_id)
    return [{"licence_no": outlet.licence_no, "month": s.month.strftime("%Y-%m"), "sales_fen": s.sales_fen}
            for s in selectors.list_sales_for(request.actor, outlet=outlet)]  # fmt: skip


@router.get("/sales/by-month", response=list[MonthOut], summary="分月销售额（本辖区）")
def sales_by_month(request, year: Year):
    request.actor.require(LotteryPerm.VIEW_LOTTERY)
    year = check_year(year)
    return [{"month": r["month"].strftime("%Y-%m"), "outlets": r["outlets"], "sales_fen": r["sales_fen"]}
            for r in selectors.sales_by_month(request.actor, year)]  # fmt: skip


@router.get("/indicators", response=ProgressOut, summary="规划指标：网点数、累计销售额、累计留存公益金（本辖区）")
def indicators(request):
    request.actor.require(LotteryPerm.VIEW_LOTTERY)
    p = plan_progress(request.actor)
    return {**p, "day": p["day"].isoformat()}
