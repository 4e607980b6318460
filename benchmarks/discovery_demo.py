"""Benchmark: the discovery demo seeder on a small generated district (goal: under 10 s).

    .venv/bin/python benchmarks/discovery_demo.py [--scale 0.002] [--json]
        SQLite: var/bench/discovery-demo.sqlite3, made afresh on every run.
    DATABASE_URL=postgres://user@host:port/db .venv/bin/python benchmarks/discovery_demo.py
        PostgreSQL: an empty database (it is migrated; run it on a scratch database).

The same preparation as discovery/tests/test_demo.py (registry, demo accounts, assistance and
screening demo data, untimed), then `discovery.demo.seed_demo` timed — wall and CPU. The test
keeps the counts; the time was asserted there before and belongs here.
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

SEED = 20260101
GOAL_SECONDS = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.002)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a line")
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        db = bench_dir / "discovery-demo.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from minzheng.accounts.actions import do_create_demo_accounts
    from minzheng.accounts.actor import Actor
    from minzheng.assistance.demo import seed_demo as seed_assistance
    from minzheng.discovery.demo import seed_demo
    from minzheng.divisions.directory import invalidate_directory
    from minzheng.divisions.loader import load_divisions
    from minzheng.registry.generate import generate_district
    from minzheng.screening.demo import seed_demo as seed_screening

    call_command("migrate", verbosity=0)
    load_divisions()
    invalidate_directory()
    generate_district(scale=args.scale, seed=SEED)
    do_create_demo_accounts(Actor.system("基准测试"))
    seed_assistance(seed=SEED, scale=args.scale)
    seed_screening(seed=SEED, scale=args.scale)

    wall, cpu = time.perf_counter(), time.process_time()
    summary = seed_demo(seed=SEED, scale=args.scale)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    result = {
        "backend": connection.vendor,
        "scale": args.scale,
        "seed_demo_seconds": round(wall, 2),
        "seed_demo_cpu_seconds": round(cpu, 2),
        "goal_seconds": GOAL_SECONDS,
        "within_goal": wall < GOAL_SECONDS,
        "summary": summary,
        "load_average": os.getloadavg(),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(
        f"{connection.vendor}, scale {args.scale}: seed_demo {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"(goal < {GOAL_SECONDS:g} s: {'met' if result['within_goal'] else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
