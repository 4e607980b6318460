"""Benchmark: peak memory of the background worker for an upload, end to end (issue 20 point 7:
files read in bounded memory, parsed in the background task; within 500 MB).

    PYTHONPATH=$PWD .venv/bin/python benchmarks/import_memory.py [--rows 200000] [--oversize 1500000]
        SQLite: var/bench/imports-1.sqlite3 — a copy of a scale-1.0 district (e.g. of
        var/bench/pages-1.sqlite3 or generate-1.sqlite3), migrated on first use.

Each step runs in a FRESH process doing exactly what `minzheng worker` does with a job
(jobs.runner.execute_job on a queued BackgroundJob holding the upload), so the peak resident set
size (ru_maxrss) is the worker's for that job alone; the file is written beforehand (untimed):

  a. oversize — a 1.5 M-row 救助 roster (CSV, the upload_limit.py file) as an upload preview job:
                refused by its row count, no batch staged;
  b. preview  — the largest accepted file: a 200,000-row 医保 discharge feed (the row limit of
                the feeds; feed_import.py's file) as an upload preview job (read, validate,
                match, error report, staged rows);
  c. commit   — the confirm job of that batch (good rows only, one transaction).

Reported per step: seconds, peak RSS, and the RSS of the same fresh process before the job (Django
loaded), so the job's own share is the difference.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB = ROOT / "var" / "bench" / "imports-1.sqlite3"


def _django():
    if not os.environ.get("DATABASE_URL"):
        if not DB.exists():
            source = next((p for p in (ROOT / "var/bench/generate-1.sqlite3", ROOT / "var/bench/pages-1.sqlite3") if p.exists()), None)
            if source is None:
                raise SystemExit("未找到 var/bench/imports-1.sqlite3：请复制一个 scale 1.0 的数据库（generate.py 或 pages.py 生成）")
            shutil.copyfile(source, DB)
        os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _user():
    from minzheng.accounts.models import Role, StaffAssignment, User

    user, _ = User.objects.get_or_create(
        username="bench_imports", defaults={"role": Role.DISTRICT_STAFF, "must_change_password": False, "display_name": "bench"}
    )
    StaffAssignment.objects.get_or_create(user=user, division_code="500102")
    return user


def prepare(folder: str, rows: int, oversize: int) -> dict:
    """Migrate, clean earlier benchmark rows, write the two files (untimed)."""
    _django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import feed_import
    import upload_limit
    from django.utils import timezone

    feed_import.clean()
    _user()
    feed = ROOT / "var" / "bench" / f"import-feed-{rows}.xlsx"  # kept: the same file for every run
    if not feed.exists():
        content, _plan = feed_import.build_feed(rows, 6, timezone.localdate())
        feed.write_bytes(content)
    roster = upload_limit.write_files(oversize, Path(folder), ["csv"])["csv"]
    return {"feed": str(feed), "feed_bytes": feed.stat().st_size, "roster": str(roster), "roster_bytes": roster.stat().st_size}


def run_job(kind: str, params: dict, path: str | None) -> dict:
    """One job exactly as the worker runs it, in this (fresh) process."""
    _django()
    from minzheng.exchange.models import ImportBatch
    from minzheng.jobs.models import BackgroundJob
    from minzheng.jobs.runner import execute_job

    user = _user()
    job = BackgroundJob.objects.create(
        kind=kind, label="bench", owner_id=user.pk, params=params, input_content=Path(path).read_bytes() if path else None
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    status = execute_job(job.pk)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    job = BackgroundJob.objects.get(pk=job.pk)
    batch_id = (job.result or {}).get("data", {}).get("batch_id")
    batch = ImportBatch.objects.filter(pk=batch_id).first() if batch_id else None
    return {
        "status": status,
        "message": job.message if status != "done" else (job.result or {}).get("lines", [""])[0][:120],
        "batch_id": batch_id,
        "batch_status": batch.status if batch else None,
        "total_rows": batch.total_rows if batch else None,
        "imported_rows": batch.imported_rows if batch else None,
        "staged_bytes": len(batch.staged_rows_encrypted) if batch else None,
        "seconds": round(seconds, 1),
        "rss_before_mb": round(before / 1024, 1),
        "peak_rss_mb": round(peak / 1024, 1),
    }


def _child(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )  # fmt: skip
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) >= 2 and sys.argv[1] == "--child":
        what = sys.argv[2]
        if what == "prepare":
            result = prepare(sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
        else:
            result = run_job(what, json.loads(sys.argv[3]), sys.argv[4] if len(sys.argv) > 4 else None)
        print(json.dumps(result, ensure_ascii=False))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--oversize", type=int, default=1_500_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        files = _child("--child", "prepare", folder, str(args.rows), str(args.oversize))
        print(json.dumps({"files": files, "load_average": [round(x, 2) for x in os.getloadavg()]}, ensure_ascii=False))
        oversize = _child("--child", "exchange.preview", json.dumps({"kind": "assistance_roster_dibao", "filename": "roster.csv"}), files["roster"])
        print(json.dumps({"step": "a. oversize roster preview", **oversize}, ensure_ascii=False))
        preview = _child("--child", "exchange.preview", json.dumps({"kind": "medical_discharge", "filename": "医保出院结算.xlsx"}), files["feed"])
        print(json.dumps({"step": "b. largest accepted file: preview", **preview}, ensure_ascii=False))
        commit = _child("--child", "exchange.commit", json.dumps({"batch_id": preview["batch_id"], "mode": "good_rows_only"}))
        print(json.dumps({"step": "c. commit (good rows only)", **commit}, ensure_ascii=False))
        print(json.dumps({"load_average_after": [round(x, 2) for x in os.getloadavg()]}))


if __name__ == "__main__":
    main()
