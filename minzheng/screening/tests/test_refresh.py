"""Incremental screening (issue 21 item 2): a refresh evaluates again only the households that
changed, and stores exactly what a full run stores after the same changes."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import connection

from minzheng.accounts.actor import Actor
from minzheng.assistance.models import Enrolment
from minzheng.core.models import AuditEvent
from minzheng.registry.actions import do_move_household_member, do_record_death
from minzheng.registry.generate import generate_district
from minzheng.registry.models import FactsChange, Household, HouseholdMembership, Person
from minzheng.screening import refresh
from minzheng.screening.models import ScreeningRun
from minzheng.screening.refresh import do_refresh_screening
from minzheng.screening.runs import do_run_screening
from minzheng.screening.seeding import seed_enrolments
from minzheng.screening.tests.test_seeded_errors import _stored

PERIOD = "2026-11"

pytestmark = pytest.mark.slow


@pytest.fixture
def seeded(transactional_db):
    """Committed, so that on PostgreSQL the change log's window is the refresh's own (inside one
    open test transaction every change since its start would count as new)."""
    generate_district(scale=0.004, seed=78)
    return seed_enrolments(period=PERIOD, seed=5, error_rate=0.05)


@pytest.fixture
def evaluated(monkeypatch):
    """The household ids each refresh evaluated."""
    seen: list[set[int]] = []
    real = refresh.evaluate_batch

    def spy(households, members, period, **kw):
        seen.append(set(households["household_id"].to_list()))
        return real(households, members, period, **kw)

    monkeypatch.setattr(refresh, "evaluate_batch", spy)
    return seen


def _a_day_of_changes(system_actor) -> set[int]:
    """Changes of every kind, through actions, querysets and raw SQL; the households touched."""
    enrolled = list(Enrolment.objects.filter(status="active", program="dibao", subject_kind="household").order_by("id")[:4])
    touched: set[int] = set()
    # An enrolled household's income rises (ineligible, or a new amount).
    first = Household.objects.get(pk=enrolled[0].subject_id)
    head = Person.objects.get(pk=first.head_id)
    Person.objects.filter(pk=head.pk).update(income_wage_fen=head.income_wage_fen + 250_000)
    touched.add(first.pk)
    # A member of another dies (through the action).
    second = Household.objects.get(pk=enrolled[1].subject_id)
    member = HouseholdMembership.objects.filter(household=second, valid_to__isnull=True).order_by("person_id").last().person
    do_record_death(system_actor, member, death_date=dt.date(2026, 10, 3))
    touched.add(second.pk)
    # A household's assets change by raw SQL.
    third = Household.objects.exclude(pk__in=touched).order_by("id")[5]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {Household._meta.db_table} SET financial_assets_fen = 0, rigid_spending_12m_fen = 90000000 WHERE id = %s", [third.pk])
    touched.add(third.pk)
    # A member moves to another household.
    source = Household.objects.exclude(pk__in=touched).filter(memberships__valid_to__isnull=True).order_by("id")[40]
    mover = HouseholdMembership.objects.filter(household=source, valid_to__isnull=True).exclude(person_id=source.head_id).first()
    if mover is not None:
        target = Household.objects.exclude(pk__in=touched | {source.pk}).order_by("id")[60]
        do_move_household_member(system_actor, mover.person, target, relation="other")
        touched |= {source.pk, target.pk}
    # Enrolments: one ends, one moves to another household (its key goes and another comes).
    Enrolment.objects.filter(pk=enrolled[2].pk).update(status="ended")
    other = Household.objects.exclude(pk__in=touched).order_by("-id")[3]
    Enrolment.objects.filter(pk=enrolled[3].pk).update(subject_id=other.pk, household_id=other.pk)
    touched |= {enrolled[2].subject_id, enrolled[3].subject_id, other.pk}
    return touched


def test_a_refresh_stores_what_a_full_run_stores(seeded, system_actor, evaluated):
    actor = Actor.system("测试")
    full = do_run_screening(actor, period=PERIOD)
    assert full.state_token and full.change_mark is not None
    assert FactsChange.objects.count() == 0  # the log is pruned up to the marks in use

    # Nothing changed: nothing evaluated again, the same rows.
    before = _stored(full)
    same = do_refresh_screening(actor, period=PERIOD)
    assert same.pk == full.pk and same.refreshes == 1 and evaluated[-1] == set()
    assert _stored(same) == before

    touched = _a_day_of_changes(system_actor)
    said: list[str] = []
    refreshed = do_refresh_screening(actor, period=PERIOD, progress=said.append)
    assert "改为全区筛查" not in "".join(said), said
    assert refreshed.pk == full.pk and refreshed.refreshes == 2
    # A household left with no living member is not evaluated: its old rows just go.
    living = set(
        HouseholdMembership.objects.filter(household_id__in=touched, valid_to__isnull=True, person__is_deceased=False)
        .values_list("household_id", flat=True)
    )
    assert len(living) >= 5 and touched - living
    assert living <= evaluated[-1]
    # Only those, and the households a changed subject id may also name (a household id and a
    # person id can be equal; both readings are evaluated).
    assert len(evaluated[-1]) <= 3 * len(touched) < full.counts["households"] // 20
    assert refreshed.counts["refreshed_households"] >= len(touched)
    got = _stored(refreshed)
    assert got != before  # the changes matter

    again = do_run_screening(actor, period=PERIOD)
    assert _stored(again) == got
    assert again.counts == {k: v for k, v in refreshed.counts.items() if k != "refreshed_households"}
    events = AuditEvent.objects.filter(object_type="screening_run", object_id=str(full.pk)).order_by("id")
    assert [e.summary.split("：")[0] for e in events] == [f"{PERIOD} 全区救助资格筛查", f"{PERIOD} 全区筛查增量更新", f"{PERIOD} 全区筛查增量更新"]


def test_a_refresh_without_a_state_or_a_log_is_a_full_run(seeded, evaluated):
    actor = Actor.system("测试")
    first = do_refresh_screening(actor, period=PERIOD)  # no run yet
    assert first.is_current and first.refreshes == 0 and first.state_token
    FactsChange.objects.create(household_id=None, person_id=None)  # what a TRUNCATE logs
    stored = _stored(first)
    second = do_refresh_screening(actor, period=PERIOD)
    assert second.pk != first.pk and second.refreshes == 0
    assert _stored(second) == stored
    # A run under overridden parameters keeps no state: the next refresh runs in full.
    assert not ScreeningRun.objects.filter(pk=first.pk, is_current=True).exists()


def test_screen_command_incremental(seeded, capsys):
    call_command("screen", "--period", PERIOD, "--json")
    full = json.loads(capsys.readouterr().out)
    call_command("screen", "--period", PERIOD, "--json", "--incremental")
    out = json.loads(capsys.readouterr().out)
    assert out["run_id"] == full["run_id"] and out["refreshed_households"] == 0
    assert out["discrepancies"] == full["discrepancies"]
