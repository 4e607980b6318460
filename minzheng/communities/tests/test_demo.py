"""The demo seeder at the seed's counts; indicator 6 and the site counts equal hand counts."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from minzheng.communities.demo import seed_demo
from minzheng.communities.indicators import demonstration_site_counts, facility_area_by_town
from minzheng.communities.models import DemonstrationSite, ServiceFacility
from minzheng.core import clock
from minzheng.core.models import Snapshot
from minzheng.divisions.directory import get_directory
from minzheng.planning import computations

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_seed_counts_once():
    directory = get_directory()
    communities = [v.code for v in directory.villages() if v.kind == "社区"]
    households = {code: 80 + 7 * i for i, code in enumerate(communities)}  # the registry's snapshot, as the generator leaves it
    towns: dict[str, int] = {}
    for code, n in households.items():
        towns[code[:9]] = towns.get(code[:9], 0) + n
    Snapshot.objects.bulk_create([Snapshot(kind="registry.division", division_code=c, data={"households": n}, computed_at=clock.now())
                                  for c, n in {**households, **towns}.items()])  # fmt: skip
    out = seed_demo(seed=1)
    assert out["社区综合服务设施"] == 119 and out["其中每百户30平方米以上"] == 72
    rows = list(ServiceFacility.objects.all())
    at_standard = [f for f in rows if (f.area_m2 / households[f.division_code] * 100).quantize(Decimal("0.1")) >= 30]
    assert (len(rows), len(at_standard)) == (119, 72)
    by_town = facility_area_by_town()
    for town, (area, n) in by_town.items():
        assert area == sum((f.area_m2 for f in rows if f.division_code[:9] == town), Decimal(0))
        assert n == towns.get(town, 0)
    sites = [(s.level, s.division_code[:9]) for s in DemonstrationSite.objects.all()]
    counts = demonstration_site_counts()
    assert sum(counts["district"].values()) == sum(1 for lvl, _ in sites if lvl == "district") == 25
    assert sum(counts["city"].values()) == sum(1 for lvl, _ in sites if lvl == "city") == 5
    # planning computes indicator 6 and O09/O10 from the seeded register: the hand counts above
    period = computations.Period(2026, 0, clock.now())
    figures = {(f.measure, f.division_code): f.value for f in computations.compute_communities(period)}
    area = sum((f.area_m2 for f in rows), Decimal(0))
    hand_6 = (area / sum(towns.values()) * 100).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    assert figures[("community_facility_area_per_100_households", "500102")] == hand_6
    assert (figures[("community_district_demonstration_sites", "500102")], figures[("community_city_demonstration_sites", "500102")]) == (25, 5)
    assert seed_demo(seed=1) == {"社区治理演示数据": "已存在，未重复生成"}
    assert ServiceFacility.objects.count() == 119
