"""What screening declares in the indicator registry: the district screening runs of a year
(the disability line counts coverage per run for indicators 3 and 4, docs/disability.md §4)."""

from __future__ import annotations

import datetime as dt

from minzheng.core.indicators import register_indicator
from minzheng.screening.models import ScreeningRun

DISTRICT_RUNS = "screening.district_runs"


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


def register_indicators() -> None:
    """Called from ScreeningConfig.ready()."""
    register_indicator(DISTRICT_RUNS, district_runs, label="全区筛查批次（按月）")
