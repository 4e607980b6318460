"""Indicator 7 and the 专栏4 shares, against hand counts."""

from __future__ import annotations

from minzheng.core.indicators import get_indicator
from minzheng.socialwork import actions
from minzheng.socialwork.indicators import PLAN_7, compute_indicators, summary
from minzheng.socialwork.tests.conftest import (
    DADONGMEN,
    DISTRICT,
    DUNREN,
    XINGSHENG,
    ZHENXI,
    D,
)


def test_indicator_7_and_the_shares_by_hand(system, make_person):
    base = dict(employer="社工站", post="社工", training_hours=0, joined_on=D(2024, 1, 1))
    # 敦仁街道: 3 active — born 1995 (31, college), 1980 (46, high school), 1992-12-05 (33 on 2026-12-04, bachelor)
    for name, birth, edu, level in [("甲", "19950101", "college", "assistant"), ("乙", "19800101", "high_school", "none"),
                                    ("丙", "19921205", "bachelor", "none")]:  # fmt: skip
        extra = {"cert_number": "N1", "cert_year": 2020} if level != "none" else {}
        actions.do_register_professional(system, person=make_person(DADONGMEN, name, birth=birth), division_code=DUNREN,
                                         education=edu, cert_level=level, **extra, **base)  # fmt: skip
    # 珍溪镇: one active (born 1991-12-04: exactly 35 today — not under 35) and one who left
    actions.do_register_professional(system, person=make_person(XINGSHENG, "丁", birth="19911204"), division_code=ZHENXI,
                                     education="postgraduate", **base)  # fmt: skip
    gone = actions.do_register_professional(system, person=make_person(XINGSHENG, "戊", birth="19990101"), division_code=ZHENXI,
                                            education="college", **base)  # fmt: skip
    actions.do_record_leaving(system, gone, left_on=D(2026, 6, 30), reason="辞职")
    # the district's guidance centre
    actions.do_register_professional(system, person=make_person(DADONGMEN, "己", birth="20000101"), division_code=DISTRICT,
                                     education="bachelor", cert_level="senior", cert_number="G1", cert_year=2024, **base)  # fmt: skip
    actions.do_register_agency(system, name="甲机构", registration_no="R1", division_code=DUNREN, registered_on=D(2020, 1, 1))
    actions.do_register_agency(system, name="乙机构", registration_no="R2", division_code=DISTRICT, registered_on=D(2020, 1, 1), private=False)
    data = compute_indicators(D(2026, 12, 4))
    assert data["7"] == {DUNREN: 3, ZHENXI: 1, DISTRICT: 1}
    assert data["certified"] == {DUNREN: 1, ZHENXI: 0, DISTRICT: 1}
    assert data["under_35"] == {DUNREN: (2, 3), ZHENXI: (0, 1), DISTRICT: (1, 1)}
    assert data["college"] == {DUNREN: (2, 3), ZHENXI: (1, 1), DISTRICT: (1, 1)}
    assert data["agencies"] == {DUNREN: 1, DISTRICT: 1} and data["private_agencies"] == {DUNREN: 1, DISTRICT: 0}
    # before 戊 left (2026-06-01): 珍溪镇 has 2, both under 35 then (丁 was 34)
    assert compute_indicators(D(2026, 6, 1))["under_35"][ZHENXI] == (2, 2)
    assert summary(D(2026, 12, 4)) == {"professionals": 5, "certified": 2, "under_35_pct": 60.0, "college_pct": 80.0,
                                       "agencies": 2, "private_agencies": 1}  # fmt: skip
    assert get_indicator(PLAN_7).compute is compute_indicators
