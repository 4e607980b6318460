"""Indicator 10 and the yearly counts, against hand counts over the rows; the demo seeds fast
and its figures equal the hand counts."""

import datetime as dt

import pytest

from minzheng.accounts.actor import Actor
from minzheng.core.indicators import get_indicator
from minzheng.marriage import actions
from minzheng.marriage.demo import seed_demo
from minzheng.marriage.indicators import cross_province_share, yearly_counts
from minzheng.marriage.models import Amendment, Divorce, Marriage
from minzheng.marriage.tests.conftest import marriage_input
from minzheng.planning import adapters

pytestmark = pytest.mark.django_db


def test_indicator_10_by_hand(registrar, couple, id_number):
    man, woman = couple
    m1 = actions.do_apply_marriage(registrar, marriage_input(man, woman))
    actions.do_register_marriage(registrar, m1, expected_version=m1.version)
    outsider = actions.PartyInput(name="陈静", id_number=id_number("19990101", "024", "510104"))
    chongqing = actions.PartyInput(name="何伟", id_number=id_number("19950101", "013", "500103"))
    m2 = actions.do_apply_marriage(registrar, marriage_input(man_party=chongqing, woman_party=outsider))
    actions.do_register_marriage(registrar, m2, expected_version=m2.version)
    # registrations 2, one with a party from 四川: 1 ÷ 2 = 50.0 %
    assert cross_province_share("2026") == {"period": "2026", "numerator": 1, "denominator": 2, "rate": __import__("decimal").Decimal("50.0")}
    assert adapters.marriage_cross_province("2026-12")["rate"] == __import__("decimal").Decimal("50.0")
    assert adapters.marriage_cross_province("2026-11")["denominator"] == 0
    counts = yearly_counts(2026)
    assert (counts["counts"]["marriages"], counts["first_marriages"], dict(counts["residence"])) == (2, 2, {"本区": 2, "市内其他区县": 1, "外省（区、市）": 1})
    assert dict(counts["age_bands"]) == {"25岁以下": 0, "25–29岁": 3, "30–39岁": 1, "40–49岁": 0, "50岁及以上": 0}


def test_demo_figures_equal_hand_counts(make_user):
    result = seed_demo(seed=7, scale=0.002)
    assert result["历史结婚登记"] == 40
    assert seed_demo(seed=7, scale=0.002) == {"婚姻登记": "已存在，未改动"}
    year = 2026
    marriages = [m for m in Marriage.objects.all() if m.status == "registered" and m.registered_on.year == year]
    divorces = [d for d in Divorce.objects.all() if d.status == "issued" and d.registered_on.year == year]
    reissues = [a for a in Amendment.objects.select_related("marriage") if a.kind == "reissue" and a.status == "done" and a.decided_on.year == year]
    cross = sum(m.man_hukou_code[:2] != "50" or m.woman_hukou_code[:2] != "50" for m in marriages) + sum(d.cross_province for d in divorces) + sum(a.marriage.cross_province for a in reissues)
    figure = get_indicator("marriage.cross_province_share").compute(str(year))
    assert (figure["numerator"], figure["denominator"]) == (cross, len(marriages) + len(divorces) + len(reissues))
    assert yearly_counts(year, Actor.system("测试"))["counts"]["marriages"] == len(marriages) == 41
