"""Indicator 9, the participation rate and the organisation count, against hand counts."""

from __future__ import annotations

import datetime as dt

from minzheng.divisions.directory import get_directory
from minzheng.volunteers import actions
from minzheng.volunteers.indicators import compute_indicators, summary
from minzheng.volunteers.tests.conftest import (
    DADONGMEN,
    DISTRICT,
    DUNREN,
    XINGSHENG,
    ZHENXI,
)

D = dt.date


def test_indicator_9_participation_and_organisations_by_hand(system, make_person):
    villages_dunren = len(get_directory().villages(DUNREN))
    villages_zhenxi = len(get_directory().villages(ZHENXI))
    actions.do_register_station(system, name="大东门站", division_code=DADONGMEN, opened_on=D(2025, 1, 1), in_service_facility=True,
                                facility_name="大东门社区综合服务中心")  # fmt: skip
    actions.do_register_station(system, name="兴盛站", division_code=XINGSHENG, opened_on=D(2025, 1, 1), in_service_facility=False)
    # residents: 4 in 大东门 (one dies before the day is not made here), 2 in 兴盛; volunteers: 2 and 0 (one left)
    people = [make_person(DADONGMEN, n) for n in "甲乙丙丁"] + [make_person(XINGSHENG, n) for n in "戊己"]
    for p in people[:2]:
        actions.do_register_volunteer(system, person=p, consent_on=D(2026, 1, 1))
    gone = actions.do_register_volunteer(system, person=people[4], consent_on=D(2026, 1, 1))
    actions.do_leave(system, gone, left_on=D(2026, 12, 1))
    actions.do_register_organisation(system, name="涪陵区志愿者协会", division_code=DISTRICT, founded_on=D(2015, 1, 1))
    actions.do_register_organisation(system, name="敦仁街道志愿服务队", division_code=DUNREN, founded_on=D(2020, 1, 1))
    actions.do_register_organisation(system, name="珍溪镇新成立组织", division_code=ZHENXI, founded_on=D(2026, 12, 4))
    data = compute_indicators(D(2026, 12, 4))
    assert data["9"][DUNREN] == (1, villages_dunren) and data["9"][ZHENXI] == (0, villages_zhenxi)
    assert data["participation"] == {DUNREN: (2, 4), ZHENXI: (0, 2)}
    assert data["organisations"] == {DISTRICT: 1, DUNREN: 1, ZHENXI: 1}
    assert compute_indicators(D(2026, 12, 3))["organisations"] == {DISTRICT: 1, DUNREN: 1}
    total_villages = len(get_directory().villages())
    s = summary(D(2026, 12, 4))
    assert (s["stations_in_facility"], s["villages"], s["volunteers"], s["residents"], s["participation_pct"], s["organisations"]) == (
        1, total_villages, 2, 6, 33.33, 3)  # fmt: skip
    assert s["station_coverage_pct"] == round(100.0 / total_villages, 2)
