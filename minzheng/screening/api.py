"""/api/v1/rules/ — the rules engine per case, parameters, and screening results (scoped
exactly as the screens).

    POST /api/v1/rules/evaluate                     household facts (with period) → every program
    GET  /api/v1/rules/parameters[?on=YYYY-MM]      every parameter, value in force, history
    GET  /api/v1/rules/households/{id}/explain      the "why" of a registered household
    GET  /api/v1/rules/screening/runs               screened periods
    GET  /api/v1/rules/screening/summary            by town / village, the caller's part only
    GET  /api/v1/rules/screening/results            stored results, the caller's part only
    GET  /api/v1/rules/screening/discrepancies      discrepancies, the caller's part only
    POST /api/v1/rules/simulate                     reform simulation by town
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from minzheng.accounts.scoping import Division
from minzheng.core.json_body import load_json_body
from minzheng.accounts.permissions import Perm
from minzheng.core.api_errors import BodyIn, ErrorsOut
from minzheng.core.api_fields import TEXT_PATTERN, CoveredMonth
from minzheng.core.periods import MONTH_PATTERN
from minzheng.core.money import format_yuan
from minzheng.core.query_params import Month, Offset, limit_param, window
from minzheng.jobs.actions import do_enqueue_job
from minzheng.jobs.api import JobOut, job_out
from minzheng.rules import FactsValidationError, Period, evaluate_household, load_parameters
from minzheng.rules.facts import DISABILITY_CATEGORIES
from minzheng.screening import selectors
from minzheng.screening.explain import explain_household, parse_period
from minzheng.screening.models import DiscrepancyKind
from minzheng.screening.parameters_view import parameter_catalogue
from minzheng.screening.jobs import SIMULATION
from minzheng.screening.simulation import parse_overrides

router = Router()
MAX_LIMIT = 500
ResultsLimit = limit_param(MAX_LIMIT)


_MONEY = {
    "anyOf": [{"type": "number", "minimum": 0}, {"type": "string", "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$"}],
    "description": "元，至多两位小数",
}
_TEXT = {"type": "string", "minLength": 1, "pattern": TEXT_PATTERN}
_MEMBER = {
    "type": "object",
    "required": [
        "id", "relation", "birth_date", "sex", "disability_category", "disability_grade", "serious_illness",
        "student", "able_to_work", "has_capable_supporter", "self_care", "child_status", "in_institution",
        "monthly_income",
    ],
    "properties": {
        "id": {**_TEXT, "description": "成员编号（本户内唯一，如 m1）"},
        "relation": {**_TEXT, "description": "与户主关系"},
        "birth_date": {"type": "string", "format": "date", "description": "YYYY-MM-DD，不早于1880年，不晚于核算期"},
        "sex": {"enum": ["M", "F"]},
        "disability_category": {"enum": [None, *sorted(DISABILITY_CATEGORIES)], "description": "残疾等级为0时为 null，否则必填"},
        "disability_grade": {"type": "integer", "minimum": 0, "maximum": 4},
        "serious_illness": {"type": "boolean"},
        "student": {"type": "boolean"},
        "able_to_work": {"type": "boolean"},
        "has_capable_supporter": {"type": "boolean"},
        "self_care": {"enum": ["able", "partly_unable", "unable"]},
        "child_status": {"enum": [None, "orphan", "de_facto_unsupported"]},
        "in_institution": {"type": "boolean"},
        "monthly_income": {
            "type": "object",
            "required": ["wage", "business", "property", "transfer"],
            "properties": {k: _MONEY for k in ("wage", "business", "property", "transfer")},
        },
    },
}
# The facts contract (docs/rules.md §4) as the document states it: a request the schema accepts
# is one the rules evaluate; anything else is a 422 naming every bad field.
# docs/rules.md §4's example: one urban 特困 member (tests check the answer it gets).
FACTS_EXAMPLE = {
    "period": "2024-10",
    "household": {
        "zone": "urban", "division_code": "500102006001", "financial_assets": 12000, "vehicle_values": [25000],
        "members": [{
            "id": "m1", "relation": "head", "birth_date": "1950-03-01", "sex": "F", "disability_category": "physical",
            "disability_grade": 2, "serious_illness": False, "student": False, "able_to_work": False,
            "has_capable_supporter": False, "self_care": "partly_unable", "child_status": None, "in_institution": False,
            "monthly_income": {"wage": 0, "business": 0, "property": 0, "transfer": 0},
        }],
    },
}  # fmt: skip
FACTS_SCHEMA = {
    "type": "object",
    "description": "家庭事实数据（含 period），见 docs/rules.md §4",
    "examples": [FACTS_EXAMPLE],
    "required": ["period", "household"],
    "properties": {
        "period": {"type": "string", "format": "covered-month", "pattern": MONTH_PATTERN, "description": "核算期 YYYY-MM，在政策参数覆盖范围内"},
        "household": {
            "type": "object",
            "required": ["zone", "financial_assets", "vehicle_values", "members"],
            "properties": {
                "zone": {"enum": ["urban", "rural"]},
                "division_code": {"type": "string", "pattern": r"^([0-9]{6}|[0-9]{9}|[0-9]{12})$", "description": "6、9或12位区划代码（可选）"},
                "financial_assets": _MONEY,
                "vehicle_values": {"type": "array", "items": _MONEY},
                "rigid_spending_12m": {**_MONEY, "description": "近12个月刚性支出（可选，缺省为未知）"},
                "members": {"type": "array", "minItems": 1, "items": _MEMBER},
            },
        },
    },
}


def _invalid(errors: list[dict[str, str]]):
    return Status(422, {"detail": "输入有误", "errors": errors})


@router.post(
    "/evaluate",
    response={200: dict[str, Any], 422: ErrorsOut},
    summary="按户计算全部救助项目（逐项条件说明）",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": FACTS_SCHEMA}},
        }
    },
)
def evaluate(request):
    """Body: the household facts (docs/rules.md §4) including ``period``. Answer: every
    program's result with amount as a 2-place decimal string and each condition explained.
    422 names every bad field (bad JSON, missing or mistyped fields, a period outside the
    parameters' coverage)."""
    request.actor.require(Perm.VIEW_REGISTRY)
    data = load_json_body(request.body)  # ValidationFailed → 422 in ErrorsOut (api/urls.py)
    try:
        return Status(200, evaluate_household(data))
    except FactsValidationError as exc:
        return _invalid(exc.errors)


@router.get("/parameters", response=dict[str, Any], summary="政策参数：现行数值和历次数值")
def parameters(request, on: Month = ""):
    request.actor.require(Perm.VIEW_REGISTRY)
    period = parse_period(on, field="on")
    catalogue = parameter_catalogue(period)
    items = [
        {**item, "group": group["label"], "effective_from": _iso(item["effective_from"]),
         "history": [{**h, "effective_from": _iso(h["effective_from"])} for h in item["history"]]}
        for group in catalogue["groups"]
        for item in group["items"]
    ]
    return {"on": period, "coverage": catalogue["coverage"], "parameters": items}


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


@router.get("/households/{household_id}/explain", response=dict[str, Any], summary="家庭救助资格说明（按登记信息逐项计算）")
def household_explain(request, household_id: int, period: Month = ""):
    explained = explain_household(request.actor, household_id, period=parse_period(period))
    return {
        "household_id": explained["household"].pk,
        "period": explained["period"],
        "message": explained["message"],
        **(explained["answer"] or {"results": []}),
    }


class RunOut(Schema):
    id: int
    period: str
    finished_at: str
    seconds: float
    provisional: bool
    started_by: str


@router.get("/screening/runs", response=list[RunOut], summary="已筛查的核算期")
def runs(request):
    request.actor.require(Perm.VIEW_REGISTRY)
    return [
        {
            "id": r.pk,
            "period": r.period,
            "finished_at": r.finished_at.isoformat(),
            "seconds": r.seconds,
            "provisional": r.provisional,
            "started_by": r.started_by,
        }
        for r in selectors.current_runs()
    ]


@router.get("/screening/summary", response=dict[str, Any], summary="筛查汇总（按乡镇或村，限本人辖区）")
def summary(request, period: Month = "", division: Division = ""):
    actor = request.actor
    run = selectors.access_run(period or None)
    code = selectors.parse_division(actor, division)
    data = selectors.summary_by_division(actor, run, code)
    totals = data["totals"]
    return {
        "run_id": run.pk,
        "period": run.period,
        "division_code": code,
        "rows": [
            {"code": row.code, "name": row.name, "programs": row.programs, "discrepancies": row.discrepancies}
            for row in data["rows"]
        ],
        "totals": {"programs": totals.programs, "discrepancies": totals.discrepancies},
    }


class ResultOut(Schema):
    program: str
    subject_kind: str
    household_id: int
    person_id: int | None
    division_code: str
    eligible: bool
    amount: str
    enrolled: bool


def _yuan(fen: int | None) -> str | None:
    return None if fen is None else format_yuan(fen, grouping=False)


@router.get("/screening/results", response=dict[str, Any], summary="筛查结果明细（限本人辖区）")
def results(request, period: Month = "", division: Division = "", program: str = "", limit: ResultsLimit = 100, offset: Offset = 0):
    actor = request.actor
    run = selectors.access_run(period or None)
    code = selectors.parse_division(actor, division)
    qs = selectors.results_in(actor, run, code, program=program or None)
    rows = qs[window(offset, limit, max_limit=MAX_LIMIT)]
    return {
        "run_id": run.pk,
        "period": run.period,
        "count": qs.count(),
        "results": [
            {
                "program": r.program,
                "subject_kind": r.subject_kind,
                "household_id": r.household_id,
                "person_id": r.person_id,
                "division_code": r.division_code,
                "eligible": r.eligible,
                "amount": _yuan(r.amount_fen),
                "enrolled": r.enrolled,
            }
            for r in rows
        ],
    }


@router.get("/screening/discrepancies", response={200: dict[str, Any], 422: ErrorsOut}, summary="筛查疑点（限本人辖区）")
def discrepancies(
    request, period: Month = "", division: Division = "", kind: str = "", program: str = "", limit: ResultsLimit = 100, offset: Offset = 0
):
    actor = request.actor
    run = selectors.access_run(period or None)
    code = selectors.parse_division(actor, division)
    if kind and kind not in DiscrepancyKind.values:
        return Status(422, {"detail": "输入有误", "errors": [{"field": "kind", "message": "取值应为：" + "、".join(DiscrepancyKind.values)}]})
    qs = selectors.discrepancies_for(actor, run, division_code=code, kind=kind or None, program=program or None)
    rows = qs[window(offset, limit, max_limit=MAX_LIMIT)]
    return Status(200, {
        "run_id": run.pk,
        "period": run.period,
        "count": qs.count(),
        "discrepancies": [
            {
                "kind": d.kind,
                "kind_label": d.get_kind_display(),
                "program": d.program,
                "subject_kind": d.subject_kind,
                "subject_id": d.subject_id,
                "household_id": d.household_id,
                "person_id": d.person_id,
                "division_code": d.division_code,
                "expected_amount": _yuan(d.expected_amount_fen),
                "actual_amount": _yuan(d.actual_amount_fen),
            }
            for d in rows
        ],
    })


class SimulateIn(BodyIn):
    model_config = ConfigDict(json_schema_extra={"examples": [{"period": "2026-01", "set": {"dibao.standard.urban": "1000.00"}}]})

    period: CoveredMonth
    set: dict[str, Any] = Field(description="要改变的参数：参数键 → 新值（金额为元）；可为空（与现行政策相同）")


@router.post("/simulate", response={202: JobOut, 422: ErrorsOut}, summary="政策模拟（后台计算：返回任务，按 url 查询进度与结果；按乡镇，限本人辖区）")
def simulate_reform(request, data: SimulateIn):
    """The parameters and the period are checked now (422 naming the field); the two
    evaluations of the actor's divisions run in the background worker (seconds for the district),
    as on the 政策模拟 screen. The answer is the job; ``GET /api/v1/jobs/{job_id}`` follows it."""
    try:
        period = Period.parse(data.period)
    except ValueError:
        return _invalid([{"field": "period", "message": "核算期格式应为 YYYY-MM"}])
    parameters = load_parameters()
    try:
        if not parameters.covers(period):
            coverage = parameters.coverage
            raise FactsValidationError([{"field": "period", "message": f"核算期超出参数覆盖范围（{coverage.first}至{coverage.last}）"}])
        parse_overrides(data.set, parameters, allow_empty=True)
    except FactsValidationError as exc:
        return _invalid(exc.errors)
    job = do_enqueue_job(request.actor, SIMULATION, params={"period": str(period), "overrides": data.set, "allow_empty": True}, label=f"{period} 政策模拟")
    job.refresh_from_db()
    return Status(202, job_out(job))


