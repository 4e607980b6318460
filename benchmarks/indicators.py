"""Benchmark: plan monitoring at district scale (issue 7).

Goals: recomputing every computed indicator for the district and every town at scale 1.0 in
≤ 5 s; the dashboard's server time ≤ 300 ms.

    .venv/bin/python benchmarks/indicators.py [--scale 1.0] [--repeat 5] [--json]
        Creates var/bench/indicators-<scale>.sqlite3 (deleted first), migrates it, loads the
        461 divisions, generates the synthetic district (`generate_district`), seeds the
        elderly-care demo (facilities, village points, assessments) and the plan-monitoring
        demo, then times the two goals. Generation takes minutes; it is not timed here.
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/indicators.py [--scale 1.0]
        The same in that (empty or partly prepared) database: migrates it, then generates and
        seeds only what is missing.
    DATABASE_URL=... .venv/bin/python benchmarks/indicators.py --existing
        Uses an existing, migrated and generated database as it is (seeding the plan demo only
        if the plan is not loaded yet).

What is timed:
  recompute  — do_recompute_indicators(system actor, plan, year=this year): every registered
               computation (parameters, elderly-care indicators 16–19 for 27 towns + the
               district, facility counts, 80+ assessment coverage, disability-subsidy coverage
               from this month's screening run) and the bulk write, in one transaction; the
               per-computation split is printed too. Without --no-screening, the assistance
               demo (enrolments) is seeded and one whole-district screening is run first if
               this year has none (timed as preparation, not as part of the goal).
  dashboard  — GET /planning/ through Django's full handler (middleware, scoping, SQL,
               template), in process: the server time without the network. For a district
               leader (27-town map) and for a town officer.

Results are written up in docs/performance.md, section "Plan monitoring".
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20201231)
    parser.add_argument("--repeat", type=int, default=5, help="recompute runs")
    parser.add_argument("--requests", type=int, default=30, help="dashboard requests per user")
    parser.add_argument("--existing", action="store_true", help="use DATABASE_URL as it is")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--no-screening", action="store_true",
                        help="do not seed the assistance demo and run a screening (indicators 3/4 then skipped)")
    args = parser.parse_args()

    if not args.existing and not os.environ.get("DATABASE_URL"):
        bench_dir = ROOT / "var" / "bench"
        bench_dir.mkdir(parents=True, exist_ok=True)
        db = bench_dir / f"indicators-{args.scale:g}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from minzheng.accounts.actor import Actor
    from minzheng.accounts.models import Role, StaffAssignment, User
    from minzheng.divisions.directory import invalidate_directory
    from minzheng.divisions.loader import load_divisions
    from minzheng.planning.actions import do_recompute_indicators
    from minzheng.planning.models import IndicatorValue, Plan
    from minzheng.registry.models import Person

    log = (lambda *a: None) if args.json else print
    prep: dict[str, float] = {}
    if not args.existing:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        load_divisions()
        invalidate_directory()
        prep["migrate_and_divisions_s"] = time.perf_counter() - started
    if not Person.objects.exists():
        from minzheng.registry.generate import generate_district

        log(f"生成合成人口（规模 {args.scale}）……")
        started = time.perf_counter()
        generate_district(scale=args.scale, seed=args.seed)
        prep["generate_s"] = time.perf_counter() - started
    people = Person.objects.count()
    if not Plan.objects.exists():
        for name in ("minzheng.eldercare.demo", "minzheng.planning.demo"):
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError:
                continue
            log(f"演示数据：{name}……")
            started = time.perf_counter()
            module.seed_demo(seed=args.seed, scale=args.scale)
            prep[f"seed_{name.split('.')[1]}_s"] = time.perf_counter() - started
    from minzheng.planning.loader import load_plan

    load_plan()  # idempotent: picks up changes of plan.yaml in an existing database
    plan = Plan.objects.get(code="2021-2025")
    year = timezone.localdate().year
    if not args.no_screening:
        from minzheng.screening.models import ScreeningRun

        if not ScreeningRun.objects.filter(is_current=True, division_prefix="", period__startswith=str(year)).exists():
            from minzheng.assistance.demo import seed_demo as seed_assistance
            from minzheng.screening.runs import do_run_screening

            log("演示数据：社会救助在保对象；全区筛查……")
            started = time.perf_counter()
            seed_assistance(seed=args.seed, scale=args.scale)
            prep["seed_assistance_s"] = time.perf_counter() - started
            started = time.perf_counter()
            do_run_screening(Actor.system("基准测试：全区筛查"), period=f"{timezone.localdate():%Y-%m}")
            prep["screening_run_s"] = time.perf_counter() - started
    system = Actor.system("基准测试：重新计算规划指标")

    # --- recompute -------------------------------------------------------------------------
    runs, last = [], None
    for _ in range(args.repeat):
        started = time.perf_counter()
        last = do_recompute_indicators(system, plan, year=year)
        runs.append(time.perf_counter() - started)
    values = IndicatorValue.objects.filter(indicator__plan=plan, year=year, source="computed")
    divisions = sorted(set(values.values_list("division_code", flat=True)))
    towns_covered = sum(1 for d in divisions if len(d) == 9)

    # --- dashboard -------------------------------------------------------------------------
    from django.test import override_settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.DEBUG = False
    # Hashed static names need `collectstatic`; the plain storage costs the same to resolve.
    override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    ).enable()

    def bench_user(username: str, role: str, code: str) -> User:
        user, _ = User.objects.get_or_create(
            username=username, defaults={"role": role, "must_change_password": False, "display_name": username}
        )
        StaffAssignment.objects.get_or_create(user=user, division_code=code)
        return user

    users = {
        "区级领导": (bench_user("bench_leader", Role.DISTRICT_LEADER, "500102"), f"/planning/?year={plan.end_year}"),
        "区级领导（当年）": (bench_user("bench_leader", Role.DISTRICT_LEADER, "500102"), f"/planning/?year={year}"),
        "乡镇经办人": (bench_user("bench_town", Role.TOWN_OFFICER, "500102006"), f"/planning/?year={plan.end_year}"),
    }
    dashboard = {}
    for label, (user, url) in users.items():
        client = Client()
        client.force_login(user)
        assert client.get(url).status_code == 200  # warm: directory, outline, town points
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        dashboard[label] = {
            "url": url,
            "median_ms": statistics.median(times) * 1000,
            "p95_ms": percentile(times, 95) * 1000,
            "max_ms": max(times) * 1000,
            "queries": len(queries),
        }

    result = {
        "database": connection.vendor,
        "scale": args.scale,
        "people": people,
        "preparation_s": {k: round(v, 1) for k, v in prep.items()},
        "recompute": {
            "year": year,
            "runs_s": [round(r, 3) for r in runs],
            "median_s": round(statistics.median(runs), 3),
            "max_s": round(max(runs), 3),
            "by_computation_s": {k: round(v, 3) for k, v in (last.timings if last else {}).items()},
            "skipped": last.skipped if last else {},
            "computed_values": values.count(),
            "towns_with_values": towns_covered,
        },
        "dashboard": {k: {kk: (round(vv, 1) if isinstance(vv, float) else vv) for kk, vv in v.items()}
                      for k, v in dashboard.items()},
        "goals": {"recompute_s": 5.0, "dashboard_ms": 300.0},
    }
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"\n数据库 {result['database']}，规模 {args.scale}，在册人口 {people:,}")
    for k, v in result["preparation_s"].items():
        print(f"  准备 {k}: {v} s")
    r = result["recompute"]
    print(f"重新计算 {year} 年度全部系统计算指标（全区 + {towns_covered} 个镇街）："
          f"中位数 {r['median_s']} s，最大 {r['max_s']} s（目标 ≤ 5 s），写入 {r['computed_values']} 个数值")
    for name, seconds in r["by_computation_s"].items():
        print(f"    {name}: {seconds} s")
    for name, reason in r["skipped"].items():
        print(f"    跳过 {name}: {reason}")
    for label, d in result["dashboard"].items():
        print(f"驾驶舱 {label} {d['url']}：中位数 {d['median_ms']} ms，p95 {d['p95_ms']} ms，"
              f"最大 {d['max_ms']} ms，{d['queries']} 次查询（目标 ≤ 300 ms）")


if __name__ == "__main__":
    main()
