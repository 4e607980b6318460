"""Tables that grow by a whole batch at a time, list-partitioned by the batch's id on PostgreSQL.

A screening run writes about 100,000 result rows per 1.15 million people (1.0 million at the
scale of the municipality), replaces the period's last run, and keeps every period's current
run as history. So the results table is `PARTITION BY LIST (run_id)` on PostgreSQL, one
partition per run (migration screening 0005), and:

* writers of the table take `serialize_batches` first: two writers never hold partition
  locks in opposite orders (a run attaching its partition while another waits to detach
  one would deadlock), and two runs of one period cannot both become current;
* a new batch is loaded into a table of its own, outside the partition tree, then attached
  (`new_partition` → COPY → `attach_partition`). Attaching takes a SHARE UPDATE EXCLUSIVE
  lock on the parent (readers and writers of other runs go on) and an ACCESS EXCLUSIVE lock
  on the empty DEFAULT partition; the CHECK constraint written with the table spares the
  attach a scan of its rows;
* a replaced batch is detached and dropped (`drop_batches`): no DELETE of its rows, no dead
  tuples for vacuum, whatever its size. Detaching needs an ACCESS EXCLUSIVE lock on the parent,
  which waits for readers in progress and holds up new ones meanwhile; so it is done last,
  just before the commit, and waits at most DETACH_WAIT — past that the rows are deleted
  instead and the partition stays behind, empty.

Rows of a key without a partition of its own land in the DEFAULT partition (kept empty by the
writers above). A key whose partition already exists (the ids of an emptied table start
again, its partitions stay) is loaded through the parent into that partition.

On SQLite, and on a PostgreSQL table that is not partitioned, the same calls do the plain
thing: load into the table itself, nothing to attach, DELETE the replaced rows. SQLite needs
no lock of its own: every write transaction begins IMMEDIATE, holding the database's one
write lock.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import DatabaseError, connection, models, transaction

# How long the detach of a replaced batch waits for readers before it deletes rows instead.
DETACH_WAIT = "2s"


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def serialize_batches(model: type[models.Model]) -> None:
    """Inside the caller's transaction: wait for, then exclude, every other writer of
    ``model``'s batches until this transaction ends (a PostgreSQL advisory lock)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [batch_lock_name(model)])


def batch_lock_name(model: type[models.Model]) -> str:
    return f"minzheng.batches.{model._meta.db_table}"


def is_partitioned(model: type[models.Model]) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", [model._meta.db_table])
        (kind,) = cursor.fetchone()
    return kind == "p"


def partition_name(model: type[models.Model], key_column: str, key: int) -> str:
    return f"{model._meta.db_table}_{key_column}_{int(key)}"


def _existing_partitions(cursor, model: type[models.Model], names: list[str]) -> list[str]:
    cursor.execute(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "WHERE i.inhparent = %s::regclass AND c.relname = ANY(%s) ORDER BY c.relname",
        [model._meta.db_table, names],
    )
    return [name for (name,) in cursor.fetchall()]


def new_partition(model: type[models.Model], key_column: str, key: int) -> str:
    """The table a new batch ``key`` is loaded into: on a partitioned table, a new table shaped
    like it (defaults included, so ids still come from the parent's sequence) that accepts
    only rows of ``key``; otherwise — or when ``key`` has its partition already — the model's
    table itself."""
    if not is_partitioned(model):
        return model._meta.db_table
    name = partition_name(model, key_column, key)
    with connection.cursor() as cursor:
        if _existing_partitions(cursor, model, [name]):
            return model._meta.db_table
        cursor.execute(
            f"CREATE TABLE {_quoted(name)} (LIKE {_quoted(model._meta.db_table)} INCLUDING DEFAULTS, "
            f"CONSTRAINT {_quoted(name + '_key')} CHECK ({_quoted(key_column)} = {int(key)}))"
        )
    return name


def attach_partition(model: type[models.Model], table: str, key: int) -> None:
    """Make the loaded ``table`` the partition of ``key`` (its primary key and indexes are
    built now, one sorted pass each, rather than row by row during the load)."""
    if table == model._meta.db_table:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {_quoted(model._meta.db_table)} ATTACH PARTITION {_quoted(table)} FOR VALUES IN ({int(key)})"
        )


def drop_batches(model: type[models.Model], key_column: str, keys: Iterable[int]) -> None:
    """Remove every row of the batches ``keys``: their partitions are detached and dropped
    (waiting at most DETACH_WAIT for readers, else the rows are deleted and the partition
    stays, empty); rows of a key without its own partition (the default one, or an
    unpartitioned table) are deleted."""
    keys = sorted({int(key) for key in keys})
    if not keys:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if is_partitioned(model):
            for name in _existing_partitions(cursor, model, [partition_name(model, key_column, key) for key in keys]):
                _detach_and_drop(cursor, table, name)
        marks = ", ".join(["%s"] * len(keys))
        cursor.execute(f"DELETE FROM {_quoted(table)} WHERE {_quoted(key_column)} IN ({marks})", keys)


def _detach_and_drop(cursor, table: str, name: str) -> None:
    try:
        with transaction.atomic():  # a savepoint: a lock timeout undoes only this
            cursor.execute(f"SET LOCAL lock_timeout = '{DETACH_WAIT}'")
            cursor.execute(f"ALTER TABLE {_quoted(table)} DETACH PARTITION {_quoted(name)}")
            cursor.execute(f"DROP TABLE {_quoted(name)}")
            cursor.execute("SET LOCAL lock_timeout = DEFAULT")
    except DatabaseError as exc:
        if getattr(getattr(exc, "__cause__", None), "sqlstate", None) != "55P03":  # lock_not_available
            raise

