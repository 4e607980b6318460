"""The funeral line's public reads for the citizens' site (issue 22 item 5): the prices in force
at operating homes and stations only, and 惠民殡葬 from the waiver's own parameters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from minzheng.funerals import actions
from minzheng.funerals.selectors import public_price_list
from minzheng.funerals.services import waiver_information

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_prices_in_force_of_operating_homes(system, home):
    actions.do_file_price(system, home, item="cremation", price_yuan=Decimal("520"), effective_from=D(2026, 12, 1), reference="涪发改价〔2026〕2号")
    actions.do_file_price(system, home, item="urn", price_yuan=Decimal("300"), effective_from=D(2027, 1, 1), reference="涪发改价〔2026〕3号")
    actions.do_register_facility(system, name="在建殡仪服务站", kind="service_station", division_code="500102006", status="building")
    rows = public_price_list(D(2026, 12, 4))
    assert [(r["name"], r["kind"]) for r in rows] == [("涪陵区殡仪馆", "殡仪馆")]
    assert [(i["label"], i["price_fen"], i["reference"]) for i in rows[0]["items"]] == [
        ("遗体接运", 30000, "涪发改价〔2024〕1号"), ("遗体冷藏（每日）", 6000, "涪发改价〔2024〕1号"), ("尸袋", 5000, "涪发改价〔2024〕1号"),
        ("遗体火化", 52000, "涪发改价〔2026〕2号"), ("骨灰盒", 28000, "涪发改价〔2024〕1号"),
    ]  # fmt: skip


def test_waiver_information_reads_the_waivers_parameters():
    info = waiver_information(D(2026, 12, 4))
    assert info == {
        "groups": ["城乡低保对象", "特困人员（原城市三无、农村五保）", "困难重点优抚对象"],
        "items": [
            {"label": "遗体接运", "limit": ""}, {"label": "遗体冷藏（每日）", "limit": "最多3天"}, {"label": "尸袋", "limit": ""},
            {"label": "遗体火化", "limit": ""}, {"label": "骨灰盒", "limit": "200.00元以内"},
        ],
        "refrigeration_max_days": 3, "urn_cap_fen": 20000, "provisional": True,
    }  # fmt: skip
