"""Demo data of the rules and screening line (called by `minzheng demo`).

`seed_demo(seed=, scale=)` gives the synthetic district its current enrolments for this
month — every eligible subject, plus the deliberate, recorded errors of `seeding.py` — and
runs one screening, so the result, discrepancy and "why" screens have something to show.

Programs that already have enrolments (the casework demo enrols most 低保 and 特困 cases and
leaves the rest for screening to find) are left to their owner: only the other programs are
seeded. Idempotent: a period already seeded, or already screened, is left as it is.
"""

from __future__ import annotations

from typing import Any

from minzheng.accounts.actor import Actor
from minzheng.assistance.selectors import live_enrolment_programs
from minzheng.registry.models import Person
from minzheng.screening.compare import ENROLLABLE
from minzheng.screening.explain import default_period
from minzheng.screening.models import ScreeningRun, SeededError
from minzheng.screening.runs import do_run_screening
from minzheng.screening.seeding import seed_enrolments

DEMO_ERROR_RATE = 0.03


def seed_demo(*, seed: int, scale: float) -> dict[str, Any]:
    period = default_period()
    out: dict[str, Any] = {"核算期": period}
    if not Person.objects.exists():
        out["说明"] = "人口库为空，未生成在保名册"
        return out
    if SeededError.objects.filter(period=period).exists():
        out["在保名册"] = "已生成，未改动"
    else:
        taken = live_enrolment_programs()
        programs = tuple(p for p in ENROLLABLE if p not in taken)
        if not programs:
            out["在保名册"] = "各项目已有在保对象，未另行生成"
            return _screen(out, period)
        report = seed_enrolments(period=period, seed=seed, error_rate=DEMO_ERROR_RATE, programs=programs)
        errors = report.errors
        out["在保名册"] = f"{report.enrolments:,} 条（按规则正确 {report.correct:,} 条）"
        out["预置差错"] = (
            f"漏保 {errors['missed']}，错保 {errors['ineligible']}，金额不符 {errors['amount_differs']}，"
            f"死亡仍在保 {errors['deceased_enrolled']}"
        )
    return _screen(out, period)


def _screen(out: dict[str, Any], period: str) -> dict[str, Any]:
    if ScreeningRun.objects.filter(period=period, is_current=True).exists():
        out["筛查"] = "本期已筛查，未重复运行"
    else:
        run = do_run_screening(Actor.system("演示数据：首次筛查"), period=period)
        kinds = run.counts["discrepancies"]
        out["筛查"] = f"批次 {run.pk}，{run.counts['households']:,} 户，疑点 {sum(kinds.values())} 条（用时 {run.seconds:.1f} 秒）"
    return out
