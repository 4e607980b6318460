"""Indicator 9, the participation rate and the organisation count, against hand counts."""

from __future__ import annotations

import datetime as dt

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
    # indicator 9 by hand: test_stations_and_offers.py (it needs the facility register)
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
    assert data["9"] == {}  # no community service facility registered
    assert data["participation"] == {DUNREN: (2, 4), ZHENXI: (0, 2)}
    assert data["organisations"] == {DISTRICT: 1, DUNREN: 1, ZHENXI: 1}
    assert compute_indicators(D(2026, 12, 3))["organisations"] == {DISTRICT: 1, DUNREN: 1}
    s = summary(D(2026, 12, 4))
    assert (s["stations_in_facility"], s["facilities"], s["volunteers"], s["residents"], s["participation_pct"], s["organisations"]) == (
        0, 0, 2, 6, 33.33, 3)  # fmt: skip
    assert s["station_coverage_pct"] is None
