"""The demo seeder runs through the line's own actions and is idempotent."""

from __future__ import annotations

from minzheng.funerals.demo import seed_demo
from minzheng.funerals.models import Facility, FuneralRecord
from minzheng.funerals.tests.conftest import DADONGMEN


def test_demo_seeds_once(make_person):
    for name in ("甲", "乙", "丙"):
        make_person(DADONGMEN, name, birth="19350101")
    out = seed_demo(seed=1)
    assert out["殡葬服务记录"] == 3
    assert set(FuneralRecord.objects.values_list("status", flat=True)) == {"notified", "cremated", "interred"}
    facilities = Facility.objects.count()
    assert seed_demo(seed=1) == {"殡葬演示数据": "已存在，未重复生成"}
    assert Facility.objects.count() == facilities
