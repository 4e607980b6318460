"""The volunteer demo on a small generated district: the baseline participation of 15.17 % of the
living residents, district-wide (adults only), through the line's actions; once."""

from decimal import Decimal

import pytest

from minzheng.accounts.actor import Actor
from minzheng.core.models import AuditEvent
from minzheng.registry.generate import generate_district
from minzheng.registry.models import Person
from minzheng.volunteers import demo
from minzheng.volunteers.indicators import compute_indicators
from minzheng.volunteers.models import Volunteer

pytestmark = pytest.mark.django_db


def test_the_demo_registers_the_baselines_participation_across_the_district():
    generate_district(scale=0.004, seed=7)
    summary = demo.seed_demo(seed=7, scale=0.004, actor=Actor.system("志愿服务演示数据"))
    volunteers = Volunteer.objects.filter(left_on__isnull=True)
    residents = Person.objects.filter(is_deceased=False).count()
    assert summary["注册志愿者"] == volunteers.count()
    rate = Decimal(volunteers.count()) / residents * 100
    assert abs(rate - Decimal("15.17")) <= 1, rate
    assert len({v.division_code[:9] for v in volunteers}) == 27  # every town, not only the demo villages
    assert not volunteers.filter(person__birth_date__gt="2008-12-04").exists()  # adults only
    participation = compute_indicators()["participation"]
    assert sum(n for n, _ in participation.values()) == volunteers.count()
    assert AuditEvent.objects.filter(object_type="volunteers.volunteer", action="import").count() == 1
    assert demo.seed_demo(seed=7, scale=0.004) == {"志愿服务演示数据": "已存在，未重复生成"}
