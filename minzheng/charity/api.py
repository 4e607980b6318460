"""/api/v1/charity/ — scoped as the screens; the donation write calls the same action."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from minzheng.core.api_errors import BodyIn
from minzheng.charity import actions, selectors
from minzheng.charity.access import access_charity_by_id
from minzheng.charity.indicators import donations_of_year
from minzheng.charity.permissions import CharityPerm
from minzheng.core import clock
from minzheng.core.query_params import Year, check_year

router = Router()


class CharityOut(Schema):
    id: int
    name: str
    division_code: str
    recognised_on: str
    decision_no: str
    status: str


class DonationOut(Schema):
    id: int
    charity_id: int
    received_on: str
    donor_kind: str
    donor_name: str
    amount_fen: int
    in_kind_value_fen: int
    receipt_no: str


def charity_out(c) -> dict:
    return {"id": c.pk, "name": c.name, "division_code": c.division_code, "recognised_on": c.recognised_on.isoformat(),
            "decision_no": c.decision_no, "status": c.status}  # fmt: skip


def donation_out(d) -> dict:
    return {"id": d.pk, "charity_id": d.charity_id, "received_on": d.received_on.isoformat(), "donor_kind": d.donor_kind,
            "donor_name": d.donor_name, "amount_fen": d.amount_fen, "in_kind_value_fen": d.in_kind_value_fen, "receipt_no": d.receipt_no}  # fmt: skip


@router.get("/charities", response=list[CharityOut], summary="慈善组织（本辖区）")
def list_charities(request):
    return [charity_out(c) for c in selectors.list_charities_for(request.actor)[:500]]


@router.get("/charities/{charity_id}", response=CharityOut, summary="一个慈善组织")
def get_charity(request, charity_id: int):
    return charity_out(access_charity_by_id(request.actor, charity_id))


@router.get("/donations", response=list[DonationOut], summary="捐赠台账（本辖区）")
def list_donations(request, year: Year = None):
    year = check_year(year)
    return [donation_out(d) for d in selectors.list_donations_for(request.actor, year=year)[:1000]]


class DonationIn(BodyIn):
    charity_id: int
    received_on: dt.date | None = None
    donor_kind: str
    donor_name: str = ""
    amount: str = ""
    in_kind_value: str = ""
    in_kind_description: str = ""
    receipt_no: str = ""
    receipt_declined: bool = False


@router.post("/donations", response=DonationOut, summary="登记接受捐赠")
def record_donation(request, data: DonationIn):
    request.actor.require(CharityPerm.MANAGE_CHARITY)
    charity = access_charity_by_id(request.actor, data.charity_id)
    row = actions.do_record_donation(request.actor, charity, received_on=data.received_on, donor_kind=data.donor_kind, donor_name=data.donor_name,
                                     amount_yuan=data.amount, in_kind_yuan=data.in_kind_value, in_kind_description=data.in_kind_description,
                                     receipt_no=data.receipt_no, receipt_declined=data.receipt_declined)  # fmt: skip
    return donation_out(row)


@router.get("/summary", summary="按月捐赠与逾期未公开事项（本辖区）；区级用户另见指标8")
def summary(request, year: Year = None):
    year = check_year(year) or clock.today().year
    out = {"year": year, "months": selectors.donations_by_month(request.actor, year),
           "overdue_duties": [{"id": d.pk, "charity": d.charity.name if d.charity_id else "", "title": d.title, "due_on": d.due_on.isoformat()}
                              for d in selectors.overdue_duties_for(request.actor)]}  # fmt: skip
    if request.actor.level == "district":
        ind = donations_of_year(year)
        out["indicator_8"] = {"fen": ind["fen"], "wan": str(ind["wan"]), "count": ind["count"]}
    return out


