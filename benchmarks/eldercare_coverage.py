"""Benchmark: the 15-minute service circle for the whole district (issue 5: ≤ 5 s for about
232,000 people aged 60+ and 330 or more facilities).

    .venv/bin/python benchmarks/eldercare_coverage.py [--people 232400] [--repeat 5] [--json]
        Creates var/bench/eldercare-coverage.sqlite3 (deleted first), migrates it, loads the
        461 divisions, seeds the demo facility network (330 community facilities + 48
        institutions + 21 under construction) and inserts --people synthetic registry rows,
        all aged 60+, spread over the 433 villages (communities weighted ×2). Then times:
          compute  — the Polars computation alone, on a people frame synthesised in memory;
          end-to-end — coverage_for(system actor): reading villages, facilities and the
                       people aged 60+ from the database, placing them and computing.
    DATABASE_URL=... .venv/bin/python benchmarks/eldercare_coverage.py --existing
        Times coverage_for on an existing, migrated database (e.g. one filled by
        `minzheng generate --scale 1.0` and `minzheng eldercare seed-demo`), inserting nothing.

Results are written up in docs/performance.md, section "Elderly care".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=232_400, help="people aged 60+ (plan baseline: 232,400)")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--existing", action="store_true", help="use DATABASE_URL as it is; insert nothing")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    if not args.existing:
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        db = bench_dir / "eldercare-coverage.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    import polars as pl
    from django.core.management import call_command
    from django.utils import timezone

    from minzheng.accounts.actor import Actor
    from minzheng.divisions.directory import get_directory, invalidate_directory
    from minzheng.eldercare.coverage import (
        CircleSettings,
        circle_facilities_frame,
        compute_coverage,
        coverage_for,
        villages_frame,
    )

    system = Actor.system("基准测试：一刻钟服务圈")
    setup = {}
    if not args.existing:
        from minzheng.divisions.loader import load_divisions
        from minzheng.eldercare.demo import seed_demo

        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        load_divisions()
        invalidate_directory()
        seed_demo(seed=args.seed, scale=0.0, actor=system)
        setup["prepare_s"] = round(time.perf_counter() - t0, 2)
        t0 = time.perf_counter()
        insert_people(args.people, args.seed)
        setup["insert_people_s"] = round(time.perf_counter() - t0, 2)

    today = timezone.localdate()
    villages = villages_frame(system)
    facilities = circle_facilities_frame()
    rng = random.Random(args.seed)
    directory = get_directory()
    codes = [v.code for v in directory.villages("500102")]
    weights = [2 if v.kind == "社区" else 1 for v in directory.villages("500102")]
    people = pl.DataFrame(
        {
            "id": pl.Series(rng.sample(range(1, 1_148_301), args.people), dtype=pl.Int64),
            "division_code": rng.choices(codes, weights=weights, k=args.people),
        }
    )
    settings = CircleSettings.on(today)

    compute_times, e2e_times = [], []
    result = None
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = compute_coverage(villages, facilities, people, settings)
        compute_times.append(time.perf_counter() - t0)
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        e2e = coverage_for(system, on=today)
        e2e_times.append(time.perf_counter() - t0)

    out = {
        "people_in_memory_frame": people.height,
        "people_60_plus_in_db": e2e.people_total,
        "community_facilities": facilities.height,
        "villages": villages.height,
        "radius_m": settings.radius_m,
        "compute_s": {"min": round(min(compute_times), 3), "median": round(statistics.median(compute_times), 3)},
        "end_to_end_s": {"min": round(min(e2e_times), 3), "median": round(statistics.median(e2e_times), 3)},
        "village_share": e2e.village_share,
        "people_share_db": e2e.people_share,
        "people_share_frame": result.people_share,
        "repeat": args.repeat,
        "cpu_count": os.cpu_count(),
        "database": django.db.connection.vendor,
        **setup,
    }
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    print(f"people aged 60+: {out['people_60_plus_in_db']:,} in the database, {out['people_in_memory_frame']:,} in the frame")
    print(f"community facilities: {out['community_facilities']}, villages: {out['villages']}, radius {settings.radius_m:.0f} m")
    print(f"compute only : min {out['compute_s']['min']:.3f} s, median {out['compute_s']['median']:.3f} s")
    print(f"end to end   : min {out['end_to_end_s']['min']:.3f} s, median {out['end_to_end_s']['median']:.3f} s")
    print(f"coverage: villages {out['village_share']}%, people {out['people_share_db']}%")
    if setup:
        print(f"setup: prepare {setup['prepare_s']} s, insert people {setup['insert_people_s']} s (not timed above)")


def insert_people(n: int, seed: int) -> None:
    """n registry rows aged 60–99 on today's date: only the columns coverage reads are
    meaningful; the ID fields are placeholders (this database is thrown away)."""
    from minzheng.divisions.directory import get_directory
    from minzheng.registry.models import Person

    rng = random.Random(seed)
    directory = get_directory()
    villages = directory.villages("500102")
    codes = [v.code for v in villages]
    weights = [2 if v.kind == "社区" else 1 for v in villages]
    today = dt.date.today()
    batch = []
    for i in range(n):
        code = rng.choices(codes, weights=weights)[0]
        age_days = rng.randint(60 * 366, 99 * 365)
        batch.append(
            Person(
                id_number_encrypted="-",
                id_number_index=f"bench-{i}",
                id_number_masked="-",
                name="基准",
                sex="F" if i % 2 else "M",
                birth_date=today - dt.timedelta(days=age_days),
                division_code=code,
                hukou_division_code=code,
                hukou_type="resident",
            )
        )
        if len(batch) == 20_000:
            Person.objects.bulk_create(batch)
            batch = []
    Person.objects.bulk_create(batch)


if __name__ == "__main__":
    main()
