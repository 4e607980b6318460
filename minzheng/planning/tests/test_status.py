"""The pro-rata check 时间过半、任务过半, worked out by hand (see status.py for the rule)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from minzheng.planning.enums import Status, TargetRule
from minzheng.planning.status import assess, time_elapsed


def beds(value, year, month=0):
    # Indicator 16: 5108 beds in 2020, ≥ 8000 in 2025.
    return assess(
        rule=TargetRule.AT_LEAST, value=value, target=D(8000), baseline=D(5108), baseline_year=2020,
        plan_baseline_year=2020, target_year=2025, year=year, month=month, decimals=0,
    )


def test_time_elapsed_counts_months_from_the_end_of_the_base_year():
    assert time_elapsed(2020, 2025, 2023) == D("0.6")  # 36 of 60 months
    assert time_elapsed(2020, 2025, 2023, 6) == D("0.5")  # 30 of 60: 时间过半
    assert time_elapsed(2020, 2025, 2021, 1) == D(1) / D(60)
    assert time_elapsed(2020, 2025, 2026) == D(1)  # clipped after the target year
    assert time_elapsed(2020, 2025, 2020) == D(0)


@pytest.mark.parametrize(
    "value, status, progress",
    [
        # 2023: e = 0.6. p = (V − 5108) ÷ 2892.
        (D(7000), Status.ON_TRACK, "65.4"),  # 1892/2892 = 0.6542 ≥ 0.6
        (D(6700), Status.AT_RISK, "55.0"),  # 1592/2892 = 0.5505: ≥ 0.8 × 0.6 = 0.48, < 0.6
        (D(6400), Status.OFF_TRACK, "44.7"),  # 1292/2892 = 0.4467 < 0.48
        (D(5000), Status.OFF_TRACK, "-3.7"),  # below the baseline
        (D(8100), Status.ON_TRACK, "103.5"),  # target already met
    ],
)
def test_mid_term_pro_rata(value, status, progress):
    a = beds(value, 2023)
    assert a.status == status
    assert str(a.progress_percent) == progress
    assert a.elapsed_percent == D("60.0")


def test_half_way_through_time_needs_half_the_task():
    # June 2023: e = 0.5; 6554 beds = exactly half of the way (1446/2892).
    assert beds(D(6554), 2023, 6).status == Status.ON_TRACK
    assert beds(D(6553), 2023, 6).status == Status.AT_RISK


def test_target_year_not_met_is_off_track():
    assert beds(D(7999), 2025).status == Status.OFF_TRACK
    assert beds(D(8000), 2025).status == Status.ON_TRACK
    assert beds(D(7999), 2026).status == Status.OFF_TRACK  # after the plan: the final target


def test_a_lower_is_better_target_mirrors_the_rule():
    a = assess(
        rule=TargetRule.AT_MOST, value=D(7), target=D(5), baseline=D(10), baseline_year=2020,
        plan_baseline_year=2020, target_year=2025, year=2023,
    )
    assert a.status == Status.ON_TRACK and a.progress == D("0.6")  # (10 − 7) ÷ (10 − 5)


def held(value, year=2023):
    # Indicators 3/4: 100 % in 2020 and 100 % in 2025 (=, binding).
    return assess(
        rule=TargetRule.EQUAL, value=value, target=D(100), baseline=D(100), baseline_year=2020,
        plan_baseline_year=2020, target_year=2025, year=year,
    )


def test_a_held_target_is_amber_within_five_percent():
    assert held(D(100)).status == Status.ON_TRACK
    assert held(D("99.96")).status == Status.ON_TRACK  # 100.0 at one decimal
    assert held(D(97)).status == Status.AT_RISK
    assert held(D(94)).status == Status.OFF_TRACK
    assert held(D(97), year=2025).status == Status.OFF_TRACK  # the final year: held or not


def test_without_a_baseline_there_is_no_pro_rata():
    # Indicator 10: no 2020 figure, 100 % by 2025.
    kwargs = dict(rule=TargetRule.EQUAL, target=D(100), baseline=None, baseline_year=None,
                  plan_baseline_year=2020, target_year=2025)
    assert assess(value=D(80), year=2023, **kwargs).status == Status.AT_RISK
    assert assess(value=D(80), year=2025, **kwargs).status == Status.OFF_TRACK
    assert assess(value=D(100), year=2023, **kwargs).status == Status.ON_TRACK


def test_growth_against_a_reference_series():
    kwargs = dict(rule=TargetRule.GROWTH_VS_REFERENCE, target=None, baseline=None, baseline_year=None,
                  plan_baseline_year=2020, target_year=2025, year=2023)
    assert assess(value=D("2.51"), reference=None, **kwargs).status == Status.NOT_ASSESSABLE
    assert assess(value=D("2.51"), reference=D("2.5"), **kwargs).status == Status.ON_TRACK
    assert assess(value=D("2.51"), reference=D("3.0"), **kwargs).status == Status.OFF_TRACK


def test_no_value_is_no_data():
    assert beds(None, 2023).status == Status.NO_DATA
