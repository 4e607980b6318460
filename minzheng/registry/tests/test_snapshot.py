"""The columnar facts snapshot equals a direct read of the registry after every kind of write —
through the actions, a queryset ``update()``, raw SQL — because the database's triggers log
what changed (issue 21 item 1). It reads again only the households that changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from polars.testing import assert_frame_equal

from minzheng.registry import snapshot
from minzheng.registry.actions import do_move_household_member, do_record_death
from minzheng.registry.facts import load_facts_frames
from minzheng.registry.models import FactsChange, FactsSnapshot, Household, HouseholdMembership, Person
from minzheng.registry.snapshot import ChangeMark, changed_households, current_facts_frames, current_mark, prune_changes

@pytest.fixture
def reads(monkeypatch):
    """Every read the snapshot makes from the database: "whole", or the sorted household ids."""
    seen: list = []
    real = snapshot.load_facts_frames

    def spy(**kw):
        seen.append("whole" if kw.get("household_ids") is None else sorted(kw["household_ids"]))
        return real(**kw)

    monkeypatch.setattr(snapshot, "load_facts_frames", spy)
    monkeypatch.setattr(snapshot, "REBUILD_SHARE", 1.0)  # a handful of households: patch, don't rebuild
    return seen


@pytest.fixture
def families(make_household):
    return [
        make_household("500102006001", ("周一", "吴二")),
        make_household("500102006001", ("郑三", "王四", "冯五")),
        make_household("500102006003", ("陈六",)),
    ]


def assert_current(period: str | None = "2026-11") -> None:
    """The same rows as a direct read (a patched snapshot keeps its re-read households at the end)."""
    households, members, _ = current_facts_frames(period=period)
    want_households, want_members = load_facts_frames(period=period)
    assert_frame_equal(households.sort("household_id"), want_households)
    assert_frame_equal(members.sort("household_id", "member_id"), want_members)


def test_the_triggers_are_in_the_database(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'registry_facts_%%'")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'registry_facts_%%'")
        names = {row[0] for row in cursor.fetchall()}
    if connection.vendor == "postgresql":
        wanted = {
            f"registry_facts_{table}_{event}"
            for table in ("householdmembership", "household", "person")
            for event in ("update", "delete", "truncate")
        } | {"registry_facts_householdmembership_insert"}
    else:
        wanted = {
            f"registry_facts_{name}"
            for name in (
                "membership_insert", "membership_update", "membership_delete",
                "household_update", "household_delete", "person_update", "person_delete",
            )
        }  # fmt: skip
    assert names == wanted


def test_the_first_read_builds_the_snapshot_and_the_next_reads_nothing_again(families, reads):
    assert_current()
    assert reads == ["whole"]
    row = FactsSnapshot.objects.get(pk=1)
    assert (row.households, row.members) == (3, 6)
    assert all(path.exists() for path in snapshot._paths(row.token))
    reads.clear()
    assert_current()
    assert_current(period=None)
    if connection.vendor == "sqlite":
        assert reads == []  # nothing changed since the mark
    else:
        # Inside the test's one transaction, PostgreSQL's window starts at that transaction: its
        # own changes are read again each time (harmless, and gone once it commits).
        assert all(r != "whole" for r in reads)


def test_every_kind_of_write_is_seen(families, reads, system_actor):
    first, second, third = families
    assert_current()
    reads.clear()

    # An action's save: a death.
    dead = HouseholdMembership.objects.filter(household=second, valid_to__isnull=True).exclude(person_id=second.head_id).first().person
    do_record_death(system_actor, dead, death_date=dt.date(2026, 10, 3))
    assert_current()
    assert second.pk in reads[-1]

    # A queryset update of a person: income.
    member = HouseholdMembership.objects.filter(household=first, valid_to__isnull=True).first().person
    Person.objects.filter(pk=member.pk).update(income_wage_fen=123_456)
    assert_current()
    assert first.pk in reads[-1]

    # Raw SQL on a household: assets and division.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Household._meta.db_table} SET financial_assets_fen = %s, division_code = %s WHERE id = %s",
            [9_900_000, "500102006003", third.pk],
        )
    assert_current()
    assert third.pk in reads[-1]

    # A member moves: both households read again.
    mover = HouseholdMembership.objects.filter(household=first, valid_to__isnull=True).exclude(person_id=first.head_id).get().person
    do_move_household_member(system_actor, mover, third, relation="other")
    assert_current()
    assert {first.pk, third.pk} <= set(reads[-1])

    # A birth date moved after the period: the person leaves the period's frame.
    Person.objects.filter(pk=mover.pk).update(birth_date=dt.date(2026, 12, 20))
    assert_current()
    assert_current(period=None)

    # A membership row deleted outright, then the household itself.
    HouseholdMembership.objects.filter(household=third).delete()
    assert_current()
    Household.objects.filter(pk=third.pk).delete()
    assert_current()
    assert_current(period=None)
    assert "whole" not in reads  # all of it by patching


def test_a_snapshot_patched_often_is_written_back(families, reads, monkeypatch, django_capture_on_commit_callbacks):
    assert_current()
    old = FactsSnapshot.objects.get(pk=1).token
    monkeypatch.setattr(snapshot, "REWRITE_AFTER", 1)
    Person.objects.filter(pk=families[0].head_id).update(income_wage_fen=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert_current()
    assert FactsSnapshot.objects.get(pk=1).token != old
    assert not (snapshot._folder() / f"{old}-members.parquet").exists()  # the old files go once it commits
    assert_current()


@pytest.mark.django_db(transaction=True)  # committed: the log's window is not one open test transaction
def test_everything_a_pruned_log_or_missing_files_rebuild(families, reads, monkeypatch):
    assert_current()
    reads.clear()
    mark = current_mark()
    FactsChange.objects.create(household_id=None, person_id=None)  # what a TRUNCATE logs
    assert changed_households(mark) is None
    assert_current()
    assert reads[0] == "whole"

    # The log is pruned up to the marks in use: an older mark can no longer be brought up to date.
    reads.clear()
    mark = current_mark()
    Person.objects.filter(pk=families[0].head_id).update(income_wage_fen=7)
    assert changed_households(mark) == {families[0].pk}  # logged with the person's household
    monkeypatch.setattr(snapshot, "REWRITE_AFTER", 1)
    assert_current()  # patched and written back: the snapshot's mark passes the change
    assert reads == [[families[0].pk]]
    later = current_mark()
    assert prune_changes([later]) >= 1
    assert prune_changes([later]) == 0  # nothing more to delete
    assert changed_households(later) == set()
    assert changed_households(mark) is None  # older than what the log still holds
    # A mark with a new enough id but an earlier window (a transaction then still open) needs
    # rows pruning may have deleted: stale too.
    assert changed_households(ChangeMark(later.last_id, later.window_start - dt.timedelta(hours=1))) is None
    reads.clear()
    assert_current()
    assert reads == []  # the snapshot itself is current

    reads.clear()
    for path in snapshot._folder().iterdir():
        path.unlink()
    assert_current()
    assert reads[0] == "whole"


@pytest.mark.django_db(transaction=True)  # committed: the log's window is not one open test transaction
def test_a_change_is_read_from_the_database_once_and_kept_in_the_delta(families, reads):
    first, second, _ = families
    assert_current()
    base = FactsSnapshot.objects.get(pk=1).token
    reads.clear()
    Person.objects.filter(pk=first.head_id).update(income_wage_fen=55_500)
    assert_current()
    assert_current()  # the delta holds it: nothing read again
    assert reads == [[first.pk]]
    Person.objects.filter(pk=second.head_id).update(income_wage_fen=1)
    assert_current()
    assert reads == [[first.pk], [second.pk]]
    row = FactsSnapshot.objects.get(pk=1)
    assert row.token == base and row.delta_token and row.delta_households == 2
    assert sorted(p.name for p in snapshot._folder().iterdir() if row.delta_token in p.name) == [
        f"{row.delta_token}-delta-households.parquet", f"{row.delta_token}-delta-ids.parquet", f"{row.delta_token}-delta-members.parquet",
    ]


def test_an_older_snapshot_never_replaces_a_newer_one(families, reads):
    older = ChangeMark(0, current_mark().window_start)
    assert_current()
    row = FactsSnapshot.objects.get(pk=1)
    households, members = load_facts_frames()
    snapshot._write(households, members, older)  # a slow reader finishing late
    assert row.change_mark > 0 and FactsSnapshot.objects.get(pk=1).token == row.token
