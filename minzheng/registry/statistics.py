"""区划统计: the living people of a division by age band and disability grade, its households
by size — counted in bulk for every division at once (three grouped queries over the whole
district, summed up village → town → district) into the `registry.division` snapshot, which
the division page reads (docs/performance.md, "Every page, every demo role")."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.core.ages import born_by
from minzheng.core.district import district_code
from minzheng.core.snapshots import StoredSnapshot, enclosing_codes, read_snapshot
from minzheng.divisions.directory import get_directory
from minzheng.registry.models import Household, Person

SNAPSHOT = "registry.division"
AGE_BANDS = (("0–17岁", 0, 18), ("18–59岁", 18, 60), ("60–69岁", 60, 70), ("70–79岁", 70, 80), ("80–89岁", 80, 90), ("90岁及以上", 90, 200))
GRADES = (1, 2, 3, 4)
SIZES = ("1人", "2人", "3人", "4人", "5人及以上")


def empty_counts() -> dict:
    return {"total": 0, "households": 0, "ages": [0] * len(AGE_BANDS), "grades": [0] * len(GRADES), "categories": {}, "sizes": [0] * len(SIZES)}


def count_by_division(people: QuerySet[Person], households: QuerySet[Household], today: dt.date) -> dict[str, dict]:
    """{division code: counts} for every village in the querysets and the town and district
    above it. Three grouped queries; lists, not dicts, keep the order (jsonb sorts keys)."""
    people = people.filter(is_deceased=False)
    ages = {f"a{i}": Count("id", filter=Q(birth_date__lte=born_by(today, lo), birth_date__gt=born_by(today, hi))) for i, (_, lo, hi) in enumerate(AGE_BANDS)}
    grades = {f"g{g}": Count("id", filter=Q(disability_grade=g)) for g in GRADES}
    out: dict[str, dict] = defaultdict(empty_counts)
    for row in people.values("division_code").annotate(total=Count("id"), **ages, **grades).order_by():
        for code in enclosing_codes(row["division_code"]):
            d = out[code]
            d["total"] += row["total"]
            d["ages"] = [n + row[f"a{i}"] for i, n in enumerate(d["ages"])]
            d["grades"] = [n + row[f"g{g}"] for n, g in zip(d["grades"], GRADES, strict=True)]
    by_category = people.filter(disability_grade__gt=0).values_list("division_code", "disability_category").annotate(n=Count("id")).order_by()
    for village, category, n in by_category:
        for code in enclosing_codes(village):
            out[code]["categories"][category] = out[code]["categories"].get(category, 0) + n
    sizes = households.filter(member_count__gt=0).values_list("division_code", "member_count").annotate(n=Count("id")).order_by()
    for village, size, n in sizes:
        for code in enclosing_codes(village):
            out[code]["sizes"][min(size, 5) - 1] += n
            out[code]["households"] += n
    return dict(out)


def compute_division_snapshot(now: dt.datetime) -> dict[str, dict]:
    """The snapshot of every division of the district (zeros where nobody lives)."""
    system = Actor.system("区划人口统计")
    counted = count_by_division(Person.objects.visible_to(system), Household.objects.visible_to(system), clock.today())
    district = district_code()
    return {code: counted.get(code) or empty_counts() for code in get_directory().by_code if code.startswith(district)}


def as_page(data: dict) -> dict:
    """The stored counts in the shape the page shows (labels in order)."""
    return {
        "total": data["total"],
        "age_bands": dict(zip((label for label, _, _ in AGE_BANDS), data["ages"], strict=True)),
        "disability_grades": dict(zip(GRADES, data["grades"], strict=True)),
        "disability_categories": data["categories"],
        "household_sizes": dict(zip(SIZES, data["sizes"], strict=True)),
        "households": data["households"],
    }


def division_snapshot(division_code: str) -> StoredSnapshot | None:
    """The stored counts of one division — the caller has checked that the actor covers it."""
    return read_snapshot(SNAPSHOT, division_code)
