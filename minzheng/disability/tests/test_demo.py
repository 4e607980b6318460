"""The 两项补贴 demo on a small generated district: the existing list imported through the line's
action at the engine's amounts, applications at several steps in the demo villages; once."""

import pytest

from minzheng.accounts.actions import do_create_demo_accounts
from minzheng.accounts.actor import Actor
from minzheng.assistance import demo as assistance_demo
from minzheng.assistance.models import Enrolment
from minzheng.disability import demo
from minzheng.disability.models import SubsidyApplication
from minzheng.registry.generate import generate_district

pytestmark = pytest.mark.django_db


def test_demo_imports_the_list_and_opens_cases_once():
    generate_district(scale=0.004, seed=7)
    do_create_demo_accounts(Actor.system("演示账号"))
    assistance_demo.seed_demo(seed=7, scale=0.004)
    summary = demo.seed_demo(seed=7, scale=0.004)
    enrolled = Enrolment.objects.filter(program__in=("disability_living_subsidy", "severe_disability_care_subsidy"))
    assert enrolled.count() > 0 and set(enrolled.values_list("source", flat=True)) == {"roster"}
    living, care = enrolled.filter(program="disability_living_subsidy").count(), enrolled.filter(program="severe_disability_care_subsidy").count()
    assert summary["两项补贴存量名单"].startswith(f"生活补贴 {living} 人，护理补贴 {care} 人")
    assert SubsidyApplication.objects.filter(source="application").count() == int(summary["两项补贴办理中申请"].split()[0])
    assert demo.seed_demo(seed=7, scale=0.004) == {"两项补贴": "已有数据，未改动"}
