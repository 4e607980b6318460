"""Both lines' demo seeders run once, fast, and planning computes indicators 7 and 9 and their
targets from them (the figures equal the lines' own counts)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from minzheng.communities.demo import seed_demo as seed_communities
from minzheng.planning import computations
from minzheng.socialwork.demo import seed_demo as seed_socialwork
from minzheng.socialwork.indicators import summary as sw_summary
from minzheng.socialwork.models import Professional
from minzheng.volunteers.demo import seed_demo as seed_volunteers
from minzheng.volunteers.indicators import summary as vol_summary

DISTRICT = "500102"


def test_demo_and_planning_figures(make_person):
    for i in range(14):
        make_person("500102006001" if i % 2 else "500102119001", f"演示{i}", birth=f"19{70 + i}0101")
    out = seed_socialwork(seed=1, scale=0.002)
    assert out["社工服务机构"] == 6 and out["社会工作专业人才"] == 7 and out["购买服务项目"] == 2
    assert seed_socialwork(seed=1) == {"社会工作演示数据": "已存在，未重复生成"}
    seed_communities(seed=1, scale=0.002)  # the facility register the volunteer stations are placed in
    vol = seed_volunteers(seed=1)
    assert vol["志愿服务组织"] == 3 and vol["注册志愿者"] == 2  # int(7 × 15.17 %) = 1 in each demo village
    period = computations.Period(2026, 0, timezone.now())
    figures = {(f.measure, f.division_code): f for f in computations.compute_socialwork(period) + computations.compute_volunteers(period)}
    sw, vs = sw_summary(), vol_summary()
    assert figures[("socialwork_professionals", DISTRICT)].value == Decimal(sw["professionals"]) == Decimal(7)
    assert figures[("socialwork_agencies", DISTRICT)].value == 6 and figures[("socialwork_private_agencies", DISTRICT)].value == 5
    assert figures[("volunteer_organisations", DISTRICT)].value == 3
    station = figures[("volunteer_station_coverage", DISTRICT)]
    assert (station.numerator, station.denominator) == (Decimal(vs["stations_in_facility"]), Decimal(vs["facilities"])) == (
        Decimal(48), Decimal(119))  # round(119 × 40 %) = 48 of the 119 demo facilities (the seed's counts)
    part = figures[("volunteer_participation_rate", DISTRICT)]
    assert (part.numerator, part.denominator) == (Decimal(2), Decimal(14))
    # 专栏4 shares (O13, O14) by hand from the register: every demo person was born 1970–1983, so
    # none is under 35 on 2026-12-04; college = 大专、本科、研究生 counted row by row
    rows = list(Professional.objects.filter(left_on__isnull=True).values_list("education", flat=True))
    college = sum(1 for e in rows if e in ("college", "bachelor", "postgraduate"))
    young = figures[("socialwork_under35_share", DISTRICT)]
    assert (young.numerator, young.denominator) == (Decimal(0), Decimal(7))
    share = figures[("socialwork_college_share", DISTRICT)]
    assert (share.numerator, share.denominator) == (Decimal(college), Decimal(len(rows))) and len(rows) == 7
    assert sw["under_35_pct"] == 0.0 and sw["college_pct"] == round(100.0 * college / 7, 1)
