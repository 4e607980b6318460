"""The demo seeder at the seed's counts: 13,100 names, 40 roads named in 2016–2020, six district lines."""

from __future__ import annotations

import pytest

from minzheng.placenames.demo import seed_demo
from minzheng.placenames.geometry import in_bbox
from minzheng.placenames.models import BoundaryLine, Marker, PlaceName

pytestmark = pytest.mark.django_db


def test_demo_seeds_the_seed_counts_once():
    out = seed_demo(seed=1)
    assert out == {"地名": 13100, "2016—2020年道路命名": 40, "界线": 33, "界桩": 24}
    assert PlaceName.objects.count() == 13100
    assert PlaceName.objects.filter(category="road", approved_on__year__gte=2016, approved_on__year__lte=2020).count() == 40
    assert sorted(BoundaryLine.objects.filter(level="district").values_list("name", flat=True)) == sorted(
        ["涪长线", "涪南线", "涪武线", "涪丰线", "涪垫线", "涪巴线"])
    assert all(in_bbox(m.lon, m.lat) for m in Marker.objects.all())
    assert seed_demo(seed=1) == {"区划地名演示数据": "已存在，未重复生成"}
