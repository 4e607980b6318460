"""/api/v1/lowincome/ — scoped and audited exactly as the screens; writes go through the same
actions (a bad field → 422 naming it, nothing written)."""

from __future__ import annotations

from typing import Annotated

from ninja import Router, Schema

from pydantic import ConfigDict

from minzheng.core.api_errors import BodyIn
from minzheng.core.api_fields import PastMonth, text
from minzheng.core.query_params import documented
from minzheng.accounts.scoping import Division
from minzheng.core.errors import NotFound
from minzheng.core.query_params import Month, Offset, window
from minzheng.lowincome import actions, monitoring, selectors
from minzheng.lowincome.access import access_recognition_by_id
from minzheng.lowincome.permissions import LowIncomePerm
from minzheng.registry.permissions import RegistryPerm

router = Router()
MAX_RESULTS = 500


class EntryOut(Schema):
    person_id: int
    name: str
    id_number_masked: str
    household_id: int | None
    division_code: str
    tier: str
    tier_label: str
    since: str
    source_kind: str
    source_label: str


@router.get("/register", response=list[EntryOut], summary="低收入人口名册（本辖区，在册人员）")
def register(request, division: Division = "", tier: str = "", source: str = "", offset: Offset = 0):
    qs = selectors.register_for(request.actor, division_code=division or None, tier=tier or None, source_kind=source or None)
    rows = qs[window(offset, MAX_RESULTS, max_limit=MAX_RESULTS)]
    return [
        {
            "person_id": e.person_id, "name": e.person.name, "id_number_masked": e.person.id_number_masked,
            "household_id": e.household_id, "division_code": e.division_code, "tier": e.tier,
            "tier_label": e.get_tier_display(), "since": e.since.isoformat(), "source_kind": e.source_kind,
            "source_label": e.source_label,
        }
        for e in rows
    ]


class ListingOut(Schema):
    person_id: int
    name: str
    id_number_masked: str
    division_code: str
    kind: str
    kind_label: str
    listed_on: str
    ended_on: str | None
    source_label: str


@router.get("/listings", response=list[ListingOut], summary="部门困难人员名单（防止返贫监测对象、困难重点优抚对象）")
def listings(request, kind: str = "", status: str = "open", division: Division = "", offset: Offset = 0):
    """Imported from the departments' files: POST /api/v1/exchange/feeds/lowincome_relapse or lowincome_youfu."""
    qs = selectors.listings_for(request.actor, kind=kind or None, status=status, division_code=division or None)
    return [
        {
            "person_id": l.person_id, "name": l.person.name, "id_number_masked": l.person.id_number_masked,
            "division_code": l.division_code, "kind": l.kind, "kind_label": l.get_kind_display(),
            "listed_on": l.listed_on.isoformat(), "ended_on": l.ended_on.isoformat() if l.ended_on else None,
            "source_label": l.ended_source_label or l.source_label,
        }
        for l in qs[window(offset, MAX_RESULTS, max_limit=MAX_RESULTS)]
    ]


@router.get("/counts", summary="按类别和乡镇（街道）统计的低收入人口人数")
def counts(request, division: Division = ""):
    request.actor.require(RegistryPerm.VIEW_REGISTRY)
    return selectors.counts_by_tier_and_town(request.actor, division_code=division or None)


class ChangeOut(Schema):
    person_id: int
    name: str
    division_code: str
    period: str
    from_tier: str
    to_tier: str
    reason: str
    source_kind: str
    source_label: str
    actor_name: str
    changed_at: str


@router.get("/changes", response=list[ChangeOut], summary="类别变动记录（本辖区）")
def changes(request, period: Month = "", tier: str = "", offset: Offset = 0):
    qs = selectors.changes_for(request.actor, period=period or None, tier=tier or None)
    return [
        {
            "person_id": c.person_id, "name": c.person.name, "division_code": c.division_code, "period": c.period,
            "from_tier": c.from_tier, "to_tier": c.to_tier, "reason": c.reason, "source_kind": c.source_kind,
            "source_label": c.source_label, "actor_name": c.actor_name, "changed_at": c.changed_at.isoformat(),
        }
        for c in qs[window(offset, MAX_RESULTS, max_limit=MAX_RESULTS)]
    ]


class PeriodIn(BodyIn):
    period: PastMonth = ""


@router.post("/monitoring", summary="运行月度动态监测（区民政局）")
def run_monitoring(request, data: PeriodIn):
    run = monitoring.do_run_monitoring(request.actor, period=data.period or None)
    return {"id": run.pk, "period": run.period, "counts": run.counts, "seconds": run.seconds}


class RecognitionOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    household_id: int
    division_code: str
    engine_eligible: bool | None
    per_capita_income_fen: int | None
    decided_on: str | None
    valid_until: str | None
    version: int


def recognition_out(r) -> dict:
    return {
        "id": r.pk, "number": r.number, "kind": r.kind, "kind_label": r.get_kind_display(), "status": r.status,
        "status_label": r.get_status_display(), "household_id": r.household_id, "division_code": r.division_code,
        "engine_eligible": r.engine_eligible, "per_capita_income_fen": r.per_capita_income_fen,
        "decided_on": r.decided_on.isoformat() if r.decided_on else None,
        "valid_until": r.valid_until.isoformat() if r.valid_until else None, "version": r.version,
    }


@router.get("/recognitions", response=list[RecognitionOut], summary="低收入家庭认定（本辖区）")
def list_recognitions(request, kind: str = "", status: str = ""):
    return [recognition_out(r) for r in selectors.list_recognitions_for(request.actor, kind=kind or None, status=status or None)[:MAX_RESULTS]]


@router.get("/recognitions/{recognition_id}", response=RecognitionOut, summary="一条认定")
def get_recognition(request, recognition_id: int):
    return recognition_out(access_recognition_by_id(request.actor, recognition_id))


class RecognitionIn(BodyIn):
    household_id: int
    kind: str
    origin: str
    reason: str = ""


@router.post("/recognitions", response=RecognitionOut, summary="登记低保边缘/刚性支出困难家庭认定")
def create_recognition(request, data: RecognitionIn):
    return recognition_out(actions.do_create_recognition(request.actor, **data.dict()))


class StepIn(BodyIn):
    version: int
    outcome: str = ""
    note: str = ""


@router.post("/recognitions/{recognition_id}/{step}", response=RecognitionOut, summary="办理认定环节：check、decide、return、end")
def recognition_step(request, recognition_id: int, step: str, data: StepIn):
    actor = request.actor
    r = access_recognition_by_id(actor, recognition_id, audit=False)
    if step == "check":
        r = actions.do_check_recognition(actor, r, expected_version=data.version, notes=data.note)
    elif step == "decide":
        r = actions.do_decide_recognition(actor, r, expected_version=data.version, outcome=data.outcome, note=data.note)
    elif step == "return":
        r = actions.do_return_recognition(actor, r, expected_version=data.version, reason=data.note)
    elif step == "end":
        r = actions.do_end_recognition(actor, r, expected_version=data.version, reason=data.note)
    else:
        raise NotFound()
    return recognition_out(r)


class FigureIn(BodyIn):
    parameter: str
    year: str
    value: str
    document_number: str
    document_date: str
    correction_reason: str = ""


@router.get("/district-figures", summary="区年度统计数据（人均可支配收入等）及缺失项")
def list_figures(request):
    request.actor.require(RegistryPerm.VIEW_REGISTRY)
    return {
        "missing": selectors.missing_district_figures(),
        "figures": [
            {
                "parameter": f.parameter, "label": f.get_parameter_display(), "year": f.year, "value_fen": f.value_fen,
                "document_number": f.document_number, "document_date": f.document_date.isoformat(),
                "effective_from": f.effective_from.isoformat(), "superseded": f.superseded,
            }
            for f in selectors.district_figures()
        ],
    }


@router.post("/district-figures", summary="录入区年度统计数据（区民政局）")
def enter_figure(request, data: FigureIn):
    f = actions.do_enter_district_figure(request.actor, **data.dict())
    return {"id": f.pk, "parameter": f.parameter, "year": f.year, "value_fen": f.value_fen, "effective_from": f.effective_from.isoformat()}


class PriceIn(BodyIn):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "period": "2026-10", "cpi_yoy": "3.6", "food_cpi_yoy": "6.2", "source": "重庆市统计局 2026年10月居民消费价格数据",
    }]})

    period: PastMonth
    cpi_yoy: Annotated[str, documented("居民消费价格指数同比涨幅（%，-50至100，至多两位小数）", pattern=actions.INDEX_PATTERN)]
    food_cpi_yoy: Annotated[str, documented("食品价格指数同比涨幅（%，-50至100，至多两位小数）", pattern=actions.INDEX_PATTERN)]
    source: text("数据来源", 200)


def price_out(r) -> dict:
    return {
        "period": r.period, "cpi_yoy": str(r.cpi_yoy), "food_cpi_yoy": str(r.food_cpi_yoy), "source": r.source,
        "triggered": r.triggered, "triggered_by": r.triggered_by, "applied_rise": r.applied_rise,
        "urban_amount_fen": r.urban_amount_fen, "rural_amount_fen": r.rural_amount_fen, "batch_id": r.batch_id,
    }


@router.get("/price-indices", summary="各月物价指数与价格临时补贴启动情况")
def list_prices(request):
    request.actor.require(LowIncomePerm.ENTER_PRICE_INDEX)
    return [price_out(r) for r in selectors.price_index_months()[:60]]


@router.post("/price-indices", summary="录入当月物价指数（区民政局）")
def record_price(request, data: PriceIn):
    return price_out(actions.do_record_price_index(request.actor, **data.dict()))


@router.post("/price-indices/{period}/batch", summary="生成价格临时补贴发放表（同一月份重复生成为同一批次）")
def price_batch(request, period: Month):
    return actions.do_prepare_price_subsidy_batch(request.actor, period=period).as_dict()
