"""Bulk services other lines call on assistance's tables (they never import its models).

The synthetic demo roster of rules and screening (screening/seeding.py) writes tens of thousands
of enrolments in one statement; it asks here for the ids and the insert."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import polars as pl
from django.db import connection

from minzheng.assistance.models import Enrolment
from minzheng.core.bulk import bulk_insert, max_id, reset_sequences


@contextmanager
def roster_insertion() -> Iterator[int]:
    """Inside the caller's transaction: lock the enrolment table (PostgreSQL) and give the first
    free id, so the caller can number its rows before ``insert_roster_rows``."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(Enrolment._meta.db_table)} IN EXCLUSIVE MODE")
    yield max_id(Enrolment) + 1


def insert_roster_rows(table: pl.DataFrame) -> None:
    """Insert enrolment rows (columns named as the model's fields, ids included) in bulk and move
    the id sequence past them."""
    bulk_insert(Enrolment, table.columns, table)
    reset_sequences(Enrolment)
