"""/api/v1/planning/ — the same scorecard as the dashboard, scoped the same way."""

from __future__ import annotations

from django.utils import timezone
from ninja import Router, Schema

from minzheng.core.query_params import Year
from minzheng.accounts.scoping import Division
from minzheng.accounts.permissions import Perm
from minzheng.core.errors import NotFound
from minzheng.divisions.directory import get_directory
from minzheng.planning.dashboard import year_choices
from minzheng.planning.models import Indicator
from minzheng.planning.selectors import (
    default_year,
    get_plan,
    list_plans,
    projects_for,
    resolve_division,
    scorecard,
    town_values,
)

router = Router()


class PlanOut(Schema):
    code: str
    title: str
    document_number: str
    baseline_year: int
    start_year: int
    end_year: int
    midterm_year: int


class FigureOut(Schema):
    code: str
    kind: str
    name: str
    unit: str
    value: str | None
    year: int | None
    month: int | None
    numerator: str | None
    denominator: str | None
    baseline: str | None
    target: str
    target_rule: str
    status: str
    status_label: str
    explanation: str
    source: str
    as_of: str | None


class ScorecardOut(Schema):
    plan: str
    year: int
    division_code: str
    division_name: str
    indicators: list[FigureOut]


class TownFigureOut(Schema):
    division_code: str
    division_name: str
    value: str | None
    status: str
    as_of: str | None


class ProjectOut(Schema):
    code: str
    name: str
    group: str
    location: str
    division_code: str
    investment_wan: str
    funding: str
    period: str
    percent_complete: str
    spent_wan: str
    latest_report_on: str | None


def _s(d) -> str | None:
    return None if d is None else f"{d.normalize():f}"


def _year(plan, year: int | None) -> int:
    if year is None:
        return default_year(plan)
    if year not in year_choices(plan):
        raise NotFound("年度不在规划期内")
    return year


@router.get("/plans", response=list[PlanOut])
def plans(request):
    request.actor.require(Perm.VIEW_DASHBOARD)
    return list_plans()


@router.get("/scorecard", response=ScorecardOut)
def get_scorecard(request, plan: str = "", year: Year = None, division: Division = ""):
    """Every indicator of the plan with value, target, status, source and "data as of", for
    the district or one town the caller may see (another town: 404)."""
    request.actor.require(Perm.VIEW_DASHBOARD)
    p = get_plan(plan or None)
    y = _year(p, year)
    code = resolve_division(request.actor, division or None)
    rows = scorecard(request.actor, p, year=y, division_code=code)
    out = []
    for r in rows:
        ind, v = r.indicator, r.value
        out.append({
            "code": ind.code, "kind": ind.kind, "name": ind.name, "unit": ind.unit,
            "value": _s(v.value) if v else None, "year": v.year if v else None, "month": (v.month or None) if v else None,
            "numerator": _s(v.numerator) if v else None, "denominator": _s(v.denominator) if v else None,
            "baseline": _s(ind.baseline_value), "target": _s(ind.target_value) or ind.target_text,
            "target_rule": ind.target_rule, "status": r.assessment.status, "status_label": r.assessment.label,
            "explanation": r.assessment.explanation, "source": v.source if v else "",
            "as_of": timezone.localtime(v.as_of).isoformat() if v else None,
        })
    return {"plan": p.code, "year": y, "division_code": code, "division_name": get_directory().name(code), "indicators": out}


@router.get("/indicators/{code}/towns", response=list[TownFigureOut])
def indicator_towns(request, code: str, plan: str = "", year: Year = None):
    """The indicator in each town the caller may see."""
    request.actor.require(Perm.VIEW_DASHBOARD)
    p = get_plan(plan or None)
    ind = Indicator.objects.select_related("plan", "mirror_of", "reference_series").filter(plan=p, code=code).first()
    if ind is None:
        raise NotFound("指标不存在")
    y = _year(p, year)
    return [
        {
            "division_code": t["code"], "division_name": t["name"],
            "value": _s(t["value"].value) if t["value"] else None, "status": t["assessment"].status,
            "as_of": timezone.localtime(t["value"].as_of).isoformat() if t["value"] else None,
        }
        for t in town_values(request.actor, p, ind, year=y)
    ]


@router.get("/projects", response=list[ProjectOut])
def projects(request, plan: str = ""):
    request.actor.require(Perm.VIEW_DASHBOARD)
    p = get_plan(plan or None)
    return [
        {
            "code": x.code, "name": x.name, "group": x.group, "location": x.location, "division_code": x.division_code,
            "investment_wan": _s(x.investment_wan), "funding": x.funding, "period": x.period_text,
            "percent_complete": _s(x.latest_percent), "spent_wan": _s(x.latest_spent_wan),
            "latest_report_on": x.latest_report_on.isoformat() if x.latest_report_on else None,
        }
        for x in projects_for(request.actor, p).order_by("group_seq", "seq")
    ]
