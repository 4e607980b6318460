"""Bulk writes for the batch path (architecture §8): COPY on PostgreSQL; on SQLite a big
frame is staged (ADBC writes it to a private file, one INSERT … SELECT copies it), anything
else goes through executemany.

Whole-population jobs (the synthetic district, screening results, payroll lines) write
hundreds of thousands of rows; a per-row ORM save would take an hour. `bulk_insert` writes
a polars DataFrame, a pyarrow Table or an iterable of row tuples into one table, inside the
caller's transaction (a savepoint if one is open, so a failure leaves nothing behind).

Primary keys are the caller's business: give the `id` column explicitly (start above
`max_id(model)`) and call `reset_sequences(model)` afterwards, so that later ORM inserts on
PostgreSQL do not collide with the bulk-loaded ids.

When a model is given, every concrete column the caller did not supply is filled from the
field's default (auto_now/auto_now_add → now; nullable → NULL). A field added to the model
later with a default therefore does not break existing bulk loaders.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import logging
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)
# Marks NULL in the CSV we stream to PostgreSQL. Unquoted empty fields then stay empty
# strings, which is what Django stores for a blank CharField.
_PG_NULL = r"\N"
_DEFAULT_BATCH_ROWS = 100_000

__all__ = ["bulk_insert", "max_id", "reset_sequences", "sqlite_fast_load", "bulk_load_tables"]


def _resolve(table_or_model: str | type[models.Model]) -> tuple[str, type[models.Model] | None]:
    if isinstance(table_or_model, str):
        return table_or_model, None
    return table_or_model._meta.db_table, table_or_model


def _missing_defaults(model: type[models.Model], columns: Sequence[str], connection) -> dict[str, Any]:
    """{column: db-ready constant} for the concrete fields the caller left out."""
    given = set(columns)
    now = timezone.now()
    out: dict[str, Any] = {}
    for f in model._meta.concrete_fields:
        if f.column in given or f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        elif f.blank and f.empty_strings_allowed:
            value = ""  # what the ORM stores for a blank text field
        else:
            raise ValueError(f"bulk_insert into {model._meta.db_table}: no value and no default for {f.column}")
        out[f.column] = f.get_db_prep_save(value, connection)
    return out


def _as_frame(data: Any) -> pl.DataFrame | None:
    if isinstance(data, pl.DataFrame):
        return data
    if isinstance(data, (pa.Table, pa.RecordBatch)):
        return pl.from_arrow(data)
    return None


def bulk_insert(
    table_or_model: str | type[models.Model],
    columns: Sequence[str],
    data: pl.DataFrame | Any | Iterable[Sequence[Any]],
    *,
    using: str = DEFAULT_DB_ALIAS,
    batch_rows: int = _DEFAULT_BATCH_ROWS,
    table: str | None = None,
) -> int:
    """Insert rows into one table; returns the number of rows written.

    `columns` are database column names. For a DataFrame/Arrow table they also select its
    columns (in that order); for an iterable each row is a tuple in `columns` order, with
    values already in database form. `table`: write into this table instead of the model's
    own (a partition being loaded, core.partitions), the model still supplying defaults.
    """
    resolved, model = _resolve(table_or_model)
    table = table or resolved
    connection = connections[using]
    defaults = _missing_defaults(model, columns, connection) if model is not None else {}
    all_columns = [*columns, *defaults]
    frame = _as_frame(data)
    if frame is not None:
        frame = frame.select(list(columns))
        if defaults:
            frame = frame.with_columns(
                pl.lit(_frame_constant(v, connection)).alias(k) for k, v in defaults.items()
            )
    with transaction.atomic(using=using, savepoint=True):
        if connection.vendor == "postgresql":
            written = _copy_postgres(connection, table, all_columns, frame, data, defaults, batch_rows)
            _analyze_if_changed(connection, table, written)
            return written
        return _executemany(connection, table, all_columns, frame, data, defaults, batch_rows)


# A table loaded in bulk keeps the planner statistics of before the load until autovacuum's
# next pass (a minute or more); a statement planned in between may plan for an empty table.
# Measured: the first payroll at scale 10, planned just after 169,262 enrolments were loaded,
# ran minutes instead of 1.5 s. So a big load into a table the planner believes smaller than
# the load itself is analysed at once (a screening run's new partition, never analysed, is;
# core.partitions). A load that replaces rows of the same size in one table (the payroll
# replacing its month's batch) leaves statistics that still hold, and skips the ≈ 0.1 s.
ANALYZE_AFTER_ROWS = 10_000


def _analyze_if_changed(connection, table: str, written: int) -> None:
    if written < ANALYZE_AFTER_ROWS:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples, relkind FROM pg_class WHERE oid = %s::regclass", [table])
        believed, kind = cursor.fetchone()  # -1: never analysed
        # Not a partitioned parent ('p'): analysing it samples every partition, and its lock
        # would queue behind (and hold up) a batch writer's (core.partitions). Each partition,
        # a plain table, is analysed by this rule when it is loaded and by autovacuum after.
        if kind == "r" and believed < written:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _frame_constant(value: Any, connection) -> Any:
    # Datetimes go to PostgreSQL as ISO text with their offset; SQLite already has text.
    if hasattr(value, "isoformat") and connection.vendor == "postgresql":
        return value.isoformat()
    return value


def _quoted(connection, names: Sequence[str]) -> str:
    return ", ".join(connection.ops.quote_name(n) for n in names)


def _copy_postgres(connection, table, columns, frame, data, defaults, batch_rows) -> int:
    sql = f"COPY {connection.ops.quote_name(table)} ({_quoted(connection, columns)}) FROM STDIN"
    if frame is not None:
        # polars writes the CSV; row tuples go through psycopg's own (text-format) write_row
        sql += f" WITH (FORMAT csv, NULL '{_PG_NULL}')"
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
        with raw.copy(sql) as copy:
            if frame is not None:
                for start in range(0, frame.height, batch_rows):
                    buf = io.BytesIO()
                    frame.slice(start, batch_rows).write_csv(
                        buf,
                        include_header=False,
                        null_value=_PG_NULL,
                        quote_style="necessary",
                        date_format="%Y-%m-%d",
                    )
                    copy.write(buf.getvalue())
                written = frame.height
            else:
                tail = tuple(defaults.values())
                for row in data:
                    copy.write_row((*row, *tail))
                    written += 1
    return written


def _sqlite_ready(frame: pl.DataFrame) -> pl.DataFrame:
    # The sqlite3 module's default date adapters are deprecated; store ISO text as Django does.
    casts = []
    for name, dtype in frame.schema.items():
        if dtype == pl.Date:
            casts.append(pl.col(name).dt.strftime("%Y-%m-%d"))
        elif isinstance(dtype, pl.Datetime):
            casts.append(pl.col(name).dt.strftime("%Y-%m-%d %H:%M:%S%.6f"))
    return frame.with_columns(casts) if casts else frame


# SQLite: a frame this big is handed over in C rather than bound row by row. executemany
# binds each value through the driver: 0.5–0.7 s for the 101,232 rows of a screening run
# at scale 1.0, of which SQLite's own b-tree work is 0.13 s; staged, 0.07 s (ADBC writes
# the Arrow table to a private file) + 0.13 s (INSERT … SELECT from it). Figures in
# docs/performance.md.
STAGE_ROWS = 20_000
# A staging file stays attached until its transaction ends (SQLite refuses to DETACH a
# database the open transaction has read); SQLite allows 10 attached databases.
_MAX_STAGED = 4
_STAGEABLE = (pl.Boolean, pl.String, pl.Null, pl.Float32, pl.Float64, pl.Int8, pl.Int16, pl.Int32, pl.Int64,
              pl.UInt8, pl.UInt16, pl.UInt32)  # fmt: skip
_stage_names = itertools.count(1)


def _staged_schemas(connection) -> list[str]:
    """The staging databases attached to this connection's current SQLite handle."""
    handle = id(connection.connection)
    owner, names = getattr(connection, "_minzheng_staged", (None, []))
    if owner != handle:
        names = []
        connection._minzheng_staged = (handle, names)
    return names


def _detach_finished(connection) -> None:
    """Detach every staging database no open transaction holds (the rest stay till later)."""
    if connection.connection is None:
        return
    names = _staged_schemas(connection)
    for name in list(names):
        try:
            connection.connection.execute(f"DETACH DATABASE {name}")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc):
                continue  # read by the transaction still open
        names.remove(name)


def _insert_staged(connection, table: str, columns: Sequence[str], frame: pl.DataFrame) -> int | None:
    """Insert ``frame`` (already in SQLite's value forms) through a staging file; None when
    this frame or connection cannot be staged (the caller binds row by row instead)."""
    if any(dtype not in _STAGEABLE for dtype in frame.dtypes):
        return None
    connection.ensure_connection()
    _detach_finished(connection)
    names = _staged_schemas(connection)
    if len(names) >= _MAX_STAGED:
        return None
    # local import: the ADBC driver is loaded by the first big SQLite load, not by every process
    import adbc_driver_sqlite.dbapi as adbc

    name = f"minzheng_stage_{next(_stage_names)}"
    directory = Path(tempfile.mkdtemp(prefix="minzheng-stage-"))
    try:
        path = directory / "rows.sqlite3"
        arrow = frame.with_columns(pl.col(pl.Null).cast(pl.String)).to_arrow()
        with adbc.connect(str(path)) as stage:
            with stage.cursor() as cursor:
                cursor.adbc_ingest("rows", arrow, mode="create")
            stage.commit()
        with connection.cursor() as cursor:
            cursor.execute(f"ATTACH DATABASE %s AS {name}", [str(path)])
        names.append(name)
    except (OSError, DatabaseError, adbc.Error) as exc:  # a full disk, a failed attach …
        logger.warning("SQLite staging unavailable (%s); binding rows one by one", type(exc).__name__)
        return None
    finally:
        # Attached, the file stays open until DETACH: its name goes at once, so the rows'
        # copy is on disk by name only while ADBC writes it (a crash then leaves it in a
        # private 0700 temporary folder).
        shutil.rmtree(directory, ignore_errors=True)
    listed = _quoted(connection, columns)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {connection.ops.quote_name(table)} ({listed}) SELECT {listed} FROM {name}.rows ORDER BY rowid")
    transaction.on_commit(lambda: _detach_finished(connection), using=connection.alias, robust=True)
    return frame.height


def _executemany(connection, table, columns, frame, data, defaults, batch_rows) -> int:
    if frame is not None and frame.height >= STAGE_ROWS:
        staged = _insert_staged(connection, table, columns, _sqlite_ready(frame))
        if staged is not None:
            return staged
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({_quoted(connection, columns)}) VALUES ({placeholders})"
    written = 0
    with connection.cursor() as cursor:
        if frame is not None:
            frame = _sqlite_ready(frame)
            for start in range(0, frame.height, batch_rows):
                part = frame.slice(start, batch_rows)
                cursor.executemany(sql, part.iter_rows())
                written += part.height
        else:
            tail = tuple(defaults.values())
            rows = ((*row, *tail) for row in data) if tail else data
            batch: list = []
            for row in rows:
                batch.append(row)
                if len(batch) >= batch_rows:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                written += len(batch)
    return written


def max_id(model: type[models.Model], *, using: str = DEFAULT_DB_ALIAS) -> int:
    """The highest primary key in the table (0 when empty): bulk ids start above it."""
    value = model._default_manager.db_manager(using).aggregate(m=models.Max("pk"))["m"]
    return int(value or 0)


def reset_sequences(*model_classes: type[models.Model], using: str = DEFAULT_DB_ALIAS) -> None:
    """After explicit ids: move PostgreSQL sequences past max(id). SQLite's AUTOINCREMENT
    table follows the largest inserted rowid by itself."""
    connection = connections[using]
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_classes))
    if not statements:
        return
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextlib.contextmanager
def sqlite_fast_load(*, using: str = DEFAULT_DB_ALIAS, cache_mib: int = 512) -> Iterator[None]:
    """On SQLite, for the length of a bulk load: no fsync per commit, a page cache big enough
    that random inserts into the unique indexes stay in memory, and foreign keys checked
    once at the end (`bulk_load_tables` runs PRAGMA foreign_key_check) instead of per row.
    The load is one transaction, so a crash mid-way leaves the database as it was (WAL).

    Enter it outside any transaction: SQLite changes neither `synchronous` nor
    `foreign_keys` inside one. Inside one (as in tests) only the cache is enlarged and the
    per-row checks stay on. A no-op on other databases."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        yield
        return
    outside = not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        synchronous = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size")
        cache_size = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size=-{int(cache_mib) * 1024}")
        if outside:
            cursor.execute("PRAGMA synchronous=OFF")
    fk_disabled = outside and connection.disable_constraint_checking()
    try:
        yield
    finally:
        if fk_disabled:
            connection.enable_constraint_checking()
        with connection.cursor() as cursor:
            if outside:
                cursor.execute(f"PRAGMA synchronous={int(synchronous)}")
            cursor.execute(f"PRAGMA cache_size={int(cache_size)}")


def _run_deferred_checks(connection, cursor) -> None:
    # PostgreSQL refuses DDL on a table with pending (deferred) foreign-key checks, e.g. after
    # the rows a load replaces were deleted: run the checks now, then defer again as Django
    # declares its constraints (DEFERRABLE INITIALLY DEFERRED).
    if connection.vendor == "postgresql":
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


# (kind, table, name, definition): an "index" is re-created from its full CREATE statement,
# a "constraint" with ALTER TABLE … ADD CONSTRAINT name definition.
_Saved = tuple[str, str, str, str]


def _secondary_structures(connection, cursor, table: str, drop_indexes: bool) -> list[_Saved]:
    """What a load can do without, read from the catalog so that it is re-created verbatim."""
    out: list[_Saved] = []
    if connection.vendor == "postgresql":
        # Foreign keys always; unique constraints too when dropping indexes, except one that
        # a foreign key elsewhere depends on. The primary key stays.
        cursor.execute(
            """
            SELECT c.contype, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.conrelid = %s::regclass AND c.contype IN ('f', 'u')
              AND NOT (c.contype = 'u' AND EXISTS (
                  SELECT 1 FROM pg_constraint r WHERE r.contype = 'f' AND r.conindid = c.conindid))
            ORDER BY c.contype DESC, c.conname
            """,
            [table],
        )
        for contype, name, definition in cursor.fetchall():
            if contype == "f" or drop_indexes:
                out.append(("constraint", table, name, definition))
        if drop_indexes:
            cursor.execute(
                """
                SELECT ci.relname, pg_get_indexdef(i.indexrelid)
                FROM pg_index i JOIN pg_class ci ON ci.oid = i.indexrelid
                WHERE i.indrelid = %s::regclass AND NOT i.indisprimary
                  AND NOT EXISTS (
                      SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
                ORDER BY ci.relname
                """,
                [table],
            )
            out.extend(("index", table, name, definition) for name, definition in cursor.fetchall())
    elif connection.vendor == "sqlite" and drop_indexes:
        # Explicitly created indexes (partial unique ones included); the autoindexes of UNIQUE
        # column constraints (sql IS NULL) cannot be dropped and stay.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL "
            "ORDER BY name",
            [table],
        )
        out.extend(("index", table, name, definition) for name, definition in cursor.fetchall())
    return out


def _is_foreign_key(saved: _Saved) -> bool:
    return saved[0] == "constraint" and saved[3].startswith("FOREIGN KEY")


@contextlib.contextmanager
def bulk_load_tables(
    *model_classes: type[models.Model], using: str = DEFAULT_DB_ALIAS, drop_indexes: bool = True
) -> Iterator[None]:
    """Prepare tables for a bulk load, inside the load's transaction; afterwards restore them.

    * With `drop_indexes`, secondary indexes are dropped and built again at the end (one
      sorted build is much cheaper than a million random b-tree inserts), and on PostgreSQL
      unique constraints too. Definitions are read from the catalog and re-created verbatim,
      so a duplicate still fails the load — at the end instead of at the row.
    * Foreign keys are checked once, in bulk, instead of by a trigger per row (PostgreSQL's
      advice for populating a database): on PostgreSQL the tables' FK constraints are
      dropped and re-added (re-adding validates every row in one pass); on SQLite, when
      `sqlite_fast_load` switched enforcement off, PRAGMA foreign_key_check runs at the end.

    A violation raises IntegrityError, and the transaction rolls everything back. DDL is
    transactional on both databases, so a failed load also restores what was dropped (hence
    nothing is rebuilt on error).
    """
    connection = connections[using]
    qn = connection.ops.quote_name
    tables = [m._meta.db_table for m in model_classes]
    with connection.cursor() as cursor:
        _run_deferred_checks(connection, cursor)
        saved = [s for t in tables for s in _secondary_structures(connection, cursor, t, drop_indexes)]
        # foreign keys go first: a unique constraint cannot be dropped while a key uses it
        for kind, table, name, _definition in sorted(saved, key=_is_foreign_key, reverse=True):
            if kind == "constraint":
                cursor.execute(f"ALTER TABLE {qn(table)} DROP CONSTRAINT {qn(name)}")
            else:
                cursor.execute(f"DROP INDEX {qn(name)}")
    yield
    with connection.cursor() as cursor:
        _run_deferred_checks(connection, cursor)
        # indexes and unique constraints before the foreign keys that are checked against them
        for kind, table, name, definition in sorted(saved, key=_is_foreign_key):
            if kind == "constraint":
                cursor.execute(f"ALTER TABLE {qn(table)} ADD CONSTRAINT {qn(name)} {definition}")
            else:
                cursor.execute(definition)
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA foreign_keys")
            if not cursor.fetchone()[0]:
                for table in tables:
                    cursor.execute(f"PRAGMA foreign_key_check({qn(table)})")
                    bad = cursor.fetchone()
                    if bad is not None:
                        raise IntegrityError(f"bulk load into {table}: row {bad[1]} refers to a missing {bad[2]} row")
