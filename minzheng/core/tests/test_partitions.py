"""core.partitions on the screening results table: on PostgreSQL a batch is loaded apart,
attached as its own partition and dropped whole; rows of a batch without a partition of its
own (the default partition) are deleted. On SQLite the same calls work on the one table."""

from __future__ import annotations

import polars as pl
import pytest
from django.db import connection

from minzheng.core.bulk import bulk_insert
from minzheng.core.partitions import attach_partition, drop_batches, is_partitioned, new_partition
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
