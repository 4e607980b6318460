"""The screening facts as a columnar snapshot, kept current by the change log.

Reading the whole registry into the engine's frames is the slow part of a district screening
on PostgreSQL (a join of 1.15 M memberships and people, ≈ 2.5 s on the 2-core machine, even
as Arrow); reading the same frames from Parquet takes ≈ 0.1 s. So the full frames
(``load_facts_frames`` without a period) are kept as two Parquet files under
``MINZHENG_WORK_DIR/facts-snapshot/`` and brought up to date on every read: the households
named by the change log (``FactsChange``, written by database triggers on households,
memberships and people) since the snapshot's mark are read again from the database by id and
replace their old rows. The re-read rows are kept as a small delta beside the base files, so
each change is read from the database once. The result equals a direct read (``test_snapshot.py`` compares them
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
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone

from minzheng.core.parquet import write_frame_atomically
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
# Households re-read since the base files are kept as a small delta (written on each patch, a
# few milliseconds); once the delta holds this many, the base files are written again
# (≈ 0.2 s at scale 1.0) and the delta starts empty.
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
            # Client sessions only: autovacuum's long transactions write no facts, and counting
            # them held the window back for minutes (every refresh re-read the day's changes).
            cursor.execute(
                "SELECT least(clock_timestamp(), min(xact_start)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND backend_type = 'client backend'"
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
    if FactsChange.objects.filter(_since(mark), household_id__isnull=True, person_id__isnull=True).exists():
        return None
    rows = FactsChange.objects.filter(_since(mark), household_id__isnull=False).values_list("household_id", flat=True)
    households = set(rows.distinct().iterator(chunk_size=10_000))
    # Checked after the log is read: a prune committed before the read is seen here (each
    # statement sees what was committed before it), one committed after it removed nothing read.
    if _pruned_past(mark):
        return None
    return households


def _pruned_past(mark: ChangeMark) -> bool:
    """Whether pruning may have deleted rows the mark needs: it deleted rows with an id up to
    ``pruned_through`` written before ``pruned_before``; a mark needs the rows above its id
    and those written from its window on."""
    row = FactsSnapshot.objects.filter(pk=1).values("pruned_through", "pruned_before").first()
    if row is None:
        return False
    return mark.last_id < row["pruned_through"] or (
        row["pruned_before"] is not None and mark.window_start < row["pruned_before"]
    )


def _pruned_through() -> int:  # the largest id pruning has reached (ids are never reused)
    return FactsSnapshot.objects.filter(pk=1).values_list("pruned_through", flat=True).first() or 0


def _folder() -> Path:
    return Path(settings.MINZHENG_WORK_DIR) / "facts-snapshot"


def _paths(token: str) -> tuple[Path, Path]:
    folder = _folder()
    return folder / f"{token}-households.parquet", folder / f"{token}-members.parquet"


def _delta_paths(token: str) -> tuple[Path, Path, Path]:
    folder = _folder()
    return (
        folder / f"{token}-delta-households.parquet",
        folder / f"{token}-delta-members.parquet",
        folder / f"{token}-delta-ids.parquet",
    )


def _save(frames: Iterable[pl.DataFrame], paths: Iterable[Path]) -> None:
    _folder().mkdir(parents=True, exist_ok=True)
    for frame, path in zip(frames, paths, strict=True):
        write_frame_atomically(frame, path)


def _write(households: pl.DataFrame, members: pl.DataFrame, mark: ChangeMark) -> FactsSnapshot:
    """Write new base files under a new token, then point the database row at them with no
    delta (the row is the authority: a crash between the two leaves unused files, never a
    wrong snapshot)."""
    token = secrets.token_hex(8)
    _save((households, members), _paths(token))
    with transaction.atomic():
        snapshot, _ = FactsSnapshot.objects.select_for_update().get_or_create(pk=1)
        if snapshot.token and max(snapshot.change_mark, snapshot.delta_mark) > mark.last_id:
            # Another reader stored a newer snapshot meanwhile: keep it, drop ours.
            transaction.on_commit(lambda: _remove(token))
            return snapshot
        old = (snapshot.token, snapshot.delta_token)
        snapshot.token = token
        snapshot.change_mark = mark.last_id
        snapshot.window_start = mark.window_start
        snapshot.built_at = timezone.now()
        snapshot.households = households.height
        snapshot.members = members.height
        snapshot.delta_token, snapshot.delta_mark, snapshot.delta_window_start, snapshot.delta_households = "", 0, None, 0
        snapshot.save()
        transaction.on_commit(lambda: _remove(*old))
    return snapshot


def _write_delta(snapshot: FactsSnapshot, delta: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame], mark: ChangeMark) -> None:
    """Point the row at a new delta of the same base; skipped when another reader replaced
    the base or wrote a later delta meanwhile (theirs is as good)."""
    token = secrets.token_hex(8)
    _save(delta, _delta_paths(token))
    with transaction.atomic():
        row = FactsSnapshot.objects.select_for_update().get(pk=1)
        if row.token != snapshot.token or row.delta_token != snapshot.delta_token:
            transaction.on_commit(lambda: _remove("", token))
            return
        old = row.delta_token
        row.delta_token, row.delta_mark, row.delta_window_start = token, mark.last_id, mark.window_start
        row.delta_households = delta[2].height
        row.save(update_fields=["delta_token", "delta_mark", "delta_window_start", "delta_households"])
        transaction.on_commit(lambda: _remove("", old))


def _remove(token: str, delta_token: str = "") -> None:
    paths = [*(_paths(token) if token else ()), *(_delta_paths(delta_token) if delta_token else ())]
    for path in paths:
        path.unlink(missing_ok=True)


def refresh_facts_snapshot() -> FactsSnapshot:
    """Rebuild the snapshot from a whole read of the registry."""
    mark = current_mark()
    households, members = load_facts_frames()
    return _write(households, members, mark)


Frames = tuple[pl.DataFrame, pl.DataFrame]


def _read(snapshot: FactsSnapshot) -> tuple[Frames, tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]] | None:
    """The base frames and the delta (households, members, ids; empty without one)."""
    if not snapshot.token:
        return None
    paths = [*_paths(snapshot.token), *(_delta_paths(snapshot.delta_token) if snapshot.delta_token else ())]
    if not all(path.exists() for path in paths):
        return None
    try:
        frames = [pl.read_parquet(path) for path in paths]
    except FileNotFoundError:  # replaced by another reader between the check and the read
        return None
    base = (frames[0], frames[1])
    if snapshot.delta_token:
        return base, (frames[2], frames[3], frames[4])
    return base, (frames[0].clear(), frames[1].clear(), pl.DataFrame(schema={"household_id": pl.Int64}))


def _replace(frames: Frames, ids: pl.DataFrame, fresh: Frames) -> Frames:
    """``frames`` without the households in ``ids``, then ``fresh`` appended (not sorted in:
    a sort or a merge costs ≈ 0.2 s at scale 1.0, and the engine and the comparison do not
    depend on row order)."""
    gone = ids["household_id"].implode()
    return (
        pl.concat([frames[0].filter(~pl.col("household_id").is_in(gone)), fresh[0]]),
        pl.concat([frames[1].filter(~pl.col("household_id").is_in(gone)), fresh[1]]),
    )


def current_facts_frames(*, period: str | Period | None = None) -> tuple[pl.DataFrame, pl.DataFrame, ChangeMark]:
    """The whole registry as ``load_facts_frames(period=…)`` returns it (the same rows; the
    re-read households come after the others), from the snapshot brought up to date, and the
    mark it is current to (for incremental screening)."""
    mark = current_mark()
    snapshot = FactsSnapshot.objects.filter(pk=1).first()
    stored = _read(snapshot) if snapshot is not None else None
    changed = None
    if stored is not None:
        since = (
            ChangeMark(snapshot.delta_mark, snapshot.delta_window_start)
            if snapshot.delta_token
            else ChangeMark(snapshot.change_mark, snapshot.window_start)
        )
        changed = changed_households(since)
    if stored is None or changed is None or len(changed) > REBUILD_SHARE * max(snapshot.households, 1):
        households, members = load_facts_frames()
        _write(households, members, mark)
    else:
        base, delta = stored
        if changed:
            ids = pl.DataFrame({"household_id": sorted(changed)}, schema={"household_id": pl.Int64})
            fresh = load_facts_frames(household_ids=ids["household_id"].to_list())
            delta_ids = pl.concat([delta[2], ids]).unique()
            delta = (*_replace(delta[:2], ids, fresh), delta_ids)
            if delta_ids.height >= REWRITE_AFTER:
                households, members = _replace(base, delta_ids, delta[:2])
                _write(households, members, mark)
                return (*_for_period(households, members, period), mark)
            _write_delta(snapshot, delta, mark)
        households, members = _replace(base, delta[2], delta[:2]) if delta[2].height else base
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
        snapshot.pruned_through = max(snapshot.pruned_through, through)
        snapshot.pruned_before = max(snapshot.pruned_before or before, before)
        snapshot.save(update_fields=["pruned_through", "pruned_before"])
    return deleted
