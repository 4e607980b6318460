"""What the 两项补贴 line declares in the indicator registry: plan indicators 3 and 4
(困难残疾人生活补贴 and 重度残疾人护理补贴 coverage) — per screening run and program, the
eligible persons holding an enrolment that covers the run's month, by town. Planning reads it
(planning/adapters.py ``SCREENING_COVERAGE``)."""

from __future__ import annotations

from minzheng.core.indicators import register_indicator
from minzheng.disability.selectors import enrolled_among_eligible_by_town

ENROLLED_AMONG_ELIGIBLE_BY_TOWN = "disability.enrolled_among_eligible_by_town"


def register_indicators() -> None:
    """Called from DisabilityConfig.ready()."""
    register_indicator(
        ENROLLED_AMONG_ELIGIBLE_BY_TOWN, enrolled_among_eligible_by_town, label="两项补贴应享且在保人数（分镇街）", unit="人"
    )
