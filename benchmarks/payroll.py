"""Benchmark: monthly payroll for the whole district, and the 待办 list's server time.

    .venv/bin/python benchmarks/payroll.py --scale 1.0 [--json]
        SQLite: var/bench/payroll-<scale>.sqlite3 — created, migrated and generated with
        `minzheng.registry.generate.generate_district` the first time (a few minutes at 1.0),
        reused afterwards.
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/payroll.py --scale 1.0
        PostgreSQL: migrated; the registry is generated when it is empty.

Setup (not timed): enrolments for ~3 % of households (低保) and ~0.3 % of people (特困) are
bulk-inserted with encrypted synthetic bank accounts; open applications (~0.7 % of
households, spread over the open steps and over every village, some overdue) plus closed ones
(archived, ~5× as many) are bulk-created for the 待办 list.

Timed:
  payroll  `payroll.run_all` for one month — every program's batch from the active
           enrolments (first run, then a rerun that replaces its own results), and the bank
           file of the 低保 batch after approval by a second user;
  待办     GET /assistance/ through Django's full handler (middleware, scoping, SQL,
           template) for a village worker, a town officer and a district user; p50/p95/max.
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


def setup_database(scale: float) -> None:
    if not os.environ.get("DATABASE_URL"):
        bench = ROOT / "var" / "bench"
        bench.mkdir(parents=True, exist_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{bench / f'payroll-{scale:g}.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def ensure_registry(scale: float, seed: int, log) -> dict:
    from django.core.management import call_command

    from minzheng.divisions.directory import invalidate_directory
    from minzheng.divisions.loader import load_divisions

    call_command("migrate", interactive=False, verbosity=0)
    load_divisions()
    invalidate_directory()
    from minzheng.registry.models import Household, Person

    if Person.objects.exists():
        return {"generated": False}
    from minzheng.registry.generate import generate_district

    log(f"生成合成人口（规模 {scale}）……")
    started = time.perf_counter()
    generate_district(scale=scale, seed=seed, replace=False)
    return {"generated": True, "generate_seconds": round(time.perf_counter() - started, 1), "households": Household.objects.count()}


def ensure_enrolments(seed: int, log) -> dict:
    import polars as pl
    from django.db import transaction

    from minzheng.assistance.ceilings import per_person_ceiling
    from minzheng.assistance.models import Enrolment
    from minzheng.core import bulk
    from minzheng.core.crypto import FieldCipher
    from minzheng.core.masking import mask_account
    from minzheng.registry.models import Household, Person

    mark = "基准测试：批量在保对象"
    if Enrolment.objects.filter(status_reason=mark).exists():
        return {"enrolments": Enrolment.objects.filter(status="active").count()}
    log("批量生成在保对象……")
    rng = random.Random(f"bench:{seed}:enrolments")
    households = list(Household.objects.filter(head__isnull=False, member_count__gt=0).values_list("pk", "head_id", "division_code", "zone", "member_count"))
    people = list(Person.objects.filter(is_deceased=False, household__isnull=True).values_list("pk", "division_code")) or []
    if len(people) < len(households) // 100:
        people += list(Person.objects.filter(is_deceased=False).order_by("?").values_list("pk", "division_code")[: len(households) // 100])
    chosen_h = [h for h in households if rng.random() < 0.03]
    chosen_p = rng.sample(people, min(len(people), max(1, int(len(households) * 2.55 * 0.003))))
    cipher = FieldCipher()
    this_month = dt.date.today().replace(day=1)
    # Amounts within the policy bounds the payroll checks (assistance.ceilings): 30–100 % of
    # the bound per person covered.
    dibao_bound = {z: per_person_ceiling("dibao", z, this_month)[0] for z in ("urban", "rural")}
    tekun_bound = per_person_ceiling("tekun", "rural", this_month)[0]
    rows = []
    for pk, head, code, zone, n in chosen_h:
        account = "622848" + f"{rng.randrange(10**13):013d}"
        amount = dibao_bound.get(zone, dibao_bound["rural"]) * n * rng.randrange(30, 101) // 100
        rows.append(("dibao", "household", pk, pk, None, head, code, zone, n, amount, this_month.replace(year=this_month.year - 1), "active", this_month, mark, "roster", "重庆农村商业银行", cipher.encrypt(account), mask_account(account), 12, this_month.replace(year=this_month.year + 1)))
    for pk, code in chosen_p:
        account = "622848" + f"{rng.randrange(10**13):013d}"
        rows.append(("tekun", "person", pk, None, pk, pk, code, "rural", 1, tekun_bound * rng.randrange(30, 101) // 100, this_month.replace(year=this_month.year - 1), "active", this_month, mark, "roster", "重庆农村商业银行", cipher.encrypt(account), mask_account(account), 12, this_month.replace(year=this_month.year + 1)))
    text, number, date = pl.Utf8, pl.Int64, pl.Date
    schema = {
        "program": text, "subject_kind": text, "subject_id": number, "household_id": number, "person_id": number,
        "payee_id": number, "division_code": text, "zone": text, "people_covered": number, "amount_fen": number,
        "start_month": date, "status": text, "status_changed_on": date, "status_reason": text, "source": text,
        "bank_name": text, "bank_account_encrypted": text, "bank_account_masked": text, "review_cycle_months": number,
        "next_review_on": date,
    }
    with transaction.atomic():
        first = bulk.max_id(Enrolment) + 1
        frame = pl.DataFrame(rows, schema=schema, orient="row").with_columns(pl.int_range(first, first + len(rows), dtype=pl.Int64).alias("id"))
        bulk.bulk_insert(Enrolment, ["id", *schema], frame)
        bulk.reset_sequences(Enrolment)
    return {"enrolments": len(rows), "dibao_households": len(chosen_h), "tekun_people": len(chosen_p), "households": len(households)}


def ensure_applications(seed: int, log) -> dict:
    from django.db import transaction

    from minzheng.assistance.enums import Status
    from minzheng.assistance.models import Application
    from minzheng.cases.calendar import work_calendar
    from minzheng.registry.models import Household

    if Application.objects.filter(reason="基准测试").exists():
        return {"applications_open": Application.objects.exclude(status__in=("archived",)).count(), "applications_total": Application.objects.count()}
    log("批量生成办理中的申请……")
    rng = random.Random(f"bench:{seed}:applications")
    households = list(Household.objects.filter(head__isnull=False).values_list("pk", "head_id", "division_code", "zone"))
    n_open = max(50, len(households) * 7 // 1000)
    n_closed = n_open * 5
    picked = rng.sample(households, min(len(households), n_open + n_closed))
    calendar = work_calendar()
    today = dt.date.today()
    open_steps = [Status.SUBMITTED, Status.INVESTIGATION, Status.ECONOMIC_CHECK, Status.REVIEW, Status.PUBLICITY, Status.CONFIRMATION]
    objs = []
    for i, (pk, head, code, zone) in enumerate(picked):
        is_open = i < n_open
        status = rng.choice(open_steps) if is_open else Status.ARCHIVED
        age = rng.randrange(0, 60) if is_open else rng.randrange(60, 700)
        accepted = today - dt.timedelta(days=age)
        objs.append(
            Application(
                number=f"BM{i:09d}", program="dibao", subject_kind="household", household_id=pk, applicant_id=head,
                division_code=code, zone=zone, reason="基准测试", household_snapshot={}, authorization_signed=True,
                authorization_signed_on=accepted, status=status, submitted_on=accepted,
                accepted_on=None if status == Status.SUBMITTED else accepted,
                deadline_on=None if status == Status.SUBMITTED else calendar.add_working_days(accepted, 30),
                confirm_level="district",
            )
        )
    with transaction.atomic():
        Application.objects.bulk_create(objs, batch_size=2000)
    return {"applications_open": n_open, "applications_total": len(objs)}


def bench_user(username: str, role: str, code: str):
    from minzheng.accounts.models import StaffAssignment, User

    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "must_change_password": False, "display_name": username})
    StaffAssignment.objects.get_or_create(user=user, division_code=code)
    return user


def time_payroll(period: str) -> dict:
    from minzheng.accounts.actor import Actor, build_actor
    from minzheng.assistance import payroll
    from minzheng.assistance.models import Payment, PaymentBatch

    PaymentBatch.objects.filter(period=period).update(status="prepared")  # a rerun of the benchmark
    system = Actor.system("基准测试：月度发放")
    started = time.perf_counter()
    first = payroll.run_all(system, period=period)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    again = payroll.run_all(system, period=period)
    rerun_s = time.perf_counter() - started
    assert [b.payments for b in first] == [b.payments for b in again]
    assert Payment.objects.filter(period=period).count() == sum(b.payments for b in first)
    checker = build_actor(bench_user("bench_district_checker", "district_staff", "500102"))
    batch = PaymentBatch.objects.get(program="dibao", period=period)
    batch = payroll.do_approve_batch(checker, batch, expected_version=batch.version)
    started = time.perf_counter()
    content, rows = payroll.bank_file(checker, batch)
    bank_s = time.perf_counter() - started
    return {
        "period": period,
        "batches": {b.program: {"payments": b.payments, "total_yuan": f"{b.total_fen / 100:.2f}"} for b in first},
        "payments": sum(b.payments for b in first),
        "first_run_seconds": round(first_s, 2),
        "rerun_seconds": round(rerun_s, 2),
        "bank_file_rows": rows,
        "bank_file_seconds": round(bank_s, 2),
        "bank_file_bytes": len(content),
    }


def time_todo(requests: int) -> dict:
    from django.conf import settings
    from django.test import Client, override_settings

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    # Hashed static names need `collectstatic`; the plain storage costs the same to resolve.
    override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    ).enable()
    users = {
        "村（社区）经办人 大东门社区": bench_user("bench_village", "village_worker", "500102006001"),
        "乡镇（街道）经办人 敦仁街道": bench_user("bench_town", "town_officer", "500102006"),
        "区民政局科室人员": bench_user("bench_district", "district_staff", "500102"),
    }
    out = {}
    for label, user in users.items():
        client = Client()
        client.force_login(user)
        client.get("/assistance/")  # warm
        times = []
        for i in range(requests):
            path = "/assistance/" if i % 4 else "/assistance/?only=overdue"
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        out[label] = {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(percentile(times, 95), 1), "max_ms": round(max(times), 1)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=20201231)
    parser.add_argument("--period", default=dt.date.today().strftime("%Y-%m"))
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    setup_database(args.scale)

    def log(message: str) -> None:
        if not args.json:
            print(message, flush=True)

    from django.db import connection

    result = {"scale": args.scale, "database": connection.vendor}
    result.update(ensure_registry(args.scale, args.seed, log))
    result.update(ensure_enrolments(args.seed, log))
    result.update(ensure_applications(args.seed, log))
    log("发放表计时……")
    result["payroll"] = time_payroll(args.period)
    log("待办列表计时……")
    result["todo"] = time_todo(args.requests)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
