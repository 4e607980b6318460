"""core.bulk: a big load into a table the planner believes smaller is analysed at once on
PostgreSQL (the next statement must not be planned for the empty table it was; see
ANALYZE_AFTER_ROWS)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.db import connection

from minzheng.core.bulk import ANALYZE_AFTER_ROWS, bulk_insert
from minzheng.registry.models import FactsChange


COLUMNS = ["household_id", "person_id", "changed_at"]


def _planner_rows() -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [FactsChange._meta.db_table])
        return cursor.fetchone()[0]


def _rows(n: int, start: int) -> pl.DataFrame:
    when = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
    return pl.DataFrame({"household_id": range(start, start + n), "person_id": range(start, start + n), "changed_at": [when] * n})


@pytest.mark.django_db
def test_a_big_load_updates_the_planner_statistics_a_small_or_like_sized_one_does_not():
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics: PostgreSQL only (SQLite plans without them)")
    FactsChange.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {FactsChange._meta.db_table}")
    assert _planner_rows() == 0
    assert bulk_insert(FactsChange, COLUMNS, _rows(ANALYZE_AFTER_ROWS, 1)) == ANALYZE_AFTER_ROWS
    assert _planner_rows() == ANALYZE_AFTER_ROWS  # analysed in the loading transaction
    bulk_insert(FactsChange, COLUMNS, _rows(500, 50_000))
    assert _planner_rows() == ANALYZE_AFTER_ROWS  # under the threshold: left to autovacuum
    bulk_insert(FactsChange, COLUMNS, _rows(ANALYZE_AFTER_ROWS, 60_000))
    assert _planner_rows() == ANALYZE_AFTER_ROWS  # no bigger than the planner believes the table
    bulk_insert(FactsChange, COLUMNS, _rows(3 * ANALYZE_AFTER_ROWS, 80_000))
    assert _planner_rows() == 5 * ANALYZE_AFTER_ROWS + 500
