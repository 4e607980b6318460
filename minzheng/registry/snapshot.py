"""The screening facts as a columnar snapshot, kept current by the change log.

Reading the whole registry into the engine's frames is the slow part of a district screening
on PostgreSQL (a join of 1.15 M memberships and people, ≈ 2.5 s on the 2-core machine, even
as Arrow); reading the same frames from Parquet takes ≈ 0.1 s. So the full frames
(``load_facts_frames`` without a period) are kept as two Parquet files under
``MINZHENG_WORK_DIR/facts-snapshot/`` and brought up to date on every read: the households
named by the change log (``FactsChange``, written by database triggers on households,
memberships and people) since the snapshot's mark are read again from the database by id and
replace their old rows. The result equals a direct read (``test_snapshot.py`` compares them
after every kind of change).

Which changes are "since the mark": a row of the log with a larger id, or one written at or
after the mark's ``window_start`` — on PostgreSQL the start of the oldest transaction still
open when the mark was taken, whose rows may carry smaller ids but commit later. Reading a
household again that did not change is harmless.

The database row (``FactsSnapshot``) is the authority: files of another database or of an
older snapshot have another token and are never read. When the files are missing, the log
was pruned past the mark, a TRUNCATE logged "everything", or more than ``REBUILD_SHARE`` of
the households changed, the snapshot is rebuilt from a whole read.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from minzheng.registry.facts import load_facts_frames
from minzheng.registry.models import FactsChange, FactsSnapshot
from minzheng.rules import Period

__all__ = [
    "ChangeMark",
    "changed_households",
    "current_facts_frames",
    "current_mark",
    "prune_changes",
    "refresh_facts_snapshot",
]

# Above this share of changed households, one whole read is cheaper than reading them by id.
REBUILD_SHARE = 0.2
# After this many households read by id, the patched frames are written back as the new
# snapshot, so that the patch stays small (a day's changes, ~2,000 households, are patched
# for ≈ 0.1 s; writing the snapshot back costs ≈ 0.2 s).
REWRITE_AFTER = 10_000


@dataclass(frozen=True)
class ChangeMark:
    """How far a reader is current: every change with ``id`` ≤ ``last_id`` that was written
    before ``window_start`` is included."""

    last_id: int
    window_start: dt.datetime


def current_mark() -> ChangeMark:
    """The mark to take *before* reading the facts it will vouch for. Times are the
    database's own clock, the one the triggers write ``changed_at`` with."""
    # Ids are never reused (AUTOINCREMENT, sequences): a log pruned empty is still past them.
    last = max(FactsChange.objects.aggregate(last=Max("id"))["last"] or 0, _pruned_through())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A transaction still open may have taken a smaller id and commit after our read.
            cursor.execute(
                "SELECT least(clock_timestamp(), min(xact_start)) FROM pg_stat_activity "
                "WHERE datname = current_database()"
            )
            start = cursor.fetchone()[0]
        else:
            # SQLite has one writer at a time: nothing uncommitted holds a smaller id.
            cursor.execute("SELECT strftime('%%Y-%%m-%%d %%H:%%M:%%f', 'now')", [])
            start = dt.datetime.fromisoformat(cursor.fetchone()[0]).replace(tzinfo=dt.UTC)
    return ChangeMark(last, start)


def _since(mark: ChangeMark) -> Q:
    return Q(id__gt=mark.last_id) | Q(changed_at__gte=mark.window_start)


def changed_households(mark: ChangeMark) -> set[int] | None:
    """Households whose facts may differ from what a read at ``mark`` saw: the ones the log
    names (a person's change is logged with the household they were in, a move with both
    households). None when the log says "everything" or was pruned past the mark."""
    if mark.last_id < _pruned_through():
        return None
    if FactsChange.objects.filter(_since(mark), household_id__isnull=True, person_id__isnull=True).exists():
        return None
    rows = FactsChange.objects.filter(_since(mark), household_id__isnull=False).values_list("household_id", flat=True)
    return set(rows.distinct().iterator(chunk_size=10_000))


def _pruned_through() -> int:
    return FactsSnapshot.objects.filter(pk=1).values_list("pruned_through", flat=True).first() or 0


def _folder() -> Path:
    return Path(settings.MINZHENG_WORK_DIR) / "facts-snapshot"


def _paths(token: str) -> tuple[Path, Path]:
    folder = _folder()
    return folder / f"{token}-households.parquet", folder / f"{token}-members.parquet"


def _write(households: pl.DataFrame, members: pl.DataFrame, mark: ChangeMark) -> FactsSnapshot:
    """Write the files under a new token, then point the database row at them (the row is the
    authority: a crash between the two leaves unused files, never a wrong snapshot)."""
    token = secrets.token_hex(8)
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    for frame, path in zip((households, members), _paths(token)):
        part = path.with_suffix(".part")
        frame.write_parquet(part, compression="lz4", statistics=False)
        os.replace(part, path)
    with transaction.atomic():
        snapshot, _ = FactsSnapshot.objects.select_for_update().get_or_create(pk=1)
        old = snapshot.token
        snapshot.token = token
        snapshot.change_mark = mark.last_id
        snapshot.window_start = mark.window_start
        snapshot.built_at = timezone.now()
        snapshot.households = households.height
        snapshot.members = members.height
        snapshot.save()
        transaction.on_commit(lambda: _remove(old))
    return snapshot


def _remove(token: str) -> None:
    if token:
        for path in _paths(token):
            path.unlink(missing_ok=True)


def refresh_facts_snapshot() -> FactsSnapshot:
    """Rebuild the snapshot from a whole read of the registry."""
    mark = current_mark()
    households, members = load_facts_frames()
    return _write(households, members, mark)


def _read(snapshot: FactsSnapshot) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    if not snapshot.token:
        return None
    household_path, member_path = _paths(snapshot.token)
    if not household_path.exists() or not member_path.exists():
        return None
    return pl.read_parquet(household_path), pl.read_parquet(member_path)


def _patched(
    households: pl.DataFrame, members: pl.DataFrame, changed: Iterable[int]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    ids = sorted(changed)
    fresh_households, fresh_members = load_facts_frames(household_ids=ids)
    gone = pl.Series("household_id", ids, dtype=pl.Int64).implode()
    # Appended, not sorted back in (a sort or a merge costs ≈ 0.2 s at scale 1.0): the engine
    # and the comparison do not depend on row order.
    households = pl.concat([households.filter(~pl.col("household_id").is_in(gone)), fresh_households])
    members = pl.concat([members.filter(~pl.col("household_id").is_in(gone)), fresh_members])
    return households, members


def current_facts_frames(*, period: str | Period | None = None) -> tuple[pl.DataFrame, pl.DataFrame, ChangeMark]:
    """The whole registry as ``load_facts_frames(period=…)`` returns it (the same rows; a
    patched snapshot has its re-read households at the end), from the snapshot brought up to
    date, and the mark it is current to (for incremental screening)."""
    mark = current_mark()
    snapshot = FactsSnapshot.objects.filter(pk=1).first()
    frames = _read(snapshot) if snapshot is not None else None
    changed = None
    if frames is not None:
        changed = changed_households(ChangeMark(snapshot.change_mark, snapshot.window_start))
    if frames is None or changed is None or len(changed) > REBUILD_SHARE * max(snapshot.households, 1):
        households, members = load_facts_frames()
        _write(households, members, mark)
    else:
        households, members = frames
        if changed:
            households, members = _patched(households, members, changed)
            if len(changed) >= REWRITE_AFTER:
                _write(households, members, mark)
    households, members = _for_period(households, members, period)
    return households, members, mark


def _for_period(households: pl.DataFrame, members: pl.DataFrame, period: str | Period | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Members born after the period's last day did not exist then; a household left with
    nobody is not evaluated (as ``load_facts_frames(period=…)``)."""
    if period is None:
        return households, members
    members = members.filter(pl.col("birth_date") <= Period.of(period).end)
    households = households.filter(pl.col("household_id").is_in(members["household_id"].unique().implode()))
    return households, members


def prune_changes(keep: Iterable[ChangeMark] = ()) -> int:
    """Delete the log rows no reader needs: those every mark in ``keep`` (the callers' marks
    still in use, e.g. current screening runs) and the snapshot's own mark already include —
    id up to the smallest ``last_id`` and written before the earliest ``window_start``.
    Remember how far, so that an older mark is known to be stale. Returns rows deleted."""
    with transaction.atomic():
        snapshot, _ = FactsSnapshot.objects.select_for_update().get_or_create(pk=1)
        marks = [*keep]
        if snapshot.token and snapshot.window_start is not None:
            marks.append(ChangeMark(snapshot.change_mark, snapshot.window_start))
        if not marks:
            return 0
        through = min(mark.last_id for mark in marks)
        before = min(mark.window_start for mark in marks)
        deleted, _ = FactsChange.objects.filter(id__lte=through, changed_at__lt=before).delete()
        if through > snapshot.pruned_through:
            snapshot.pruned_through = through
            snapshot.save(update_fields=["pruned_through"])
    return deleted
