"""The section dashboard: indicators 16–19 and, by town, beds, shares, coverage,
assessments, orders and visits — a handful of grouped queries, no per-town loop of queries."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.db.models.functions import Substr

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.core.district import district_code
from minzheng.core.snapshots import snapshot_in_scope
from minzheng.core.periods import month_start, period_of
from minzheng.divisions.directory import get_directory
from minzheng.eldercare.coverage import coverage_for
from minzheng.eldercare.indicators import compute_indicators, facility_figures_by_town
from minzheng.eldercare.params import load_parameters
from minzheng.eldercare.selectors import (
    assessment_coverage,
    list_assessments_for,
    list_orders_for,
    list_visit_records_for,
    overdue_visits,
)


def _by_town(qs) -> dict[str, int]:
    return dict(qs.annotate(town=Substr("division_code", 1, 9)).values("town").annotate(n=Count("id")).order_by().values_list("town", "n"))


def allowance_programs(on: dt.date) -> list[dict]:
    """Elderly allowances the plan expects but no found document sets: programs, no amount."""
    params = load_parameters()
    out = []
    for name in params.names():
        if name.startswith("allowance."):
            found = params.find(name, on)
            out.append({"name": params.info(name).description, "amount": None if found is None else found.value})
    return out


SNAPSHOT = "eldercare.dashboard"


def dashboard_data(actor: Actor, *, division_code: str | None = None) -> dict:
    """The dashboard of the actor's scope (or ``division_code`` in it). For the district and a
    town — thousands of elders, a service-circle computation — the figures come from the
    snapshot (refreshed nightly, after generation, by 重新统计); a village is counted now."""
    today = clock.today()
    stored = snapshot_in_scope(SNAPSHOT, actor, division_code)
    figures = stored.data if stored is not None else dashboard_figures(actor, division_code=division_code)
    return {**figures, "stored": stored, "month": period_of(today), "allowances": allowance_programs(today)}


def district_and_towns() -> list[str]:
    return [district_code(), *sorted(t.code for t in get_directory().towns())]


def compute_dashboard_snapshot(now: dt.datetime) -> dict[str, dict]:
    """The district's and each town's figures (28 computations of a few grouped queries each)."""
    system = Actor.system("养老服务概况统计")
    return {code: dashboard_figures(system, division_code=code) for code in district_and_towns()}


def dashboard_figures(actor: Actor, *, division_code: str | None = None) -> dict:
    """Indicators 16–19 and the by-town table (JSON: it is what the snapshot stores)."""
    today = clock.today()
    year_ago = today - dt.timedelta(days=365)
    indicators = compute_indicators(actor, division_code=division_code, with_coverage=False)
    coverage = coverage_for(actor, division_code=division_code, on=today)
    indicators["18"] = {
        "name": "“一刻钟”居家养老服务圈覆盖率", "unit": "%", "value": coverage.village_share,
        "numerator": coverage.villages_covered, "denominator": coverage.villages_total,
        "provisional": coverage.settings.provisional,
    }  # fmt: skip
    indicators = dict(sorted(indicators.items()))
    facilities = facility_figures_by_town(actor, division_code)
    cov_towns = {t["code"]: t for t in coverage.by_town}
    assess = _by_town(list_assessments_for(actor, division_code=division_code).filter(assessed_on__gte=year_ago))
    assess80 = {t["code"]: t for t in assessment_coverage(actor, division_code=division_code, today=today)["towns"]}
    orders = _by_town(list_orders_for(actor, division_code=division_code).filter(requested_on__gte=month_start(today)))
    visits = _by_town(list_visit_records_for(actor).filter(visited_on__gte=month_start(today)))
    overdue: dict[str, int] = {}
    for row in overdue_visits(actor, division_code=division_code, today=today):
        town = row["target"].division_code[:9]
        overdue[town] = overdue.get(town, 0) + 1
    directory = get_directory()
    codes = sorted(set(facilities) | set(cov_towns) | set(assess) | set(orders) | set(visits) | set(assess80))
    towns = []
    for code in codes:
        f = facilities.get(code, {})
        c = cov_towns.get(code, {})
        towns.append(
            {
                "code": code,
                "name": directory.name(code),
                "beds": f.get("beds", 0),
                "nursing_share": f.get("nursing_share"),
                "medical_share": f.get("medical_share"),
                "village_share": c.get("village_share"),
                "people_share": c.get("people_share"),
                "assessments": assess.get(code, 0),
                "assessed80_share": assess80.get(code, {}).get("share"),
                "orders": orders.get(code, 0),
                "visits": visits.get(code, 0),
                "overdue": overdue.get(code, 0),
            }
        )
    return {
        "indicators": indicators,
        # the visits are not filtered by division_code (list_visit_records_for): keep its towns
        "towns": [t for t in towns if not division_code or t["code"].startswith(division_code[:9])],
        "circle": {"radius_m": coverage.settings.radius_m, "walking_minutes": coverage.settings.walking_minutes},
    }
