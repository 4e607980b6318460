"""Benchmark: the engine's frames read from the database — the CSV path (the database formats
CSV: group_concat on SQLite, COPY on PostgreSQL) against the Arrow path (connectorx, two
partitions) — and that both give the same frames (issue 21 item 1).

    DATABASE_URL=postgres://user@127.0.0.1:port/db .venv/bin/python benchmarks/read_path.py [--repeat 5]

PostgreSQL only: the product never reads SQLite through connectorx (a second copy of the
SQLite library in the process corrupts the database: registry.facts.arrow_uri).

Uses an existing database with a generated district (e.g. benchmarks/pages.py's
var/bench/pages-1.sqlite3). Prints best / median wall seconds of `load_facts_frames(period=…)`
for each path, alternating, and the row counts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--period", default="2026-12")
    args = parser.parse_args()
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from polars.testing import assert_frame_equal

    from minzheng.registry import facts

    times: dict[str, list[float]] = {"csv": [], "arrow": []}
    frames = {}
    for _ in range(args.repeat):
        for path in ("csv", "arrow"):
            settings.MINZHENG_ARROW_READS = path == "arrow"
            started = time.perf_counter()
            frames[path] = facts.load_facts_frames(period=args.period)
            times[path].append(time.perf_counter() - started)
    assert facts.arrow_uri() is not None, "the Arrow path is not available for this database"
    assert_frame_equal(frames["csv"][0], frames["arrow"][0])
    assert_frame_equal(frames["csv"][1], frames["arrow"][1])
    households, members = frames["arrow"]
    print(f"{connection.vendor}: {households.height:,} households, {members.height:,} members; frames equal")
    for path, values in times.items():
        print(f"  {path:5} best {min(values):.2f} s  median {statistics.median(values):.2f} s  ({len(values)} runs)")
    print(f"  load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
