"""Server time of every page each demo role reaches (issue 11: p95 ≤ 300 ms at scale 1.0).

Usage:
    .venv/bin/python benchmarks/pages.py --scale 1.0 [--requests 7] [--only /eldercare/] [--json]
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/pages.py [--requests 7]

Without DATABASE_URL it uses `var/bench/pages-<scale>.sqlite3`, preparing it on first use with
`minzheng demo --no-serve --scale <scale>` (migrate, divisions, the synthetic district, the demo
accounts and every line's demo data — about 3 minutes at scale 1.0 on SQLite).

For each demo account: the workbench, every module in its navigation, and every same-site link
on those pages one level deep (detail pages included), one URL per route pattern (digits
replaced), at most --links per module page. Each page is requested once to warm up, then
--requests times; each request goes through Django's whole handler in process (routing,
middleware, scoping, the SQL, the template): the server time, without the network. Downloads
(xlsx, pdf) and non-HTML answers are left out; 403/404 answers are not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

HREF = re.compile(r'href="(/[^"#?]*)(?:\?[^"]*)?"')
SKIP = ("/static/", "/logout/", "/media/", "/api/", "/admin/")
FILE_SUFFIXES = (".xlsx", ".pdf", ".docx", ".csv", ".zip")
GOAL_MS = 300


def prepare_sqlite(scale: float) -> None:
    """Point DATABASE_URL at var/bench/pages-<scale>.sqlite3; create it when missing."""
    path = ROOT / "var" / "bench" / f"pages-{scale:g}.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    print(f"准备数据库 {path}（minzheng demo --no-serve --scale {scale:g}）…", file=sys.stderr)
    started = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "minzheng.manage", "demo", "--no-serve", "--scale", str(scale)],
        check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=sys.stderr,
    )  # fmt: skip
    print(f"  用时 {time.monotonic() - started:.0f} 秒", file=sys.stderr)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def pattern_of(url: str) -> str:
    return re.sub(r"\d+", "{n}", url)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--requests", type=int, default=7, help="timed requests per page (after one warm-up)")
    parser.add_argument("--links", type=int, default=40, help="links followed per module page")
    parser.add_argument("--only", action="append", default=[], metavar="PREFIX",
                        help="time only pages whose path starts with PREFIX (repeatable), e.g. --only /eldercare/")  # fmt: skip
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        prepare_sqlite(args.scale)

    import django  # local import: DATABASE_URL must be set before settings load

    django.setup()
    from django.conf import settings  # local import: after django.setup()
    from django.db import connection  # local import: after django.setup()
    from django.test import Client  # local import: after django.setup()

    from minzheng.accounts.actions import demo_accounts  # local import: after django.setup()
    from minzheng.accounts.models import User  # local import: after django.setup()
    from minzheng.registry.models import Person  # local import: after django.setup()

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    # No collectstatic for a benchmark: plain static URLs (the tests do the same).
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    people = Person.objects.count()
    results = []
    for username, *_ in demo_accounts():
        client = Client()
        client.force_login(User.objects.get(username=username))
        home = client.get("/")
        nav = re.search(r'<nav aria-label="模块">(.*?)</nav>', home.content.decode(), re.S)
        modules = ["/", *(u for u in HREF.findall(nav.group(1) if nav else "") if u != "/")]
        pages, patterns = [], set()

        def add(url: str) -> None:
            key = pattern_of(url)
            wanted = not args.only or url.startswith(tuple(args.only))
            if wanted and key not in patterns and not url.startswith(SKIP) and not url.endswith(FILE_SUFFIXES):
                patterns.add(key)
                pages.append(url)

        for url in modules:
            add(url)
        for url in modules:
            r = client.get(url)
            if r.status_code != 200 or "text/html" not in r.get("Content-Type", ""):
                continue
            for link in sorted(set(HREF.findall(r.content.decode())))[: args.links]:
                add(link)
        for url in pages:
            first = client.get(url)  # warm-up (and: is it a page this role may open?)
            if first.status_code != 200 or "text/html" not in first.get("Content-Type", ""):
                continue
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - start) * 1000)
            results.append({
                "user": username, "url": url, "pattern": pattern_of(url),
                "p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 95), 1),
                "max_ms": round(max(times), 1), "n": len(times),
            })  # fmt: skip
            if not args.json:
                r = results[-1]
                flag = "  ✗" if r["p95_ms"] > GOAL_MS else ""
                print(f"{username:22s} {url:60s} p50 {r['p50_ms']:7.1f}  p95 {r['p95_ms']:7.1f} ms{flag}", flush=True)
    slow = [r for r in results if r["p95_ms"] > GOAL_MS]
    out = {
        "database": connection.vendor, "persons": people, "requests_per_page": args.requests,
        "pages": len(results), "over_goal": len(slow), "goal_ms": GOAL_MS,
        "worst": sorted(results, key=lambda r: -r["p95_ms"])[:15], "results": results,
    }  # fmt: skip
    folder = ROOT / "benchmarks" / "out"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"pages-{connection.vendor}.json").write_text(json.dumps(out, ensure_ascii=False, indent=2))
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(f"\n数据库 {connection.vendor}，人员 {people} 人：{len(results)} 个页面，p95 超过 {GOAL_MS} ms 的 {len(slow)} 个")
        for r in sorted(slow, key=lambda r: -r["p95_ms"]):
            print(f"  {r['user']:22s} {r['url']:60s} p95 {r['p95_ms']:.1f} ms")


if __name__ == "__main__":
    main()
