"""The demo seeder runs through the actions, on the registry's demo villages, once."""

import pytest

from minzheng.rescue.demo import seed_demo
from minzheng.rescue.models import HospitalStay, RescueCase, ReturnFollowUp, WanderingRisk

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent(make_person):
    for village in ("500102006001", "500102119001"):
        for name in ("甲某", "乙某"):
            make_person(village, name, birth="19700101")
    result = seed_demo(seed=1, scale=0.02)
    assert result["救助管理站床位"] == 80
    assert result["受助记录（returned）"] == 11 and result["受助记录（settled）"] == 1
    assert RescueCase.objects.filter(status="in_station").count() == 5
    stay = HospitalStay.objects.get()
    assert (result["受助记录（in_hospital）"], stay.hospital, stay.sent_on.isoformat(), stay.returned_on) == (1, "涪陵中心医院", "2026-11-30", None)
    assert stay.case.bed_assignments.get(end_on__isnull=True).bed.number
    assert ReturnFollowUp.objects.count() == 4 and WanderingRisk.objects.count() == 4
    assert RescueCase.objects.exclude(protection_case_number="").count() == 1
    before = RescueCase.objects.count()
    assert seed_demo(seed=1, scale=0.02) == {"救助管理站": "已存在，未重复生成"}
    assert RescueCase.objects.count() == before
