"""The demo at the plan's scale: 633 organisations with valid credit codes, in seconds; the
charity demo on top; indicator 8 equals the hand sum of the demo donations."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest

from minzheng.charity.demo import seed_demo as seed_charity
from minzheng.charity.indicators import donations_of_year
from minzheng.charity.models import Donation
from minzheng.core.credit_code import is_valid_credit_code
from minzheng.sociorgs.demo import seed_demo
from minzheng.sociorgs.models import Organisation

pytestmark = pytest.mark.django_db


def test_demo_at_the_plans_scale():
    started = time.monotonic()
    result = seed_demo()
    charity = seed_charity()
    assert time.monotonic() - started < 60
    assert result["社会组织"] == 633 and Organisation.objects.count() == 633
    assert all(is_valid_credit_code(c) for c in Organisation.objects.values_list("credit_code", flat=True))
    assert charity["慈善组织"] == 12
    # indicator 8 for 2025 by hand: every donation received in 2025, cash plus goods
    hand = sum(d.amount_fen + d.in_kind_value_fen for d in Donation.objects.all() if d.received_on.year == 2025)
    assert donations_of_year(2025)["fen"] == hand
    assert donations_of_year(2025)["wan"] == Decimal(hand) / Decimal(1_000_000)
    assert seed_demo() == {"社会组织演示数据": "已存在，未重复生成"}
    assert Organisation.objects.filter(registered_on__gt=dt.date(2026, 12, 4)).count() == 0
