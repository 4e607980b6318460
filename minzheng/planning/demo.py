"""Demo data of plan monitoring: the real 2021–2025 plan, and synthetic values and progress.

``seed_demo(seed=…, scale=…)`` loads the plan (idempotent), computes what can be computed,
and — once per database — adds synthetic hand-entered values for 2021–2025 (each marked
“演示数据” in its evidence and approved through the normal maker-checker actions), progress
reports of the key projects, reference values for indicator 1, lock dates for 2021–2023 and
sample report text. Nothing here is a real figure of Fuling district.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError
from minzheng.divisions.directory import get_directory
from minzheng.planning.actions import (
    ProgressInput,
    ValueInput,
    computation_blocks_entry,
    do_approve_submission,
    do_recompute_indicators,
    do_record_progress,
    do_save_narrative,
    do_set_period_lock,
    do_set_reference_value,
    do_submit_value,
)
from minzheng.planning.enums import ReportKind, TargetRule
from minzheng.planning.loader import load_plan
from minzheng.planning.models import Indicator, Plan, ReferenceSeries, ValueSubmission

DEMO_MARK = "演示数据"
TOWN_LEVEL_CODES = ("11", "13")  # ratio indicators seeded for every town, rolled up as totals
LOCKED_YEARS = (2021, 2022, 2023)


def _q(value: float, decimals: int) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def _trajectory(ind: Indicator, year: int, pace: float, rng: random.Random) -> Decimal | None:
    """A plausible value: the way from baseline to target at ``pace`` × time elapsed, with noise."""
    target = float(ind.target_value) if ind.target_value is not None else None
    if target is None:
        return None
    baseline = float(ind.baseline_value) if ind.baseline_value is not None else target * rng.uniform(0.55, 0.8)
    t = (year - 2020) / 5
    value = baseline + (target - baseline) * min(1.15, pace * t) + (target - baseline) * rng.uniform(-0.03, 0.03)
    if ind.unit == "%" and ind.target_rule != TargetRule.GROWTH_VS_REFERENCE:
        value = max(0.0, min(100.0, value))
    if ind.target_rule == TargetRule.EQUAL and ind.baseline_value == ind.target_value:
        value = min(target, target - abs(rng.gauss(0, 0.6)))  # a held 100 %: at or a little below
    return _q(max(value, 0.0), ind.decimals if ind.unit != "%" else 1)


def seed_demo(*, seed: int, scale: float) -> dict:
    actor = Actor.system("演示数据：规划监测")
    summary = load_plan(actor=actor)
    plan = Plan.objects.get(code=summary.plan)
    out = {"规划指标": summary.indicators + summary.other_targets, "重点项目": summary.projects}
    already = ValueSubmission.objects.filter(indicator__plan=plan, evidence__startswith=DEMO_MARK).exists()
    if not already:
        rng = random.Random(seed)
        out["演示填报（已审核）"] = _seed_values(plan, actor, rng)
        out["项目进度报告"] = _seed_progress(plan, actor, rng)
        _seed_references(plan, actor, rng)
        _seed_narratives(plan, actor)
    else:
        out["演示填报"] = "已存在，未重复生成"
    this_year = clock.today().year
    recomputed = 0
    for year in range(plan.start_year, this_year + 1):
        try:
            s = do_recompute_indicators(actor, plan, year=year)
        except DomainError:
            continue  # a locked year keeps its figures
        recomputed += s.created + s.updated
    out["系统计算数值"] = recomputed
    if not already:
        for year in LOCKED_YEARS:
            do_set_period_lock(actor, plan, year=year, locks_on=dt.date(year + 1, 3, 31), note=f"{DEMO_MARK}：年报报送截止")
        out["已锁定年度"] = "、".join(map(str, LOCKED_YEARS))
    return out


def _submit(actor, plan, **kw) -> None:
    submission = do_submit_value(actor, plan, ValueInput(**kw))
    do_approve_submission(actor, submission.pk, note=DEMO_MARK)


def _seed_values(plan: Plan, actor: Actor, rng: random.Random) -> int:
    today = clock.today()
    towns = sorted(get_directory().towns(), key=lambda t: t.code)
    count = 0
    for ind in Indicator.objects.filter(plan=plan).select_related("mirror_of", "plan").order_by("kind", "seq"):
        pace = rng.choice([0.7, 0.9, 1.0, 1.05, 1.2])
        for year in plan.years:
            if year > today.year or computation_blocks_entry(ind, year) is not None:
                continue
            as_of = min(dt.date(year, 12, 31), today)
            evidence = f"{DEMO_MARK}（合成数值，非涪陵区统计数据）"
            if ind.code in TOWN_LEVEL_CODES:
                for town in towns:
                    if ind.code == "11":
                        den = 1
                        num = 1 if rng.random() < min(1.0, 0.35 + 0.15 * (year - 2020) * pace) else 0
                    else:
                        den = rng.randint(18_000, 90_000)
                        share = min(1.0, 0.48 + 0.1 * (year - 2020) * pace + rng.uniform(-0.08, 0.08))
                        num = int(den * max(0.0, share))
                    _submit(actor, plan, indicator_code=ind.code, year=year, division_code=town.code, as_of=as_of,
                            evidence=evidence, numerator=str(num), denominator=str(den))
                    count += 1
                continue
            value = _trajectory(ind, year, pace, rng)
            if value is None:
                continue
            division = district_code()
            _submit(actor, plan, indicator_code=ind.code, year=year, division_code=division, as_of=as_of,
                    evidence=evidence, value=str(value))
            count += 1
    # District figures of the town-level ratios: total ÷ total of the towns just entered.
    for code in TOWN_LEVEL_CODES:
        ind = Indicator.objects.get(plan=plan, code=code)
        for year in plan.years:
            rows = ind.values.filter(year=year, month=0).exclude(division_code=district_code())
            num = sum((r.numerator for r in rows), Decimal(0))
            den = sum((r.denominator for r in rows), Decimal(0))
            if den:
                _submit(actor, plan, indicator_code=code, year=year, division_code=district_code(),
                        as_of=min(dt.date(year, 12, 31), today),
                        evidence=f"{DEMO_MARK}：各乡镇（街道）合计分子÷合计分母", numerator=str(num), denominator=str(den))
                count += 1
    return count


def _seed_progress(plan: Plan, actor: Actor, rng: random.Random) -> int:
    today = clock.today()
    count = 0
    for project in plan.projects.order_by("group_seq", "seq"):
        delayed = rng.random() < 0.2
        span = max(project.end_year - project.start_year + 1, 1)
        for year in range(project.start_year, min(project.end_year, today.year) + 1):
            share = (year - project.start_year + 1) / span
            percent = 100.0 if share >= 1 else 100.0 * share * rng.uniform(0.85, 1.0)
            if delayed:
                percent *= rng.uniform(0.6, 0.85)
            percent = min(100.0, percent)
            spent = float(project.investment_wan) * percent / 100 * rng.uniform(0.9, 1.0)
            reported_on = min(dt.date(year, 12, 20), today)
            do_record_progress(actor, project.pk, ProgressInput(
                reported_on=reported_on,
                percent_complete=str(_q(max(percent, float(project.latest_percent)), 1)),
                spent_wan=str(_q(spent, 2)),
                milestones=f"{DEMO_MARK}：{year}年度形象进度" + ("（已竣工）" if percent >= 100 else ""),
                issues=f"{DEMO_MARK}：征地协调滞后" if delayed and percent < 100 else "",
            ))
            project.refresh_from_db()
            count += 1
    return count


def _seed_references(plan: Plan, actor: Actor, rng: random.Random) -> None:
    series = ReferenceSeries.objects.filter(indicators__plan=plan).distinct().first()
    if series is None:
        return
    for year in range(plan.baseline_year, plan.end_year):
        do_set_reference_value(actor, series, year=year, value=str(_q(rng.uniform(1.5, 6.5), 1)),
                               evidence=f"{DEMO_MARK}（非统计公报数值，请录入重庆市统计公报数据）")


def _seed_narratives(plan: Plan, actor: Actor) -> None:
    texts = {
        ReportKind.MIDTERM: {
            "overview": f"（{DEMO_MARK}）规划实施以来，全区民政事业总体进展顺利，多数指标达到时序进度要求。",
            "achievements": f"（{DEMO_MARK}）兜底保障标准逐年提高，养老服务设施网络加快完善。",
            "problems": f"（{DEMO_MARK}）部分指标进度慢于时间进度，个别重点项目建设滞后。",
            "next_steps": f"（{DEMO_MARK}）聚焦滞后指标，压实责任科室，加快重点项目建设。",
        },
        ReportKind.FINAL: {
            "overview": f"（{DEMO_MARK}）“十四五”规划主要目标任务总体完成。",
            "achievements": f"（{DEMO_MARK}）基本民生保障更加有力，基层社会治理和养老服务水平明显提升。",
            "problems": f"（{DEMO_MARK}）少数指标未达到目标值，部分社会投资养老项目推进缓慢。",
            "next_steps": f"（{DEMO_MARK}）建议“十五五”规划延续养老服务和兜底保障指标，并将未完成项目纳入续建清单。",
        },
    }
    for kind, sections in texts.items():
        do_save_narrative(actor, plan, kind, sections)



