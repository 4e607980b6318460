"""Server time of person search on a generated district (issue: p95 ≤ 50 ms).

Usage (database already generated, e.g. `minzheng generate --scale 1.0 --seed 1`):
    DATABASE_URL=... .venv/bin/python benchmarks/search.py --queries 300 [--json]

Each query is a full request through Django's handler (URL routing, middleware, scoping,
the SQL and the template), timed in process: that is the server time, without the network.
Queries are drawn at random from the database itself: exact ID numbers (decrypted from a
sample), full names and the pinyin initials of full names, for a district-wide user and for
a town officer.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from minzheng.accounts.models import Role, StaffAssignment, User  # noqa: E402
from minzheng.core.crypto import decrypt_text  # noqa: E402
from minzheng.registry.models import Person  # noqa: E402


def bench_user(username: str, role: str, code: str) -> User:
    user, _ = User.objects.get_or_create(
        username=username, defaults={"role": role, "must_change_password": False, "display_name": username}
    )
    StaffAssignment.objects.get_or_create(user=user, division_code=code)
    return user


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    rng = random.Random(args.seed)
    total = Person.objects.count()
    if total == 0:
        raise SystemExit("数据库中没有人员，请先运行 minzheng generate")
    max_id = Person.objects.order_by("-id").values_list("id", flat=True).first()
    sample_ids = rng.sample(range(1, max_id + 1), min(args.queries * 3, max_id))
    sample = list(
        Person.objects.filter(id__in=sample_ids).values_list("id_number_encrypted", "name", "name_initials", "division_code")[
            : args.queries
        ]
    )
    town = max((s[3][:9] for s in sample), key=lambda c: sum(1 for s in sample if s[3].startswith(c)))
    users = {
        "district": bench_user("bench_district", Role.DISTRICT_STAFF, "500102"),
        "town": bench_user("bench_town", Role.TOWN_OFFICER, town),
    }
    results = {}
    for scope, user in users.items():
        client = Client()
        client.force_login(user)
        for kind in ("id_number", "name", "initials"):
            times = []
            for enc, name, initials, _ in sample:
                q = {"id_number": lambda: decrypt_text(enc), "name": lambda: name, "initials": lambda: initials}[kind]()
                start = time.perf_counter()
                response = client.get("/persons/", {"q": q})
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            results[f"{scope}/{kind}"] = {
                "p50_ms": round(statistics.median(times), 2),
                "p95_ms": round(percentile(times, 95), 2),
                "n": len(times),
            }
    out = {"database": connection.vendor, "persons": total, "town": town, "results": results}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        print(f"数据库 {connection.vendor}，人员 {total} 人，乡镇 {town}")
        for k, v in results.items():
            print(f"  {k:22s} p50 {v['p50_ms']:7.2f} ms   p95 {v['p95_ms']:7.2f} ms   (n={v['n']})")


if __name__ == "__main__":
    main()
