"""/api/v1/rescue/ — scoped exactly as the screens: station cases for the station's staff,
the figures (no names) for district staff and leaders, intake through the same action."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema, Status

from minzheng.core.api_errors import BodyIn
from minzheng.core.query_params import YearOrMonth
from minzheng.core import clock
from minzheng.rescue import actions, selectors
from minzheng.rescue.access import access_case_by_id
from minzheng.rescue.indicators import occupancy, return_rate, settlement_rate
from minzheng.rescue.permissions import RescuePerm

router = Router()


class CaseOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    name: str
    sex: str
    estimated_age: int | None
    id_number_masked: str
    risks: list[str]
    source: str
    found_division_code: str
    arrived_at: str
    stay_until: str
    overstay: bool
    identified_on: str | None
    handed_over_on: str | None
    protection_case_number: str


class HospitalStayOut(Schema):
    hospital: str
    reason: str
    sent_on: str
    escort: str
    days: int
    review_on: str
    returned_on: str | None
    outcome: str
    outcome_label: str
    note: str


class CaseDetailOut(CaseOut):
    hospital_stays: list[HospitalStayOut]


def stay_out(h) -> dict:
    return {
        "hospital": h.hospital, "reason": h.reason, "sent_on": h.sent_on.isoformat(), "escort": h.escort,
        "days": selectors.hospital_days(h, clock.today()), "review_on": h.review_on.isoformat(),
        "returned_on": h.returned_on.isoformat() if h.returned_on else None, "outcome": h.outcome,
        "outcome_label": h.get_outcome_display() if h.outcome else "", "note": h.note,
    }  # fmt: skip


def case_out(c) -> dict:
    present = c.status in ("in_station", "identified", "long_stay", "settling")
    return {
        "id": c.pk, "number": c.number, "status": c.status, "status_label": c.get_status_display(), "name": c.name,
        "sex": c.sex, "estimated_age": c.estimated_age, "id_number_masked": c.id_number_masked, "risks": list(c.risks),
        "source": c.source, "found_division_code": c.found_division_code, "arrived_at": c.arrived_at.isoformat(),
        "stay_until": c.stay_until.isoformat(), "overstay": present and c.stay_until < clock.today(),
        "identified_on": c.identified_on.isoformat() if c.identified_on else None,
        "handed_over_on": c.handed_over_on.isoformat() if c.handed_over_on else None,
        "protection_case_number": c.protection_case_number,
    }  # fmt: skip


class IntakeIn(BodyIn):
    name: str = "不详"
    sex: str
    source: str
    found_place: str
    found_division_code: str
    arrived_at: dt.datetime
    estimated_age: int | None = None
    id_number: str = ""
    origin_text: str = ""
    features: str = ""
    belongings: str = ""
    health: str = ""
    risks: list[str] = []
    source_unit: str = ""
    bed_id: int | None = None


@router.get("/cases", response=list[CaseOut], summary="受助人员（救助管理站）")
def list_cases(request, present: bool = False, status: str = ""):
    request.actor.require(RescuePerm.STATION_WORK)
    return [case_out(c) for c in selectors.list_cases_for(request.actor, present=present, status=status)[:500]]


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="一名受助人员（含送医救治记录）")
def get_case(request, case_id: int):
    case = access_case_by_id(request.actor, case_id)
    return {**case_out(case), "hospital_stays": [stay_out(h) for h in case.hospital_stays.visible_to(request.actor).order_by("sent_on", "pk")]}


@router.post("/cases", response={201: CaseOut}, summary="入站登记（不含照片；照片在页面上传）")
def create_case(request, payload: IntakeIn):
    station = selectors.list_stations_for(request.actor).first()
    data = actions.IntakeInput(station_id=station.pk if station else None, **payload.dict())
    return Status(201, case_out(actions.do_intake(request.actor, data)))


@router.get("/indicators", summary="指标12接送返回率、滞留人员落户安置率、床位使用率")
def indicators(request, period: YearOrMonth = ""):
    request.actor.require(RescuePerm.VIEW_RESCUE)
    period = period or f"{clock.today():%Y}"
    rate = return_rate(period, request.actor)
    settled = settlement_rate(period, request.actor)
    beds = occupancy(actor=request.actor)
    as_text = lambda v: None if v is None else str(v)
    return {
        "period": period,
        "indicator_12": {**rate, "rate": as_text(rate["rate"])},
        "settlement_rate": {**settled, "rate": as_text(settled["rate"])},
        "occupancy": {"day": beds["day"].isoformat(), "occupied": beds["occupied"], "beds": beds["beds"], "rate": as_text(beds["rate"])},
    }
