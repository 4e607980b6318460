"""Benchmark: a 100,000-row department feed validated, imported, matched and turned into alerts
(issue 6: ≤ 20 s on SQLite and on PostgreSQL).

    .venv/bin/python benchmarks/feed_import.py [--rows 100000] [--json]
        SQLite: var/bench/feed-1.sqlite3 — a copy of var/bench/generate-1.sqlite3 (made by
        `benchmarks/generate.py --scale 1.0`, 1.15 million people) taken on first use, migrated.
    DATABASE_URL=postgres://user@host:port/db .venv/bin/python benchmarks/feed_import.py
        PostgreSQL: a database that already holds a generated district (run
        benchmarks/generate.py with the same DATABASE_URL first).

The feed is the 医保 hospital-discharge feed (the richest rule: twelve months of out-of-pocket
costs added up per household, household income, the rules engine re-checking every firing
household in batch). Rows: 97 % registry people drawn at random, 2 % valid ID numbers nobody
has, 1 % bad rows (check digit, a future date, a duplicate). The xlsx is written first
(untimed); then, timed, exactly what the screens do:

  1. preview  — do_preview_import: read with calamine, validate every row, match every ID by
                the blind index (one query per 2,000), write the error report;
  2. commit   — do_commit_import(good rows only): the file is read and validated again (the
                preview and the commit are separate requests), matched again, 97,000 signals
                inserted, the rule run over them, alerts and tasks written — one transaction;
  3. re-import — the same file again: recognised by its SHA-256, nothing changes.

Earlier benchmark rows (signals, alerts, tasks, batches) are deleted before the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOSPITALS = ("涪陵中心医院", "涪陵区人民医院", "涪陵区中医院", "重庆大学附属涪陵医院", "涪陵区妇幼保健院", "李渡街道社区卫生服务中心")


def _setup_database() -> None:
    if os.environ.get("DATABASE_URL"):
        return
    bench = ROOT / "var" / "bench"
    db = bench / "feed-1.sqlite3"
    source = bench / "generate-1.sqlite3"
    if not db.exists():
        if not source.exists():
            raise SystemExit("未找到 var/bench/generate-1.sqlite3：请先运行 benchmarks/generate.py --scale 1.0")
        shutil.copyfile(source, db)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"


class Phases:
    """Wall and CPU seconds of the instrumented functions, summed per name."""

    def __init__(self):
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    def wrap(self, module, attribute: str, name: str) -> None:
        original = getattr(module, attribute)

        def timed(*args, **kwargs):
            t, c = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - t
                self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - c

        setattr(module, attribute, timed)


def _unknown_id(rng: random.Random, check_digit) -> str:
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 18000))
    first = f"500102{birth:%Y%m%d}{rng.randrange(900, 1000):03d}"
    return first + check_digit(first)


def build_feed(rows: int, seed: int, today: dt.date) -> tuple[bytes, dict]:
    import xlsxwriter

    from minzheng.core.crypto import decrypt_text
    from minzheng.core.idnumber import check_digit
    from minzheng.exchange.spec import get_spec
    from minzheng.registry.models import Person

    rng = random.Random(seed)
    ids = list(Person.objects.filter(is_deceased=False, household__isnull=False).values_list("id", flat=True))
    unknown_n = round(rows * 0.02)
    bad_n = round(rows * 0.01)  # made bad among the others
    matched_n = rows - unknown_n
    chosen = rng.sample(ids, matched_n)
    people = []
    for start in range(0, len(chosen), 5000):
        people.extend(
            Person.objects.filter(id__in=chosen[start : start + 5000]).values_list("id_number_encrypted", "name")
        )
    records = []
    for n, (encrypted, name) in enumerate(people):
        records.append((decrypt_text(encrypted), name))
    for _ in range(unknown_n):
        records.append((_unknown_id(rng, check_digit), "未登记"))
    rng.shuffle(records)

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "in_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("数据")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    text_fmt = wb.add_format({"num_format": "@"})
    for c, h in enumerate(get_spec("medical_discharge").headers):
        ws.write_string(0, c, h)
    bad_at = set(rng.sample(range(len(records)), bad_n))
    row = 1
    previous = None
    for i, (number, name) in enumerate(records):
        discharged = today - dt.timedelta(days=rng.randrange(1, 330))
        band = rng.random()
        oop = rng.uniform(200, 3000) if band < 0.7 else (rng.uniform(3000, 15000) if band < 0.9 else rng.uniform(15000, 80000))
        oop = round(oop, 2)
        reimbursed = round(oop * rng.uniform(0.5, 3.0), 2)
        cells = [number, name, f"JS{seed:02d}{i:08d}", rng.choice(HOSPITALS), discharged - dt.timedelta(days=rng.randrange(0, 20)), discharged, round(oop + reimbursed, 2), reimbursed, oop]
        if i in bad_at:
            kind = rng.randrange(3)
            if kind == 0:
                cells[0] = number[:17] + ("0" if number[17] != "0" else "1")  # wrong check digit
            elif kind == 1:
                cells[5] = today + dt.timedelta(days=10)  # discharged in the future
            elif previous is not None:
                cells = list(previous)  # the same settlement twice
        previous = cells
        for c, v in enumerate(cells):
            if isinstance(v, dt.date):
                ws.write_datetime(row, c, dt.datetime.combine(v, dt.time()), date_fmt)
            elif isinstance(v, str):
                ws.write_string(row, c, v, text_fmt if c == 0 else None)
            else:
                ws.write_number(row, c, v)
        row += 1
    wb.close()
    return buf.getvalue(), {"rows": len(records), "planned_bad": bad_n, "planned_unknown": unknown_n}


def clean() -> None:
    from django.db import connection

    from minzheng.discovery.models import Alert, Signal, Task
    from minzheng.exchange.models import ImportBatch

    with connection.cursor() as cursor:
        for model in (Task, Alert, Signal, ImportBatch):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    _setup_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    from minzheng.accounts.actor import build_actor
    from minzheng.accounts.models import Role, StaffAssignment, User
    from minzheng.discovery import alerts as alerts_module
    from minzheng.discovery import feeds, rules
    from minzheng.discovery.models import Alert, Signal, Task
    from minzheng.exchange import actions
    from minzheng.exchange.models import CommitMode
    from minzheng.registry.models import Person

    if not Person.objects.exists():
        raise SystemExit("数据库中没有人员：请先运行 benchmarks/generate.py --scale 1.0（同一 DATABASE_URL）")
    user, _ = User.objects.get_or_create(
        username="bench_feed", defaults={"role": Role.DISTRICT_STAFF, "must_change_password": False, "display_name": "bench"}
    )
    StaffAssignment.objects.get_or_create(user=user, division_code="500102")
    actor = build_actor(user, "127.0.0.1")
    today = timezone.localdate()
    clean()

    t = time.perf_counter()
    content, plan = build_feed(args.rows, args.seed, today)
    build_seconds = time.perf_counter() - t

    phases = Phases()
    phases.wrap(actions, "parse_upload", "preview: read + validate")
    phases.wrap(actions, "match_rows", "preview: match (blind index)")
    phases.wrap(actions, "build_error_report", "preview: error report")
    phases.wrap(actions, "stage_rows", "preview: stage rows (encrypted)")
    phases.wrap(actions, "unstage_rows", "commit: unstage the previewed rows")
    phases.wrap(actions, "_commit_rows", "commit: the feed's commit (all inside)")
    phases.wrap(feeds, "raw_rows", "  of which: known row keys, new ids")
    phases.wrap(feeds, "bulk_insert", "  of which: insert signals")
    phases.wrap(alerts_module, "raise_alerts", "  of which: rules + alerts + tasks")
    phases.wrap(rules, "load_frames", "    registry → frames (firing households)")
    phases.wrap(rules, "evaluate_batch", "    rules engine (batch)")
    phases.wrap(alerts_module, "write_alerts", "    write alerts + tasks")

    t0, c0 = time.perf_counter(), time.process_time()
    preview = actions.do_preview_import(actor, "medical_discharge", filename="医保出院结算.xlsx", content=content)
    t1, c1 = time.perf_counter(), time.process_time()
    batch = actions.do_commit_import(actor, preview.batch, CommitMode.GOOD_ROWS_ONLY)
    t2, c2 = time.perf_counter(), time.process_time()
    again = actions.do_preview_import(actor, "medical_discharge", filename="again.xlsx", content=content)
    t3 = time.perf_counter()

    result = {
        "backend": connection.vendor,
        "persons_in_registry": Person.objects.count(),
        "rows": batch.total_rows,
        "file_mb": round(len(content) / 1024 / 1024, 1),
        "build_file_seconds": round(build_seconds, 1),
        "error_rows": batch.error_rows,
        "unmatched_rows": batch.unmatched_rows,
        "signals_inserted": batch.imported_rows,
        "alerts": Alert.objects.count(),
        "tasks": Task.objects.count(),
        "alerts_by_program": dict(
            (p, n) for p, n in Alert.objects.order_by().values_list("program").annotate(n=Count("id"))
        ),
        "preview_seconds": round(t1 - t0, 2),
        "commit_seconds": round(t2 - t1, 2),
        "total_seconds": round(t2 - t0, 2),
        "total_cpu_seconds": round(c2 - c0, 2),
        "reimport_seconds": round(t3 - t2, 2),
        "reimport_is_duplicate": again.duplicate,
        "signals_after_reimport": Signal.objects.count(),
        "phases_wall": {k: round(v, 2) for k, v in phases.wall.items()},
        "phases_cpu": {k: round(v, 2) for k, v in phases.cpu.items()},
        "plan": plan,
        "cpu_count": os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(f"backend {result['backend']}, registry {result['persons_in_registry']:,} people, load average {result['load_average']}")
    print(f"feed: {result['rows']:,} rows, {result['file_mb']} MB xlsx (written in {result['build_file_seconds']} s, untimed)")
    print(f"  errors {result['error_rows']}, unmatched {result['unmatched_rows']}, signals {result['signals_inserted']:,}, alerts {result['alerts']:,} {result['alerts_by_program']}")
    print(f"preview {result['preview_seconds']} s + commit {result['commit_seconds']} s = {result['total_seconds']} s (CPU {result['total_cpu_seconds']} s)")
    for name, seconds in result["phases_wall"].items():
        print(f"  {name:34s} {seconds:6.2f} s wall  {result['phases_cpu'][name]:6.2f} s CPU")
    print(f"re-import of the same file: {result['reimport_seconds']} s, duplicate={result['reimport_is_duplicate']}, signals {result['signals_after_reimport']:,}")


if __name__ == "__main__":
    main()
