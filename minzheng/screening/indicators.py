"""What rules and screening declare in the indicator registry: the district screening runs
of a year, and per run and program the eligible subjects holding a current enrolment, by town
(plan indicators 3 and 4, disability subsidy coverage)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import Substr

from minzheng.accounts.actor import Actor
from minzheng.core.indicators import register_indicator
from minzheng.screening.models import ScreeningResult, ScreeningRun

DISTRICT_RUNS = "screening.district_runs"
ENROLLED_AMONG_ELIGIBLE_BY_TOWN = "screening.enrolled_among_eligible_by_town"


def district_runs(year: int) -> list[tuple[int, str, dt.datetime]]:
    """(id, "YYYY-MM", finished at) of the current whole-district run of each month of a year
    that has one, oldest first."""
    rows = (
        ScreeningRun.objects.filter(is_current=True, division_prefix="", period__gte=f"{year}-01", period__lte=f"{year}-12")
        .order_by("period", "id")
        .values_list("id", "period", "finished_at")
    )
    latest = {period: (run_id, period, finished) for run_id, period, finished in rows}
    return [latest[p] for p in sorted(latest)]


def enrolled_among_eligible_by_town(run_id: int, program: str) -> dict[str, tuple[int, int]]:
    """{town: (eligible subjects with a current enrolment, eligible subjects)} of one run. Each
    result says whether the rules find the subject eligible and whether it holds a current
    (active or suspended) enrolment of the program."""
    rows = (
        ScreeningResult.objects.visible_to(Actor.system("规划监测：补贴覆盖率"))
        .filter(run_id=run_id, program=program, eligible=True)
        .annotate(town=Substr("division_code", 1, 9))
        .values("town")
        .annotate(eligible_n=Count("id"), enrolled_n=Count("id", filter=Q(enrolled=True)))
        .order_by()
    )
    return {r["town"]: (r["enrolled_n"], r["eligible_n"]) for r in rows}


def register_indicators() -> None:
    """Called from ScreeningConfig.ready()."""
    register_indicator(DISTRICT_RUNS, district_runs, label="全区筛查批次（按月）")
    register_indicator(
        ENROLLED_AMONG_ELIGIBLE_BY_TOWN, enrolled_among_eligible_by_town, label="应享且在保人数（分镇街）", unit="人"
    )
