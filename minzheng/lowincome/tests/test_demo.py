"""The demo seeder on a small generated district: recognitions at several steps through the
actions, the month's monitoring, a triggered CPI month with its batch; idempotent."""

import pytest

from minzheng.accounts.actions import do_create_demo_accounts
from minzheng.accounts.actor import Actor
from minzheng.assistance import demo as assistance_demo
from minzheng.assistance.models import PaymentBatch
from minzheng.lowincome import demo
from minzheng.lowincome.models import (
    DepartmentListing,
    MonitoringRun,
    PriceIndexMonth,
    Recognition,
    RegisterEntry,
)
from minzheng.registry.generate import generate_district
from minzheng.screening import demo as screening_demo

pytestmark = pytest.mark.django_db


def test_seed_demo_once():
    generate_district(scale=0.004, seed=7)
    do_create_demo_accounts(Actor.system("演示账号"))
    assistance_demo.seed_demo(seed=7, scale=0.004)
    screening_demo.seed_demo(seed=7, scale=0.004)
    summary = demo.seed_demo(seed=7, scale=0.004)
    assert summary["recognitions"] == Recognition.objects.count() > 0
    statuses = set(Recognition.objects.values_list("status", flat=True))
    assert "recognised" in statuses
    assert RegisterEntry.objects.filter(ended_on__isnull=True, tier="edge").exists()
    assert RegisterEntry.objects.filter(ended_on__isnull=True, tier="dibao").count() > 0
    assert summary["register"] == RegisterEntry.objects.filter(ended_on__isnull=True).count()
    batch = PaymentBatch.objects.get(program="price_subsidy", period="2026-10")
    assert batch.payment_count == summary["price_subsidy_payments"] > 0
    assert PriceIndexMonth.objects.get(period="2026-10").triggered is True
    # up to 8 listed per demo village (the 6th 防止返贫 one already lifted), in the register from the listings
    assert summary["department_listings"] == DepartmentListing.objects.count() > 0
    assert RegisterEntry.objects.filter(ended_on__isnull=True, source_kind="feed").count() > 0
    assert demo.seed_demo(seed=7, scale=0.004) == {"recognitions": 0, "department_listings": 0}
    assert MonitoringRun.objects.count() == 1
