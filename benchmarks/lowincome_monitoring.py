"""Benchmark: the 低收入人口 monthly dynamic monitoring on a whole district.

    .venv/bin/python benchmarks/lowincome_monitoring.py --scale 1.0 [--recognised 5000] [--json]
        SQLite: var/bench/lowincome-<scale>.sqlite3 — migrated, divisions loaded and the district
        generated when the file is new (reused afterwards: generation is not timed).
    DATABASE_URL=postgres://user@host:port/db .venv/bin/python benchmarks/lowincome_monitoring.py --scale 1.0

Steps: (once) the synthetic roster (`screening.seeding.seed_enrolments`) and a screening run of
the period; (once) --recognised households the screening found 低保边缘 are marked recognised
in bulk (benchmark set-up only: real recognitions go through the actions, one household at a
time); then `do_run_monitoring` three times — the first fills the register (everyone new),
the second finds nothing to change, the third runs after 10 % of the recognised households'
screening verdict was changed (they move tier or leave). Wall and CPU time of each run.
Results: docs/performance.md, "低收入人口 dynamic monitoring".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(scale: float, seed: int) -> dict:
    if not os.environ.get("DATABASE_URL"):
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{bench_dir / f'lowincome-{scale:g}.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from minzheng.divisions.directory import invalidate_directory
    from minzheng.divisions.loader import load_divisions
    from minzheng.registry.generate import generate_district
    from minzheng.registry.models import Person

    info = {"database": connection.vendor}
    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        load_divisions()
        invalidate_directory()
        started = time.perf_counter()
        generate_district(scale=scale, seed=seed)
        info["generate_seconds"] = round(time.perf_counter() - started, 1)
    return info


def _prepare(period: str, seed: int, recognised: int) -> dict:
    import datetime as dt

    import polars as pl

    from minzheng.accounts.actor import Actor
    from minzheng.core.bulk import bulk_insert
    from minzheng.lowincome.models import Recognition
    from minzheng.registry.models import Household
    from minzheng.screening import selectors as screening_selectors
    from minzheng.screening.models import SeededError
    from minzheng.screening.runs import do_run_screening
    from minzheng.screening.seeding import seed_enrolments

    out: dict = {}
    if not SeededError.objects.filter(period=period).exists():
        started = time.perf_counter()
        seed_enrolments(period=period, seed=seed, error_rate=0.02)
        out["seed_enrolments_seconds"] = round(time.perf_counter() - started, 1)
    run = screening_selectors.current_run(period)
    if run is None:
        started = time.perf_counter()
        run = do_run_screening(Actor.system("性能测试"), period=period)
        out["screening_seconds"] = round(time.perf_counter() - started, 1)
    if not Recognition.objects.exists():
        edge = screening_selectors.eligible_household_ids(run, ("low_income_edge",))["low_income_edge"][:recognised]
        rows = Household.objects.filter(pk__in=edge).values_list("id", "division_code", "zone")
        day = dt.date.fromisoformat(f"{period}-01")
        frame = pl.DataFrame(list(rows), schema={"household_id": pl.Int64, "division_code": pl.Utf8, "zone": pl.Utf8}, orient="row")
        frame = frame.with_columns(
            pl.format("BENCH{}", pl.col("household_id")).alias("number"),
            pl.lit("edge").alias("kind"), pl.lit("application").alias("origin"), pl.lit("recognised").alias("status"),
            pl.lit(day).alias("submitted_on"), pl.lit(day).alias("decided_on"), pl.lit(1, pl.Int64).alias("version"),
            pl.lit("").alias("reason"), pl.lit("").alias("decision_note"), pl.lit("").alias("end_reason"),
            pl.lit(False).alias("deadline_extended"),
        )
        bulk_insert(Recognition, frame.columns, frame)
        out["recognised_households"] = frame.height
    out["screening_run"] = run.pk
    return out


def _perturb(period: str) -> int:
    """Change the screening verdict of 10 % of the recognised households (edge → rigid or gone)."""
    from minzheng.lowincome.models import Recognition
    from minzheng.screening import selectors as screening_selectors
    from minzheng.screening.models import ScreeningResult

    run = screening_selectors.current_run(period)
    ids = list(Recognition.objects.values_list("household_id", flat=True).order_by("id")[::10])
    half = len(ids) // 2
    ScreeningResult.objects.filter(run=run, program="low_income_edge", household_id__in=ids).delete()
    ScreeningResult.objects.bulk_create(
        [ScreeningResult(run=run, program="rigid_spending_hardship", subject_kind="household", household_id=h, division_code="", eligible=True, amount_fen=0) for h in ids[:half]]
    )
    return len(ids)


def measure(period: str) -> list[dict]:
    from minzheng.accounts.actor import Actor
    from minzheng.lowincome.monitoring import do_run_monitoring

    actor = Actor.system("性能测试")
    runs = []
    for label in ("first (all new)", "second (no change)", "third (10 % of recognised re-screened)"):
        if label.startswith("third"):
            _perturb(period)
        wall, cpu = time.perf_counter(), time.process_time()
        run = do_run_monitoring(actor, period=period)
        c = run.counts
        runs.append(
            {
                "run": label, "wall": round(time.perf_counter() - wall, 2), "cpu": round(time.process_time() - cpu, 2),
                "register": c["register"], "new": c["new"], "moved": c["moved"], "left": c["left"], "tiers": c["tiers"],
            }
        )
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20201231)
    parser.add_argument("--period", default="2026-12")
    parser.add_argument("--recognised", type=int, default=5000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    info = _setup(args.scale, args.seed)
    info.update(_prepare(args.period, args.seed, args.recognised))
    info["runs"] = measure(args.period)
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return
    for key, value in info.items():
        if key != "runs":
            print(f"{key}: {value}")
    for r in info["runs"]:
        print(f"{r['run']:<42} wall {r['wall']:>6} s  cpu {r['cpu']:>6} s  register {r['register']:>7}  new {r['new']:>7}  moved {r['moved']:>5}  left {r['left']:>5}")


if __name__ == "__main__":
    main()
