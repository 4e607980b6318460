"""The demo seeder goes through the line's own actions and is idempotent."""

from __future__ import annotations

from minzheng.referrals.demo import seed_demo
from minzheng.referrals.models import Referral, RehabFile, RehabService
from minzheng.referrals.tests.conftest import DADONGMEN, XINGSHENG


def test_demo_referrals_and_rehab_files_once(make_household):
    for village in (DADONGMEN, XINGSHENG):
        for i in range(4):
            make_household(village, names=(f"户主{village[-3:]}{i}", f"成员{village[-3:]}{i}"))

    assert seed_demo() == {"referrals": 8, "rehab_files": 2}
    assert sorted(Referral.objects.values_list("status", flat=True)) == ["fed_back"] * 2 + ["received"] * 2 + ["referred"] * 4
    assert Referral.objects.filter(status="referred", deadline_on__lt="2026-12-04").count() == 2  # overdue, for the workbench
    assert RehabFile.objects.count() == 2 and RehabService.objects.count() == 2
    assert seed_demo() == {"referrals": 0, "rehab_files": 0}
