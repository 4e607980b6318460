"""The demo seeder on a small generated district: enrolments in bulk from the engine's batch
verdicts, cases at several steps (临期 and 超期 among them), a prepared payroll; idempotent."""

import pytest

from minzheng.accounts.actions import do_create_demo_accounts
from minzheng.accounts.actor import Actor
from minzheng.assistance import demo
from minzheng.assistance.models import Application, Enrolment, PaymentBatch
from minzheng.assistance.selectors import current_notices, decorate, todo_queryset
from minzheng.divisions.directory import get_directory
from minzheng.accounts.actor import build_actor
from minzheng.accounts.models import User
from minzheng.registry.generate import generate_district

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_cases_enrolments_and_payroll_once():
    generate_district(scale=0.004, seed=7)
    do_create_demo_accounts(Actor.system("演示账号"))
    summary = demo.seed_demo(seed=7, scale=0.004)
    assert summary["在保低保家庭"] > 0 and Enrolment.objects.filter(program="dibao").count() == summary["在保低保家庭"]
    assert Application.objects.count() >= 8
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {"submitted", "investigation", "economic_check", "review"} <= statuses
    assert PaymentBatch.objects.filter(program="dibao").get().payment_count > 0
    town = build_actor(User.objects.get(username="town_500102006"))
    tones = {r.tone for r in decorate(todo_queryset(town))}
    assert {"danger", "warn"} <= tones
    # A running 在保对象公示 in the case villages, for the citizens' site to show.
    notices = list(current_notices())
    assert summary["在保对象公示"] == "，".join(f"{get_directory().path_name(n.division_code)}{len(n.entries)}条" for n in sorted(notices, key=lambda n: n.pk))
    assert {n.division_code for n in notices} <= set(demo.CASE_VILLAGES) and notices and all(n.kind == "roster" for n in notices)
    assert demo.seed_demo(seed=7, scale=0.004) == {"社会救助": "演示数据已存在，未改动"}
