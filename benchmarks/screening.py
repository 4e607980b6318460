"""Benchmark: whole-district screening from the database, per-case evaluation, and the same
rules in OpenFisca on the same data.

    .venv/bin/python benchmarks/screening.py --scale 1.0 [--openfisca]
        SQLite: var/bench/screening-<scale>.sqlite3 — migrated, divisions loaded and the
        district generated when the file is new (reused afterwards: generation is not timed).
    DATABASE_URL=postgres://user@host:port/db .venv/bin/python benchmarks/screening.py --scale 1.0
        PostgreSQL: migrated; the district is generated when the registry is empty.

Steps, all on the same registry:
  1. (once) `seed_enrolments`: the synthetic roster with recorded errors, so that the
     comparison has ~80,000 enrolments to join at scale 1.0;
  2. the columnar facts snapshot rebuilt from a whole read, and read back (registry.snapshot);
     then `do_run_screening` × --repeat: snapshot → frames → every program → discrepancies →
     stored results, wall and CPU time per phase (the goal is ≤ 3 s wall at scale 1.0);
     checks that the discrepancies equal the seeded errors;
  2a. `minzheng screen` twice as a new process (start-up included), and the start-up alone;
  2b. incremental screening × --repeat: --refresh-households households written again, then
     `do_refresh_screening` (goal ≤ 1 s); a full run afterwards must give the same counts;
  3. per case: `evaluate_household` with full explanation on --samples households of the
     registry (facts built by `household_facts`), median and p95;
  4. --openfisca: writes the frames and our results to --data-dir and runs
     benchmarks/openfisca/run.sh there (its own venv: OpenFisca is no product dependency),
     which times OpenFisca per case (situation dicts) and vectorised (arrays) and checks
     that both engines agree on eligibility and amounts for dibao, tekun and the two
     disability subsidies; then OpenFisca as one whole new process (start-up, read, build,
     calculate), twice, to set beside `minzheng screen` as a new process (2a).

Prints a table (or --json). Results are written up in docs/performance.md, "Rules engine and
screening".
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OPENFISCA_PROGRAMS = ("dibao", "tekun", "disability_living_subsidy", "severe_disability_care_subsidy")


def _setup_database(scale: float, seed: int) -> dict:
    if not os.environ.get("DATABASE_URL"):
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{bench_dir / f'screening-{scale:g}.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from minzheng.divisions.directory import invalidate_directory
    from minzheng.divisions.loader import load_divisions
    from minzheng.registry.generate import generate_district
    from minzheng.registry.models import Person

    info = {"database": connection.vendor, "database_url": os.environ["DATABASE_URL"].split("@")[-1]}
    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        load_divisions()
        invalidate_directory()
        started = time.perf_counter()
        generate_district(scale=scale, seed=seed)
        info["generate_seconds"] = round(time.perf_counter() - started, 1)
    return info


def _cpu() -> float:
    return time.process_time()


def measure_screening(period: str, repeat: int, seed: int) -> dict:
    from minzheng.accounts.actor import Actor
    from minzheng.screening.models import Discrepancy, SeededError
    from minzheng.screening.runs import do_run_screening
    from minzheng.screening.seeding import seed_enrolments

    out: dict = {}
    if not SeededError.objects.filter(period=period).exists():
        started = time.perf_counter()
        report = seed_enrolments(period=period, seed=seed, error_rate=0.02)
        out["seed_enrolments_seconds"] = round(time.perf_counter() - started, 2)
        out["seeded"] = report.errors
    runs = []
    actor = Actor.system("性能测试")
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), _cpu()
        run = do_run_screening(actor, period=period)
        runs.append(
            {
                "wall": round(time.perf_counter() - wall, 2),
                "cpu": round(_cpu() - cpu, 2),
                **{f"{k}_wall": v for k, v in run.timings.items()},
            }
        )
    found = set(Discrepancy.objects.filter(run=run).values_list("kind", "program", "subject_kind", "subject_id"))
    seeded = set(SeededError.objects.filter(period=period).values_list("kind", "program", "subject_kind", "subject_id"))
    out.update(
        households=run.counts["households"],
        members=run.counts["members"],
        enrolments=run.counts["enrolments"],
        results_stored=run.counts["results_stored"],
        discrepancies=sum(run.counts["discrepancies"].values()),
        discrepancies_equal_seeded=found == seeded,
        runs=runs,
        best_wall=min(r["wall"] for r in runs),
        median_wall=statistics.median(r["wall"] for r in runs),
        best_cpu=min(r["cpu"] for r in runs),
    )
    return out


def measure_snapshot() -> dict:
    """The columnar facts snapshot rebuilt from a whole read (what the first screening after
    a restore or a TRUNCATE pays), and a read of it when nothing changed."""
    from minzheng.registry.snapshot import current_facts_frames, refresh_facts_snapshot

    started = time.perf_counter()
    refresh_facts_snapshot()
    build = time.perf_counter() - started
    started = time.perf_counter()
    current_facts_frames()
    return {"snapshot_build_seconds": round(build, 2), "snapshot_read_seconds": round(time.perf_counter() - started, 3)}


def measure_cli(period: str, repeat: int) -> dict:
    """`minzheng screen` as an operator runs it: a new process each time, wall clock from the
    shell's point of view (Python and Django start-up included)."""
    walls, seconds = [], []
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "minzheng"), "screen", "--period", period, "--json"],
            capture_output=True, text=True, check=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
        )  # fmt: skip
        walls.append(round(time.perf_counter() - started, 2))
        seconds.append(json.loads(done.stdout)["seconds"])
    started = time.perf_counter()
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "minzheng"), "shell", "-c", "pass"],
        capture_output=True, check=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
    )  # fmt: skip
    return {
        "cli_walls": walls,
        "cli_run_seconds": seconds,
        "cli_best_wall": min(walls),
        "django_startup_seconds": round(time.perf_counter() - started, 2),
    }


def measure_refresh(period: str, households: int, repeat: int, seed: int) -> dict:
    """A day's changes: ``households`` households whose people are written again (an UPDATE
    of every member row — the triggers log each, whether or not a value moved, so the refresh
    evaluates all of them), then `do_refresh_screening`. After the last refresh a full run
    must store the same counts."""
    from django.db import connection, transaction

    from minzheng.accounts.actor import Actor
    from minzheng.registry.models import HouseholdMembership, Person
    from minzheng.screening.refresh import do_refresh_screening
    from minzheng.screening.runs import do_run_screening

    actor = Actor.system("性能测试")
    do_run_screening(actor, period=period)  # the state the refreshes start from
    ids = list(HouseholdMembership.objects.filter(valid_to__isnull=True).values_list("household_id", flat=True).distinct())
    rng = random.Random(seed)
    table = connection.ops.quote_name(Person._meta.db_table)
    membership = connection.ops.quote_name(HouseholdMembership._meta.db_table)
    runs = []
    for _ in range(repeat):
        chosen = rng.sample(ids, households)
        with transaction.atomic(), connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(chosen))
            cursor.execute(
                f"UPDATE {table} SET income_wage_fen = income_wage_fen WHERE id IN "
                f"(SELECT person_id FROM {membership} WHERE valid_to IS NULL AND household_id IN ({marks}))",
                chosen,
            )
        started = time.perf_counter()
        run = do_refresh_screening(actor, period=period)
        runs.append({"wall": round(time.perf_counter() - started, 3), "refreshed_households": run.counts["refreshed_households"], **run.timings})
    refreshed = {k: v for k, v in run.counts.items() if k != "refreshed_households"}
    full = do_run_screening(actor, period=period)
    return {
        "refresh_changed_households": households,
        "refresh_runs": runs,
        "refresh_best_wall": min(r["wall"] for r in runs),
        "refresh_counts_equal_full_run": refreshed == full.counts,
    }


def measure_per_case(period: str, samples: int, seed: int) -> dict:
    from minzheng.registry.facts import current_memberships, household_facts
    from minzheng.registry.models import Household
    from minzheng.rules import evaluate_household, load_parameters

    parameters = load_parameters()
    ids = list(Household.objects.values_list("id", flat=True))
    chosen = sorted(random.Random(seed).sample(ids, min(samples, len(ids))))
    households = Household.objects.filter(pk__in=chosen).prefetch_related(current_memberships())
    facts = [household_facts(h, period=period) for h in households]
    evaluate_household(facts[0], parameters=parameters)  # compile the period once
    with_parse, build = [], []
    for household, data in zip(households, facts, strict=True):
        started = time.perf_counter()
        evaluate_household(data, parameters=parameters)
        with_parse.append(time.perf_counter() - started)
    # The whole path of the "why" panel: read the household from the database, build the
    # facts, evaluate (without the prefetch: one query per household, as the screen does).
    for household_id in chosen[:200]:
        started = time.perf_counter()
        household = Household.objects.get(pk=household_id)
        evaluate_household(household_facts(household, period=period), parameters=parameters)
        build.append(time.perf_counter() - started)
    members = statistics.mean(len(f["household"]["members"]) for f in facts)
    return {
        "per_case_households": len(facts),
        "per_case_mean_members": round(members, 2),
        "per_case_median_ms": round(statistics.median(with_parse) * 1000, 3),
        "per_case_p95_ms": round(sorted(with_parse)[int(0.95 * len(with_parse))] * 1000, 3),
        "per_case_from_database_median_ms": round(statistics.median(build) * 1000, 3),
    }


def export_for_openfisca(period: str, data_dir: Path) -> dict:
    """The frames and our batch results, as Parquet, for the OpenFisca run."""
    import polars as pl

    from minzheng.registry.facts import load_facts_frames
    from minzheng.rules import evaluate_batch

    data_dir.mkdir(parents=True, exist_ok=True)
    households, members = load_facts_frames(period=period)
    started = time.perf_counter()
    batch = evaluate_batch(households, members, period)
    ours_seconds = time.perf_counter() - started
    households.write_parquet(data_dir / "households.parquet")
    members.write_parquet(data_dir / "members.parquet")
    batch.results.filter(pl.col("program").is_in(OPENFISCA_PROGRAMS)).write_parquet(data_dir / "minzheng_results.parquet")
    # Our engine on just the four programs' data, for a like-for-like vectorised figure.
    (data_dir / "meta.json").write_text(json.dumps({"period": period, "minzheng_batch_all_programs_seconds": ours_seconds}))
    return {"minzheng_batch_all_programs_seconds": round(ours_seconds, 3)}


def run_openfisca(data_dir: Path, samples: int) -> dict:
    script = ROOT / "benchmarks" / "openfisca" / "run.sh"
    done = subprocess.run(
        ["bash", str(script), "--data-dir", str(data_dir), "--samples", str(samples), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"OpenFisca run failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def time_openfisca_process(data_dir: Path, runs: int) -> dict:
    """OpenFisca as one whole process (start, import, load its system, read the frames, build,
    calculate the four programs), timed from outside like `minzheng screen` in measure_cli."""
    script = ROOT / "benchmarks" / "openfisca" / "run.sh"
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(["bash", str(script), "--data-dir", str(data_dir), "--once"], capture_output=True, text=True, check=False)
        walls.append(round(time.perf_counter() - started, 3))
        if done.returncode != 0:
            raise SystemExit(f"OpenFisca run failed:\n{done.stdout}\n{done.stderr}")
    return {"openfisca_one_process_wall_seconds": walls}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20201231)
    parser.add_argument("--period", default="2026-11")
    parser.add_argument("--repeat", type=int, default=3, help="screening runs (default 3)")
    parser.add_argument("--samples", type=int, default=1000, help="households timed one by one (default 1000)")
    parser.add_argument("--openfisca", action="store_true", help="also run benchmarks/openfisca on the same data")
    parser.add_argument("--data-dir", default="/tmp/minzheng-openfisca-data")
    parser.add_argument("--refresh-households", type=int, default=2000, help="households changed before each refresh (default 2000)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    figures: dict = {"scale": args.scale, "period": args.period, "cpu_count": os.cpu_count()}
    figures["load_average_before"] = os.getloadavg()[0]
    figures.update(_setup_database(args.scale, args.seed))
    figures.update(measure_snapshot())
    figures.update(measure_screening(args.period, args.repeat, args.seed))
    figures.update(measure_cli(args.period, 2))
    figures.update(measure_refresh(args.period, args.refresh_households, args.repeat, args.seed))
    figures.update(measure_per_case(args.period, args.samples, args.seed))
    if args.openfisca:
        figures.update(export_for_openfisca(args.period, Path(args.data_dir)))
        figures["openfisca"] = run_openfisca(Path(args.data_dir), args.samples)
        figures.update(time_openfisca_process(Path(args.data_dir), 2))
    figures["load_average_after"] = os.getloadavg()[0]
    figures["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024  # this process, all steps
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    for key, value in figures.items():
        if isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False)
        print(f"{key:<36} {value}")


if __name__ == "__main__":
    main()
