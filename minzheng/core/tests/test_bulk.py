"""core.bulk: a big load into a table the planner believes smaller is analysed at once on
PostgreSQL (the next statement must not be planned for the empty table it was; see
ANALYZE_AFTER_ROWS); on SQLite a big frame is staged through a private file and stores
exactly what binding row by row stores (STAGE_ROWS)."""

from __future__ import annotations

import datetime as dt
import sqlite3
import types

import polars as pl
import pytest
from django.db import IntegrityError, connection, transaction

from minzheng.core import bulk
from minzheng.core.bulk import ANALYZE_AFTER_ROWS, bulk_insert
from minzheng.registry.models import FactsChange
from minzheng.screening.models import ScreeningResult


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


# --- SQLite: big frames are staged through a private file (STAGE_ROWS) -----------------

def _results(n: int, run_id: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "run_id": [run_id] * n,
            "program": ["dibao", "tekun"] * (n // 2),
            "subject_kind": ["household", "person"] * (n // 2),
            "household_id": range(1, n + 1),
            "person_id": [None if i % 3 == 0 else 10 * i for i in range(n)],
            "division_code": ["500102001001"] * n,
            "eligible": [i % 2 == 0 for i in range(n)],
            "amount_fen": [100_000 + i for i in range(n)],
            "enrolled": [i % 5 == 0 for i in range(n)],
        },
        schema_overrides={"person_id": pl.Int64},
    )


def _stored(run_id: int) -> list[tuple]:
    return list(
        ScreeningResult.objects.filter(run_id=run_id)
        .order_by("id")
        .values_list("program", "subject_kind", "household_id", "person_id", "division_code", "eligible", "amount_fen", "enrolled")
    )


@pytest.mark.django_db
def test_a_staged_load_stores_exactly_what_binding_row_by_row_stores(monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("staging is SQLite's path (PostgreSQL loads by COPY)")
    frame = _results(1_000, 0)
    staged = []
    real = bulk._insert_staged
    monkeypatch.setattr(bulk, "_insert_staged", lambda *a: staged.append(a[1]) or real(*a))
    monkeypatch.setattr(bulk, "STAGE_ROWS", 10**9)
    bulk_insert(ScreeningResult, frame.columns, frame.with_columns(run_id=pl.lit(901)))
    monkeypatch.setattr(bulk, "STAGE_ROWS", 500)
    bulk_insert(ScreeningResult, frame.columns, frame.with_columns(run_id=pl.lit(902)))
    assert staged == [ScreeningResult._meta.db_table]  # the second load, not the first
    by_row, by_stage = _stored(901), _stored(902)
    assert len(by_stage) == 1_000
    assert by_stage == by_row  # same values, NULLs and booleans, in the frame's order
    assert by_stage[0] == ("dibao", "household", 1, None, "500102001001", True, 100_000, True)
    # Dates and datetimes reach SQLite as the text Django stores
    changes = _rows(600, 1)
    bulk_insert(FactsChange, COLUMNS, changes)
    first = FactsChange.objects.order_by("id").values_list("household_id", "changed_at").first()
    assert first == (1, dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc))
    assert staged == [ScreeningResult._meta.db_table, FactsChange._meta.db_table]


@pytest.mark.django_db
def test_a_failed_staged_load_leaves_nothing_and_staging_never_exceeds_its_limit(monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("staging is SQLite's path (PostgreSQL loads by COPY)")
    monkeypatch.setattr(bulk, "STAGE_ROWS", 500)
    before = ScreeningResult.objects.count()
    # the last row repeats the first one's primary key: SQLite refuses the load at its end
    bad = _results(600, 909).with_columns(id=pl.Series([10**9 + i for i in range(599)] + [10**9]))
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(ScreeningResult, bad.columns, bad)
    assert ScreeningResult.objects.count() == before
    # inside one open transaction every staging file stays attached; past the limit the
    # load binds row by row and is still whole
    for run_id in range(910, 910 + bulk._MAX_STAGED + 2):
        bulk_insert(ScreeningResult, ["run_id", *_results(2, 0).columns[1:]], _results(600, run_id))
        assert len(_stored(run_id)) == 600
    assert len(bulk._staged_schemas(connection)) == bulk._MAX_STAGED


def test_a_staging_database_is_detached_once_no_transaction_holds_it(tmp_path):

    stage = sqlite3.connect(tmp_path / "stage.sqlite3")
    stage.execute("CREATE TABLE rows (x)")
    stage.commit()
    stage.close()
    raw = sqlite3.connect(tmp_path / "main.sqlite3", isolation_level=None)
    wrapper = types.SimpleNamespace(connection=raw)  # what _detach_finished reads of Django's wrapper
    raw.execute("BEGIN")
    raw.execute("ATTACH DATABASE ? AS s1", [str(tmp_path / "stage.sqlite3")])
    bulk._staged_schemas(wrapper).append("s1")
    raw.execute("SELECT count(*) FROM s1.rows").fetchone()
    bulk._detach_finished(wrapper)
    assert bulk._staged_schemas(wrapper) == ["s1"]  # the open transaction has read it
    raw.execute("COMMIT")
    bulk._detach_finished(wrapper)
    assert bulk._staged_schemas(wrapper) == []
    assert [row[1] for row in raw.execute("PRAGMA database_list")] == ["main"]


@pytest.mark.django_db
def test_a_load_that_cannot_be_staged_is_bound_row_by_row(monkeypatch, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("staging is SQLite's path (PostgreSQL loads by COPY)")
    import adbc_driver_sqlite.dbapi as adbc  # local import: the driver bulk.py loads lazily

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(bulk, "STAGE_ROWS", 500)
    monkeypatch.setattr(adbc, "connect", full_disk)
    monkeypatch.setattr(bulk.tempfile, "tempdir", str(tmp_path))
    assert bulk_insert(ScreeningResult, _results(2, 0).columns, _results(600, 930)) == 600
    assert len(_stored(930)) == 600
    assert list(tmp_path.iterdir()) == []  # no staging folder left behind
