"""core.partitions on the screening results table: on PostgreSQL a batch is loaded apart,
attached as its own partition and dropped whole; rows of a batch without a partition of its
own (the default partition) are deleted. On SQLite the same calls work on the one table."""

from __future__ import annotations

import threading

import polars as pl
import pytest
from django.db import connection, connections

from minzheng.core.bulk import bulk_insert
from minzheng.core.partitions import (
    attach_partition,
    batch_lock_name,
    drop_batches,
    is_partitioned,
    new_partition,
    serialize_batches,
)
from minzheng.screening.models import ScreeningResult

COLUMNS = ["run_id", "program", "subject_kind", "household_id", "division_code", "eligible", "amount_fen", "enrolled"]


def _rows(run_id: int, n: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "run_id": [run_id] * n,
            "program": ["dibao"] * n,
            "subject_kind": ["household"] * n,
            "household_id": range(1, n + 1),
            "division_code": ["500102001001"] * n,
            "eligible": [True] * n,
            "amount_fen": [60_000] * n,
            "enrolled": [False] * n,
        }
    )


def _partitions() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = %s::regclass ORDER BY c.relname",
            [ScreeningResult._meta.db_table],
        )
        return [name for (name,) in cursor.fetchall()]


@pytest.mark.django_db
def test_a_batch_is_its_own_partition_and_is_dropped_whole():
    table = new_partition(ScreeningResult, "run_id", 7001)
    bulk_insert(table, COLUMNS, _rows(7001, 300))
    attach_partition(ScreeningResult, table, 7001)
    ScreeningResult.objects.bulk_create(  # a batch without a partition of its own
        ScreeningResult(run_id=7002, program="tekun", subject_kind="person", household_id=9, person_id=19,
                        division_code="500102001001", eligible=True, amount_fen=80_000)
    for _ in range(2))  # fmt: skip
    assert ScreeningResult.objects.filter(run_id=7001).count() == 300
    # a key whose partition exists already (an emptied table restarts its ids) loads through
    # the parent into it
    assert new_partition(ScreeningResult, "run_id", 7001) == ScreeningResult._meta.db_table
    assert len(set(ScreeningResult.objects.filter(run_id__in=[7001, 7002]).values_list("id", flat=True))) == 302
    if connection.vendor == "postgresql":
        assert is_partitioned(ScreeningResult)
        assert table == "screening_screeningresult_run_id_7001"
        assert "screening_screeningresult_run_id_7001" in _partitions()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM screening_screeningresult_default WHERE run_id = 7002")
            assert cursor.fetchone()[0] == 2
    else:
        assert not is_partitioned(ScreeningResult)
        assert table == ScreeningResult._meta.db_table
    drop_batches(ScreeningResult, "run_id", [7001, 7002])
    assert not ScreeningResult.objects.filter(run_id__in=[7001, 7002]).exists()
    if connection.vendor == "postgresql":
        assert "screening_screeningresult_run_id_7001" not in _partitions()
        assert "screening_screeningresult_default" in _partitions()


@pytest.mark.django_db
def test_a_batch_writer_excludes_every_other_until_its_transaction_ends():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite: every write transaction holds the database's one write lock")
    serialize_batches(ScreeningResult)  # held by the test's transaction
    taken = []

    def other_writer():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))", [batch_lock_name(ScreeningResult)])
                taken.append(cursor.fetchone()[0])
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_writer)
    thread.start()
    thread.join()
    assert taken == [False]


@pytest.mark.django_db
def test_a_detach_that_would_wait_on_a_reader_deletes_the_rows_instead():
    if connection.vendor != "postgresql":
        pytest.skip("partitions are PostgreSQL's")
    table = new_partition(ScreeningResult, "run_id", 7101)
    bulk_insert(table, COLUMNS, _rows(7101, 50))
    attach_partition(ScreeningResult, table, 7101)
    reading, done = threading.Event(), threading.Event()

    def long_reader():  # e.g. a district export, reading while the run ends
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("BEGIN")
                cursor.execute("SET LOCAL lock_timeout = '20s'")  # never hang the suite
                # ONLY: the parent, not the partitions the test's transaction has locked
                cursor.execute("LOCK TABLE ONLY screening_screeningresult IN ACCESS SHARE MODE")
                reading.set()
                done.wait(30)
                cursor.execute("ROLLBACK")
        finally:
            connections.close_all()

    thread = threading.Thread(target=long_reader)
    thread.start()
    try:
        assert reading.wait(30)
        drop_batches(ScreeningResult, "run_id", [7101])  # waits DETACH_WAIT, then deletes
        assert not ScreeningResult.objects.filter(run_id=7101).exists()
        assert "screening_screeningresult_run_id_7101" in _partitions()  # left behind, empty
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == "0"  # the wait applied to the detach alone
    finally:
        done.set()
        thread.join(60)
