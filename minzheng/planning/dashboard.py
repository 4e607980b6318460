"""The leaders' dashboard (驾驶舱): one context for the page and its JSON for the charts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.core.district import district_code
from minzheng.divisions.directory import get_directory
from minzheng.planning import geo
from minzheng.planning.charts import sparkline_svg
from minzheng.planning.enums import STATUS_COLOUR, Aggregation, IndicatorKind, Status
from minzheng.planning.models import Plan
from minzheng.planning.selectors import (
    fmt,
    main_and_other,
    projects_for,
    resolve_division,
    scorecard,
    status_counts,
    town_values,
)

DEFAULT_MAP_INDICATOR = "17"


def _f(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _local(ts: dt.datetime | None) -> str:
    return timezone.localtime(ts).strftime("%Y-%m-%d %H:%M") if ts else ""


def year_choices(plan: Plan, today: dt.date | None = None) -> list[int]:
    today = today or clock.today()
    return list(range(plan.start_year, max(plan.end_year, min(today.year, plan.end_year + 5)) + 1))


def dashboard_context(actor: Actor, plan: Plan, *, year: int, division_code: str | None, map_code: str | None) -> dict:
    code = resolve_division(actor, division_code)
    directory = get_directory()
    division = directory.get(code)
    is_district = code == district_code()
    rows = scorecard(actor, plan, year=year, division_code=code, with_history=True)
    main, other = main_and_other(rows)

    cards = []
    trends = {}
    for r in main:
        ind = r.indicator
        years = list(range(plan.start_year, plan.end_year + 1))
        series = [_f(r.history[y].value) if y in r.history else None for y in years]
        baseline = _f(ind.baseline_value)
        target = _f(ind.target_value)
        cards.append({
            "row": r,
            "town_level": ind.aggregation != Aggregation.DISTRICT,
            "sparkline": sparkline_svg([baseline, *series], colour=r.assessment.colour, target=target),
            "as_of": _local(r.as_of),
        })
        trends[ind.code] = {
            "code": ind.code,
            "name": ind.name,
            "unit": ind.unit,
            "years": [str(plan.baseline_year), *map(str, years)],
            "values": [baseline, *series],
            "target": target,
            "baseline": baseline,
            # The pro-rata path from the baseline to the target: where 时间过半、任务过半 puts each year.
            "path": (
                [round(baseline + (target - baseline) * i / (len(years)), 4) for i in range(len(years) + 1)]
                if baseline is not None and target is not None else None
            ),
        }

    map_data = None
    towns = []
    map_indicator = None
    if is_district:
        candidates = {r.indicator.code: r.indicator for r in rows if r.indicator.aggregation != Aggregation.DISTRICT}
        map_indicator = candidates.get(map_code or "") or candidates.get(DEFAULT_MAP_INDICATOR)
        if map_indicator is not None:
            points = geo.town_points()
            base_url = reverse("planning:dashboard")
            for t in town_values(actor, plan, map_indicator, year=year):
                v = t["value"]
                a = t["assessment"]
                lon, lat = points[t["code"]]
                towns.append({
                    "code": t["code"],
                    "name": t["name"],
                    "lon": lon,
                    "lat": lat,
                    "value": _f(v.value) if v else None,
                    "shown": fmt(v.value if v else None, map_indicator.decimals),
                    "status": a.label,
                    "tone": a.tone,
                    "colour": STATUS_COLOUR[a.status],
                    "as_of": _local(v.as_of) if v else "",
                    "url": f"{base_url}?plan={plan.code}&year={year}&division={t['code']}",
                })
            map_data = {
                "outline": geo.district_outline(),
                "indicator": {"code": map_indicator.code, "name": map_indicator.name, "unit": map_indicator.unit},
                "towns": towns,
            }

    projects = list(projects_for(actor, plan).order_by("group_seq", "seq"))
    project_rows = [
        {
            "project": p,
            "division_name": directory.name(p.division_code),
            "percent": float(p.latest_percent),
            "spent_share": float(p.latest_spent_wan / p.investment_wan * 100) if p.investment_wan else 0.0,
            "due": p.end_year <= year and p.latest_percent < 100,
        }
        for p in projects
    ]
    total_investment = sum((p.investment_wan for p in projects), Decimal(0))
    total_spent = sum((p.latest_spent_wan for p in projects), Decimal(0))

    latest_as_of = max((r.as_of for r in rows if r.as_of), default=None)
    chart_data = {
        "trends": trends,
        "trendDefault": next((c for c in ("16", "2", "17") if c in trends), next(iter(trends), None)),
        "map": map_data,
        "statusColours": {s.value: STATUS_COLOUR[s] for s in Status},
    }
    return {
        "plan": plan,
        "year": year,
        "division": division,
        "division_code": code,
        "is_district": is_district,
        "path": directory.path(code)[1:] if not is_district else [],
        # In a town, the district-wide indicators (one figure for all towns) are not counted.
        "counts": status_counts([r for r in main if is_district or r.indicator.aggregation != Aggregation.DISTRICT]),
        "other_counts": status_counts(
            [r for r in other if is_district or r.indicator.aggregation != Aggregation.DISTRICT]
        ),
        "main_counted": sum(1 for r in main if is_district or r.indicator.aggregation != Aggregation.DISTRICT),
        "cards": cards,
        "other_rows": other,
        "map_indicator": map_indicator,
        "map_choices": [r.indicator for r in main if r.indicator.aggregation != Aggregation.DISTRICT],
        "towns": towns,
        "project_rows": project_rows,
        "total_investment": total_investment,
        "total_spent": total_spent,
        "latest_as_of": latest_as_of,
        "chart_data": chart_data,
        "kind_main": IndicatorKind.MAIN,
    }
