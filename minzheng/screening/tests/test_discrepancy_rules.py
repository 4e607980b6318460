"""The definitions of the four kinds of discrepancy (compare.py), on hand-made cases."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.actor import Actor
from minzheng.assistance.models import Enrolment
from minzheng.registry.models import Person
from minzheng.screening.models import Discrepancy
from minzheng.screening.runs import do_run_screening
from minzheng.screening.tests.conftest import PERIOD

START = dt.date(2026, 1, 1)


@pytest.fixture
def enrol(db):
    def make(program, *, household=None, person=None, payee=None, amount_fen=1000, status="active", start=START, end=None):
        subject_kind = "household" if household is not None and person is None else "person"
        subject = household if subject_kind == "household" else person
        return Enrolment.objects.create(
            program=program,
            subject_kind=subject_kind,
            subject_id=subject.pk,
            household=household,
            person=person,
            payee=payee or (household.head if household is not None else person),
            division_code=subject.division_code,
            zone="urban",
            amount_fen=amount_fen,
            start_month=start,
            end_month=end,
            status=status,
            status_changed_on=start,
            source="roster",
        )

    return make


def _found(run):
    return {(d.kind, d.program, d.subject_kind, d.subject_id): d for d in Discrepancy.objects.filter(run=run)}


def _screen():
    return do_run_screening(Actor.system("测试"), period=PERIOD)


def test_the_four_kinds(poor_households, enrol, make_person):
    a, b, c = poor_households
    # a: dibao, right amount → nothing; c: dibao, wrong amount → 金额不符. The right amount of
    # a 低保 enrolment is the gap (2 × 770, no income) plus the members' 分类施保 add-ons
    # (both aged 74: 60 each), as casework pays it.
    enrol("dibao", household=a, amount_fen=166_000)
    enrol("dibao", household=c, amount_fen=154_000)
    # a person of a household with ample income enrolled in tekun → 疑似错保
    rich = make_person("500102006001", "钱多多")
    Person.objects.filter(pk=rich.pk).update(income_wage_fen=900_000)
    enrol("tekun", person=rich, amount_fen=100_100)
    # a deceased person still enrolled → 死亡仍在保
    late = make_person("500102006001", "周故")
    Person.objects.filter(pk=late.pk).update(is_deceased=True, death_date=dt.date(2026, 3, 1))
    enrol("severe_disability_care_subsidy", person=late, amount_fen=8000)
    found = _found(_screen())
    assert ("amount_differs", "dibao", "household", c.pk) in found
    assert found[("amount_differs", "dibao", "household", c.pk)].expected_amount_fen == 166_000
    assert found[("amount_differs", "dibao", "household", c.pk)].actual_amount_fen == 154_000
    assert ("ineligible", "tekun", "person", rich.pk) in found
    assert ("deceased_enrolled", "severe_disability_care_subsidy", "person", late.pk) in found
    assert ("missed", "dibao", "household", b.pk) in found  # eligible, not enrolled
    assert not [k for k in found if k[3] == a.pk and k[1] == "dibao"]
    assert found[("deceased_enrolled", "severe_disability_care_subsidy", "person", late.pk)].division_code == "500102006001"


def test_a_deceased_payee_makes_an_eligible_household_deceased_enrolled(poor_households, enrol, make_person):
    a, b, c = poor_households
    late_head = make_person("500102006001", "吴故")
    Person.objects.filter(pk=late_head.pk).update(is_deceased=True)
    enrol("dibao", household=a, payee=late_head, amount_fen=166_000)
    found = _found(_screen())
    assert ("deceased_enrolled", "dibao", "household", a.pk) in found
    assert not [k for k in found if k[1] == "dibao" and k[3] == a.pk and k[0] != "deceased_enrolled"]


def test_suspended_is_not_missed_and_enrolments_outside_the_months_do_not_count(poor_households, enrol):
    a, b, c = poor_households
    enrol("dibao", household=a, status="suspended", amount_fen=1)  # suspended: not compared, not missed
    enrol("dibao", household=b, amount_fen=138_000, end=dt.date(2026, 6, 1))  # ended before the period
    found = _found(_screen())
    assert not [k for k in found if k[1] == "dibao" and k[3] == a.pk]
    assert ("missed", "dibao", "household", b.pk) in found


def test_an_enrolled_person_without_a_household_is_ineligible(db, enrol, make_person):
    lone = make_person("500102006001", "郑无户")
    enrol("tekun", person=lone)
    found = _found(_screen())
    assert ("ineligible", "tekun", "person", lone.pk) in found


def test_addon_enrolments_are_not_compared_and_the_addon_is_part_of_dibao(poor_households, enrol):
    a, b, c = poor_households
    enrol("dibao", household=a, amount_fen=154_000)  # the gap only: the add-ons are missing
    found = _found(_screen())
    assert found[("amount_differs", "dibao", "household", a.pk)].expected_amount_fen == 166_000
    assert not [k for k in found if k[1] == "dibao_addon"]
