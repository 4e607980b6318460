"""The demo seeder: at each demo village one registered, one in review, one refused adoption,
through the actions; a second run changes nothing."""

from __future__ import annotations

import pytest

from minzheng.adoption.demo import seed_demo
from minzheng.adoption.models import Adoption
from minzheng.registry.actions import do_add_household_member, do_create_household

pytestmark = pytest.mark.django_db


def test_seed_demo_at_every_demo_village_once(person, system_actor):
    for v, village in enumerate(("500102006001", "500102119001")):
        for i in range(3):
            head = person(f"户{v}{i}", "19840101", male=True, division=village)
            household = do_create_household(system_actor, head=head)
            do_add_household_member(system_actor, household, person(f"妻{v}{i}", "19860101", male=False, division=village), relation="spouse")
            kid_home = do_create_household(system_actor, head=person(f"监{v}{i}", "19600101", male=False, division=village))
            do_add_household_member(system_actor, kid_home, person(f"童{v}{i}", "20200101", male=bool(i % 2), division=village), relation="grandchild")
    assert seed_demo(seed=1) == {"收养登记": "已登记2件，审查中2件，不予登记2件"}
    rows = sorted(Adoption.objects.values_list("division_code", "status"))
    assert rows == [
        ("500102006001", "refused"), ("500102006001", "registered"), ("500102006001", "review"),
        ("500102119001", "refused"), ("500102119001", "registered"), ("500102119001", "review"),
    ]  # fmt: skip
    refused = Adoption.objects.filter(status="refused").first()
    assert [r["label"] for r in refused.refusal_reasons] == ["收养人有抚养、教育和保护被收养人的能力（收养评估）"]
    assert seed_demo(seed=1) == {"收养登记": "演示数据已存在，未改动"}
    assert Adoption.objects.count() == 6
