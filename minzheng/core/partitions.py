"""Tables that grow by a whole batch at a time, list-partitioned by the batch's id on PostgreSQL.

A screening run writes about 100,000 result rows per 1.15 million people (1.0 million at the
scale of the municipality), replaces the period's last run, and keeps every period's current
run as history. So the results table is `PARTITION BY LIST (run_id)` on PostgreSQL, one
partition per run (migration screening 0005), and:

* a new batch is loaded into a table of its own, outside the partition tree, then attached
  (`new_partition` → COPY → `attach_partition`). Attaching takes only a SHARE UPDATE EXCLUSIVE
  lock on the parent, so readers of the current run are not blocked while the new one loads;
  the CHECK constraint written with the table spares the attach a scan of its rows;
* a replaced batch is detached and dropped (`drop_batches`): no DELETE of its rows, no dead
  tuples for vacuum, whatever its size. Detaching locks the parent, so the caller does it
  last, just before its commit.

Rows of a key without a partition of its own land in the DEFAULT partition (kept empty by the
writers above; attaching a partition checks the default one for rows of the new key).

On SQLite, and on a PostgreSQL table that is not partitioned, the same three calls do the
plain thing: load into the table itself, nothing to attach, DELETE the replaced rows.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def is_partitioned(model: type[models.Model]) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        (kind,) = cursor.fetchone()
    return kind == "p"


def partition_name(model: type[models.Model], key_column: str, key: int) -> str:
    return f"{model._meta.db_table}_{key_column}_{int(key)}"


def new_partition(model: type[models.Model], key_column: str, key: int) -> str:
    """The table a new batch ``key`` is loaded into: on a partitioned table, a new table shaped
    like it (defaults included, so ids still come from the parent's sequence) that accepts
    only rows of ``key``; otherwise the model's table itself."""
    if not is_partitioned(model):
        return model._meta.db_table
    name = partition_name(model, key_column, key)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {_quoted(name)} (LIKE {_quoted(model._meta.db_table)} INCLUDING DEFAULTS, "
            f"CONSTRAINT {_quoted(name + '_key')} CHECK ({_quoted(key_column)} = {int(key)}))"
        )
    return name


def attach_partition(model: type[models.Model], table: str, key: int) -> None:
    """Make the loaded ``table`` the partition of ``key`` (its indexes are built now, in one
    sorted pass each, rather than row by row during the load)."""
    if table == model._meta.db_table:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {_quoted(model._meta.db_table)} ATTACH PARTITION {_quoted(table)} FOR VALUES IN ({int(key)})"
        )


def drop_batches(model: type[models.Model], key_column: str, keys: Iterable[int]) -> None:
    """Remove every row of the batches ``keys``: their partitions are detached and dropped;
    rows of a key without its own partition (the default one, or an unpartitioned table) are
    deleted."""
    keys = sorted({int(key) for key in keys})
    if not keys:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if is_partitioned(model):
            cursor.execute(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                "WHERE i.inhparent = %s::regclass AND c.relname = ANY(%s)",
                [table, [partition_name(model, key_column, key) for key in keys]],
            )
            for (name,) in cursor.fetchall():
                cursor.execute(f"ALTER TABLE {_quoted(table)} DETACH PARTITION {_quoted(name)}")
                cursor.execute(f"DROP TABLE {_quoted(name)}")
        marks = ", ".join(["%s"] * len(keys))
        cursor.execute(f"DELETE FROM {_quoted(table)} WHERE {_quoted(key_column)} IN ({marks})", keys)
