"""/api/v1/marriage/ — scoped and audited exactly as the screens: the registry's staff and the
bureau's district staff read the records (ID numbers masked); the statistics need the stats
permission (the district's leaders too)."""

from __future__ import annotations

from ninja import Router, Schema

from minzheng.core.query_params import YearOrMonth, year_or_month_bounds
from minzheng.marriage import selectors
from minzheng.marriage.access import access_divorce_by_id, access_marriage_by_id
from minzheng.marriage.indicators import cross_province_share
from minzheng.marriage.permissions import MarriagePerm

router = Router()


class MarriageOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    man_name: str
    man_id_number_masked: str
    woman_name: str
    woman_id_number_masked: str
    applied_on: str
    registered_on: str | None
    certificate_number: str
    cross_province: bool
    ended_on: str | None
    end_kind: str
    refusal_reasons: list[dict]


class DivorceOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    man_name: str
    woman_name: str
    accepted_on: str | None
    cooling_end_on: str | None
    issue_deadline_on: str | None
    registered_on: str | None
    certificate_number: str


def _d(day) -> str | None:
    return day.isoformat() if day else None


def marriage_out(m) -> dict:
    return {
        "id": m.pk, "number": m.number, "status": m.status, "status_label": m.get_status_display(),
        "man_name": m.man_name, "man_id_number_masked": m.man_id_masked, "woman_name": m.woman_name,
        "woman_id_number_masked": m.woman_id_masked, "applied_on": m.applied_on.isoformat(), "registered_on": _d(m.registered_on),
        "certificate_number": m.certificate_number, "cross_province": m.cross_province, "ended_on": _d(m.ended_on),
        "end_kind": m.end_kind, "refusal_reasons": m.refusal_reasons or [],
    }  # fmt: skip


def divorce_out(d) -> dict:
    return {
        "id": d.pk, "number": d.number, "status": d.status, "status_label": d.get_status_display(), "man_name": d.man_name,
        "woman_name": d.woman_name, "accepted_on": _d(d.accepted_on), "cooling_end_on": _d(d.cooling_end_on),
        "issue_deadline_on": _d(d.issue_deadline_on), "registered_on": _d(d.registered_on), "certificate_number": d.certificate_number,
    }  # fmt: skip


@router.get("/marriages", response=list[MarriageOut], summary="结婚登记名单")
def list_marriages(request, status: str = ""):
    request.actor.require(MarriagePerm.VIEW_MARRIAGE)
    return [marriage_out(m) for m in selectors.list_marriages_for(request.actor, status=status or None)[:500]]


@router.get("/marriages/{marriage_id}", response=MarriageOut, summary="结婚登记详情")
def get_marriage(request, marriage_id: int):
    return marriage_out(access_marriage_by_id(request.actor, marriage_id))


@router.get("/divorces", response=list[DivorceOut], summary="离婚登记名单")
def list_divorces(request, status: str = ""):
    request.actor.require(MarriagePerm.VIEW_MARRIAGE)
    return [divorce_out(d) for d in selectors.list_divorces_for(request.actor, status=status or None)[:500]]


@router.get("/divorces/{divorce_id}", response=DivorceOut, summary="离婚登记详情")
def get_divorce(request, divorce_id: int):
    return divorce_out(access_divorce_by_id(request.actor, divorce_id))


@router.get("/stats", summary="婚姻登记统计（年份或年月）")
def stats(request, period: YearOrMonth):
    request.actor.require(MarriagePerm.VIEW_MARRIAGE_STATS)
    start, end = year_or_month_bounds(period)
    s = selectors.statistics(request.actor, start, end)
    share = cross_province_share(period, request.actor)
    return {
        "period": period, "counts": s["counts"], "age_bands": dict(s["age_bands"]), "residence": dict(s["residence"]),
        "first_marriages": s["first_marriages"], "remarriages": s["remarriages"],
        "cross_province": {"numerator": share["numerator"], "denominator": share["denominator"],
                           "rate": str(share["rate"]) if share["rate"] is not None else None},
    }  # fmt: skip
