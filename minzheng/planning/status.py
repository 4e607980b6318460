"""On track, at risk or off track: the pro-rata check 时间过半、任务过半.

For an indicator with a baseline B (its base year's value) and a target T for the target year,
a value V at the end of a period (a year, or a month of a year) is judged as follows.

    time elapsed       e = months from the end of the base year to the end of the period
                           ÷ months from the end of the base year to the end of the target year
                           (clipped to 0…1; 2023 in a 2020→2025 plan: e = 36/60 = 60 %)
    task completed     p = (V − B) ÷ (T − B)          (≥ targets; ≤ targets use (B − V) ÷ (B − T))

    green  进度正常   the target is already met, or p ≥ e
    amber  存在风险   p ≥ 0.8 × e          (at least 80 % of the progress the time elapsed asks for)
    red    进度滞后   p < 0.8 × e, or the target year has come and the target is not met

Targets without a baseline (or whose baseline already equals the target, "保持") cannot be
read pro rata: met is green; not met is amber before the target year and red from it on.
A held target (= with B = T) before the target year is amber within 5 % of the target and red
beyond.
A growth target read against a reference series (indicator 1: the standard's growth ≥ last
year's growth of consumption spending) is judged each year on its own: green when met, red
when not, and "无法评价" while the reference value of that year has not been entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from minzheng.planning.enums import (
    STATUS_COLOUR,
    STATUS_LIGHT,
    STATUS_TONE,
    Status,
    TargetRule,
)

AMBER_SHARE = Decimal("0.8")  # amber down to 80 % of the pro-rata expectation
HOLD_TOLERANCE = Decimal("0.05")  # a held target: amber within 5 % of it
ONE = Decimal(1)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Assessment:
    status: Status
    progress: Decimal | None = None  # p: share of the way from baseline to target
    elapsed: Decimal | None = None  # e: share of the plan period elapsed
    met: bool | None = None
    explanation: str = ""

    @property
    def label(self) -> str:
        return Status(self.status).label

    @property
    def tone(self) -> str:
        return STATUS_TONE[self.status]

    @property
    def colour(self) -> str:
        return STATUS_COLOUR[self.status]

    @property
    def light(self) -> str:
        return STATUS_LIGHT[self.status]

    @property
    def progress_percent(self) -> Decimal | None:
        return None if self.progress is None else (self.progress * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)

    @property
    def elapsed_percent(self) -> Decimal | None:
        return None if self.elapsed is None else (self.elapsed * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


def time_elapsed(baseline_year: int, target_year: int, year: int, month: int = 0) -> Decimal:
    """Share of the period from the end of the base year to the end of the target year that has
    passed at the end of ``year`` (month 0) or of ``month`` of ``year``."""
    total = (target_year - baseline_year) * 12
    if total <= 0:
        return ONE
    passed = (year - baseline_year) * 12 - (12 - month if month else 0)
    return min(ONE, max(ZERO, Decimal(passed) / Decimal(total)))


def _rounded(value: Decimal, decimals: int) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def _pct(x: Decimal) -> str:
    return f"{(x * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def assess(
    *,
    rule: str,
    value: Decimal | None,
    target: Decimal | None,
    baseline: Decimal | None,
    baseline_year: int | None,
    plan_baseline_year: int,
    target_year: int,
    year: int,
    month: int = 0,
    decimals: int = 1,
    reference: Decimal | None = None,
    reference_name: str = "参照值",
) -> Assessment:
    if value is None:
        return Assessment(Status.NO_DATA, explanation="尚无该期数值")
    if rule == TargetRule.GROWTH_VS_REFERENCE:
        if reference is None:
            return Assessment(Status.NOT_ASSESSABLE, explanation=f"缺少{reference_name}，无法评价")
        met = value >= reference
        return Assessment(
            Status.ON_TRACK if met else Status.OFF_TRACK,
            met=met,
            explanation=f"{'达到' if met else '低于'}{reference_name}（{reference}%）",
        )
    if target is None:
        return Assessment(Status.NOT_ASSESSABLE, explanation="目标值不是数字，无法评价")

    shown = _rounded(value, decimals)
    reached_year = year >= target_year
    elapsed = time_elapsed(baseline_year or plan_baseline_year, target_year, year, month)

    if rule == TargetRule.EQUAL:
        if baseline is not None and baseline != target:
            rule = TargetRule.AT_LEAST if target > baseline else TargetRule.AT_MOST
        else:
            met = shown == _rounded(target, decimals)
            if met:
                return Assessment(Status.ON_TRACK, met=True, elapsed=elapsed, explanation="达到目标值")
            if baseline is None:
                if reached_year:
                    return Assessment(Status.OFF_TRACK, met=False, elapsed=elapsed, explanation="目标年未达到目标值")
                return Assessment(
                    Status.AT_RISK, met=False, elapsed=elapsed, explanation="尚未达到目标值（无基期值，不作时序进度判断）"
                )
            deviation = abs(value - target) / abs(target) if target else abs(value)
            if reached_year:
                return Assessment(
                    Status.OFF_TRACK, met=False, elapsed=elapsed, explanation=f"目标年未保持目标值（偏离 {_pct(deviation)}）"
                )
            if deviation <= HOLD_TOLERANCE:
                return Assessment(
                    Status.AT_RISK, met=False, elapsed=elapsed, explanation=f"偏离目标值 {_pct(deviation)}（5%以内）"
                )
            return Assessment(Status.OFF_TRACK, met=False, elapsed=elapsed, explanation=f"偏离目标值 {_pct(deviation)}")

    up = rule == TargetRule.AT_LEAST
    met = shown >= _rounded(target, decimals) if up else shown <= _rounded(target, decimals)
    if baseline is None or baseline == target:
        if met:
            return Assessment(Status.ON_TRACK, met=True, elapsed=elapsed, explanation="已达到目标值")
        if reached_year:
            return Assessment(Status.OFF_TRACK, met=False, elapsed=elapsed, explanation="目标年未达到目标值")
        return Assessment(
            Status.AT_RISK, met=False, elapsed=elapsed, explanation="尚未达到目标值（无基期值，不作时序进度判断）"
        )

    span = (target - baseline) if up else (baseline - target)
    done = (value - baseline) if up else (baseline - value)
    progress = done / span
    if met:
        return Assessment(Status.ON_TRACK, progress, elapsed, True, "已达到目标值")
    if reached_year:
        return Assessment(
            Status.OFF_TRACK, progress, elapsed, False, f"目标年未达到目标值（完成进度 {_pct(progress)}）"
        )
    text = f"完成进度 {_pct(progress)}，时间进度 {_pct(elapsed)}"
    if progress >= elapsed:
        return Assessment(Status.ON_TRACK, progress, elapsed, False, text + "，任务进度不慢于时间进度")
    if progress >= AMBER_SHARE * elapsed:
        return Assessment(Status.AT_RISK, progress, elapsed, False, text + "，略慢于时间进度")
    return Assessment(Status.OFF_TRACK, progress, elapsed, False, text + "，明显慢于时间进度")


def assess_indicator(indicator, value: Decimal | None, *, year: int, month: int = 0, reference=None) -> Assessment:
    plan = indicator.plan
    return assess(
        rule=indicator.target_rule,
        value=value,
        target=indicator.target_value,
        baseline=indicator.baseline_value,
        baseline_year=indicator.baseline_year,
        plan_baseline_year=plan.baseline_year,
        target_year=indicator.target_year,
        year=year,
        month=month,
        decimals=indicator.decimals,
        reference=reference,
        reference_name=indicator.reference_series.name if indicator.reference_series_id else "参照值",
    )
