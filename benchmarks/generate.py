"""Benchmark: the synthetic district generator (`minzheng generate`) into a fresh database.

    .venv/bin/python benchmarks/generate.py --scale 1.0
        SQLite: creates and migrates var/bench/generate-<scale>.sqlite3 (deleted first).
    DATABASE_URL=postgres://user@host:port/db .venv/bin/python benchmarks/generate.py --scale 1.0
        PostgreSQL: the database should be empty; it is migrated, and registry rows that a
        previous run left are replaced.

Prints the time of each stage of the generator and the total; migration and loading the
division tree are timed separately (they are not part of generation). Results are written
up in docs/performance.md, "Synthetic district generation".
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20201231)
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.add_argument(
        "--keep-indexes", action="store_true", help="keep secondary indexes during the load (for comparison)"
    )
    args = parser.parse_args()

    if not os.environ.get("DATABASE_URL"):
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        db = bench_dir / f"generate-{args.scale:g}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from minzheng.divisions.directory import invalidate_directory
    from minzheng.divisions.loader import load_divisions
    from minzheng.registry import generate as generator
    from minzheng.registry.generate import generate_district

    generator.DROP_INDEXES_DURING_LOAD = not args.keep_indexes

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_divisions()
    invalidate_directory()
    prepare = time.perf_counter() - t0

    # Wall time per stage, and this process's CPU time: on a shared machine the CPU time
    # shows what the code costs, the wall time what a user waits.
    stages: list[tuple[str, float, float]] = []
    last = {"name": "开始", "t": time.perf_counter(), "cpu": time.process_time()}

    def progress(message: str, fraction: float) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        if message != last["name"]:
            stages.append((last["name"], now - last["t"], cpu - last["cpu"]))
            last.update(name=message, t=now, cpu=cpu)

    from minzheng.registry.models import Person

    server_cpu = _server_cpu_reader(connection)
    s1 = server_cpu()
    t1, c1 = time.perf_counter(), time.process_time()
    summary = generate_district(
        scale=args.scale, seed=args.seed, replace=Person.objects.exists(), progress=progress
    )
    total, cpu_total = time.perf_counter() - t1, time.process_time() - c1
    server_total = None if s1 is None else round(server_cpu() - s1, 1)
    stages.append((last["name"], time.perf_counter() - last["t"], time.process_time() - last["cpu"]))

    result = {
        "backend": connection.vendor,
        "scale": args.scale,
        "seed": args.seed,
        "persons": summary.persons,
        "households": summary.households,
        "memberships": summary.memberships,
        "migrate_and_divisions_seconds": round(prepare, 1),
        "generate_seconds": round(total, 1),
        "generate_cpu_seconds": round(cpu_total, 1),
        "server_backend_cpu_seconds": server_total,
        "drop_indexes": not args.keep_indexes,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "stages": {name: {"wall": round(w, 2), "cpu": round(c, 2)} for name, w, c in stages if name != "开始"},
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg(),
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(f"backend {result['backend']}, scale {args.scale}, seed {args.seed}")
    print(f"  persons {summary.persons:,}  households {summary.households:,}  memberships {summary.memberships:,}")
    print(f"  migrate + divisions: {prepare:.1f} s (not part of generation)")
    print(f"  {'stage':<14} {'wall s':>8} {'cpu s':>8}")
    for name, t in result["stages"].items():
        print(f"  {name:<14} {t['wall']:8.2f} {t['cpu']:8.2f}")
    print(f"  generation total: {total:.1f} s wall, {cpu_total:.1f} s CPU of this process")
    if server_total is not None:
        print(f"  PostgreSQL backend process: {server_total:.1f} s CPU")
    print(f"  secondary indexes dropped during the load: {not args.keep_indexes}")
    print(f"  peak memory of this process: {result['peak_rss_mib']:,} MiB")
    print(f"  load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _server_cpu_reader(connection):
    """CPU seconds of this session's PostgreSQL backend, read from /proc when the server runs
    on this machine (the COPY and the index builds happen there, not in our process)."""
    if connection.vendor != "postgresql":
        return lambda: None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():
        return lambda: None
    ticks = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime

    return read


if __name__ == "__main__":
    main()
