"""`seed_demo` (called by `minzheng demo`): a roster with recorded errors and one screening,
once — a second call changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.assistance.models import Enrolment
from minzheng.registry.generate import generate_district
from minzheng.registry.models import Household
from minzheng.screening.demo import seed_demo
from minzheng.screening.models import ScreeningRun, SeededError


def test_seed_demo_on_an_empty_registry_does_nothing(db):
    assert "说明" in seed_demo(seed=1, scale=0.01)
    assert not ScreeningRun.objects.exists()


@pytest.mark.slow
def test_seed_demo_is_idempotent(db):
    generate_district(scale=0.01, seed=11)
    first = seed_demo(seed=11, scale=0.01)
    assert "预置差错" in first and first["筛查"].startswith("批次")
    counts = (Enrolment.objects.count(), SeededError.objects.count(), ScreeningRun.objects.count())
    second = seed_demo(seed=11, scale=0.01)
    assert second["在保名册"] == "已生成，未改动" and second["筛查"] == "本期已筛查，未重复运行"
    assert (Enrolment.objects.count(), SeededError.objects.count(), ScreeningRun.objects.count()) == counts
    run = ScreeningRun.objects.get()
    assert sum(run.counts["discrepancies"].values()) == SeededError.objects.count()


@pytest.mark.slow
def test_seed_demo_leaves_programs_that_casework_already_enrols(db):
    generate_district(scale=0.01, seed=12)
    household = Household.objects.order_by("id").first()
    start = dt.date(2026, 1, 1)
    Enrolment.objects.create(
        program="dibao", subject_kind="household", subject_id=household.pk, household=household,
        payee_id=household.head_id, division_code=household.division_code, zone=household.zone,
        amount_fen=100, start_month=start, status="active", status_changed_on=start, source="roster",
    )
    seed_demo(seed=12, scale=0.01)
    assert Enrolment.objects.filter(program="dibao").count() == 1
    assert not SeededError.objects.filter(program="dibao").exists()
    assert SeededError.objects.filter(program="tekun").exists()
