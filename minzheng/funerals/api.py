"""/api/v1/funerals/ — scoped and audited exactly as the screens; writes call the same actions."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from minzheng.core.api_errors import BodyIn
from minzheng.accounts.scoping import Division
from minzheng.core.errors import ValidationFailed
from minzheng.funerals import actions, selectors
from minzheng.funerals.access import access_record_by_id, serving_facility_by_id, serving_plot_by_id
from minzheng.funerals.indicators import compute_indicators
from minzheng.funerals.permissions import FuneralPerm

router = Router()


class RecordOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    division_code: str
    deceased_name: str
    deceased_id_number_masked: str
    death_date: str
    death_place: str
    funeral_home: str | None
    cremated_on: str | None
    cremation_certificate_no: str
    interred_on: str | None
    cemetery: str | None
    plot: str | None
    eco_burial: bool
    version: int
    waiver_fen: int | None
    death_report_id: int | None


def _d(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def record_out(r) -> dict:
    waiver = getattr(r, "waiver", None) if hasattr(r, "waiver") else None
    return {
        "id": r.pk, "number": r.number, "status": r.status, "status_label": r.get_status_display(),
        "division_code": r.division_code, "deceased_name": r.person.name,
        "deceased_id_number_masked": r.person.id_number_masked, "death_date": r.death_date.isoformat(),
        "death_place": r.death_place, "funeral_home": r.funeral_home.name if r.funeral_home_id else None,
        "cremated_on": _d(r.cremated_on), "cremation_certificate_no": r.cremation_certificate_no,
        "interred_on": _d(r.interred_on), "cemetery": r.cemetery.name if r.cemetery_id else None,
        "plot": r.plot.number if r.plot_id else None, "eco_burial": r.eco_burial, "version": r.version,
        "waiver_fen": waiver.amount_fen if waiver else None, "death_report_id": r.death_report_id,
    }  # fmt: skip


@router.get("/records", response=list[RecordOut], summary="殡葬服务记录（本辖区）")
def list_records(request, status: str = "", division: Division = ""):
    rows = selectors.list_records_for(request.actor, division_code=division or None, status=status)[:500]
    return [record_out(r) for r in rows]


@router.get("/records/{record_id}", response=RecordOut, summary="一条殡葬服务记录")
def get_record(request, record_id: int):
    return record_out(access_record_by_id(request.actor, record_id))


class CremateIn(BodyIn):
    version: int
    cremated_on: dt.date | None = None
    certificate_no: str = ""
    urn_price: str | None = None


@router.post("/records/{record_id}/cremate", response=RecordOut, summary="登记火化（同时报送死亡信息）")
def cremate(request, record_id: int, data: CremateIn):
    request.actor.require(FuneralPerm.MANAGE_FUNERALS)
    record = access_record_by_id(request.actor, record_id)
    record = actions.do_cremate(
        request.actor, record, expected_version=data.version, cremated_on=data.cremated_on,
        certificate_no=data.certificate_no, urn_price_yuan=data.urn_price,
    )  # fmt: skip
    return record_out(access_record_by_id(request.actor, record.pk))


class InterIn(BodyIn):
    version: int
    interred_on: dt.date | None = None
    cemetery_id: int
    plot_id: int


@router.post("/records/{record_id}/inter", response=RecordOut, summary="登记安葬（墓位只能出售一次）")
def inter(request, record_id: int, data: InterIn):
    request.actor.require(FuneralPerm.MANAGE_FUNERALS)
    record = access_record_by_id(request.actor, record_id)
    try:
        cemetery = serving_facility_by_id(request.actor, data.cemetery_id, record.division_code)
        plot = serving_plot_by_id(request.actor, data.plot_id, record.division_code)
    except Exception:  # noqa: BLE001 — an unknown id is a field error, like the screen's
        raise ValidationFailed({"cemetery": "请选择服务逝者所在地的公墓和墓位"}) from None
    record = actions.do_inter(
        request.actor, record, expected_version=data.version, interred_on=data.interred_on, cemetery=cemetery, plot=plot
    )
    return record_out(access_record_by_id(request.actor, record.pk))


@router.get("/indicators", summary="殡葬管理指标13–15及专栏5（全区，区级用户）")
def indicators(request, on: dt.date | None = None):
    request.actor.require(FuneralPerm.MANAGE_FUNERAL_FACILITIES)
    if request.actor.level != "district":
        raise ValidationFailed({"on": "全区指标由区民政局查看"})
    result = compute_indicators(on)
    result["on"] = result["on"].isoformat()
    return result
