"""Precomputed figures per division: the big aggregates a page would otherwise count on every
request (a district's 1.16 M people by age band, its elders' assessment coverage …).

A line registers a snapshot kind from its ``AppConfig.ready()``:

    register_snapshot("registry.division", compute_division_statistics, label="区划人口统计")

``compute(now)`` returns ``{division code: JSON data}`` for every division it keeps (computed in
bulk: one grouped pass, not a query per division); ``refresh_snapshots()`` replaces the stored
rows of each kind in one transaction. The page reads ``read_snapshot(kind, code)`` — only for a
division the user covers (the caller's access check) — and shows 统计时间 with it.
Refreshed: after the synthetic district is generated, after an import is committed, by
``minzheng refresh_statistics`` (the nightly schedule) and by 重新统计 (a background job).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from minzheng.core import clock
from minzheng.core.models import Snapshot


@dataclass(frozen=True)
class SnapshotKind:
    kind: str
    compute: Callable[[dt.datetime], dict[str, Any]]
    label: str


@dataclass(frozen=True)
class StoredSnapshot:
    data: Any
    computed_at: dt.datetime
    stale: bool


_kinds: dict[str, SnapshotKind] = {}


def register_snapshot(kind: str, compute: Callable[[dt.datetime], dict[str, Any]], *, label: str) -> None:
    _kinds[kind] = SnapshotKind(kind, compute, label)


def registered_snapshots() -> dict[str, SnapshotKind]:
    return dict(_kinds)


def refresh_snapshots(kinds: Iterable[str] | None = None, *, progress: Callable[[int, str], None] | None = None) -> dict[str, int]:
    """Recompute the given kinds (default: all) and replace their rows; {kind: rows written}."""
    chosen = [_kinds[k] for k in kinds] if kinds is not None else list(_kinds.values())
    written = {}
    for i, spec in enumerate(chosen):
        if progress:
            progress(10 + 80 * i // max(1, len(chosen)), f"正在统计：{spec.label}")
        now = clock.now()
        rows = spec.compute(now)
        with transaction.atomic():  # an upsert: two refreshes at once (nightly and 重新统计) both succeed
            Snapshot.objects.bulk_create(
                [Snapshot(kind=spec.kind, division_code=code, data=data, computed_at=now, stale=False) for code, data in rows.items()],
                batch_size=500, update_conflicts=True, unique_fields=["kind", "division_code"], update_fields=["data", "computed_at", "stale"],
            )  # fmt: skip
            Snapshot.objects.filter(kind=spec.kind).exclude(division_code__in=list(rows)).delete()
        written[spec.kind] = len(rows)
    return written


def read_snapshot(kind: str, division_code: str) -> StoredSnapshot | None:
    """The stored figures of one division, or None (never computed: the page counts live)."""
    row = Snapshot.objects.filter(kind=kind, division_code=division_code).values_list("data", "computed_at", "stale").first()
    return StoredSnapshot(*row) if row else None


def read_snapshot_rows(kind: str, *, code_length: int) -> dict[str, StoredSnapshot]:
    """Every stored row of a kind at one level (12: the villages), in one query."""
    rows = Snapshot.objects.filter(kind=kind).values_list("division_code", "data", "computed_at", "stale")
    return {code: StoredSnapshot(data, at, stale) for code, data, at, stale in rows if len(code) == code_length}


def snapshot_in_scope(kind: str, actor: Any, division_code: str | None, *, longest: int = 9) -> StoredSnapshot | None:
    """The stored figures a page shows this actor: of ``division_code``, or — none chosen — of
    the actor's one assigned division; only a division the actor covers, and only down to
    ``longest`` digits (a village's figures are few: counted live). None: count live."""
    code = division_code or (actor.scope_prefixes[0] if len(actor.scope_prefixes) == 1 else "")
    if not code or len(code) > longest or not actor.covers(code):
        return None
    return read_snapshot(kind, code)


def enclosing_codes(code: str) -> list[str]:
    """A village's code and those of its town and district (the snapshot rows it counts in)."""
    return [code[:n] for n in (6, 9, 12) if len(code) >= n]


def mark_stale(kinds: Iterable[str], division_code: str) -> None:
    """A change in this division: its rows and those above it say their figures may be old."""
    Snapshot.objects.filter(kind__in=list(kinds), division_code__in=enclosing_codes(division_code), stale=False).update(stale=True)


def watch_model(model: type, *kinds: str) -> None:
    """Every save or delete of a row of ``model`` (it has ``division_code``) marks the kinds'
    rows of its village, town and district stale — whichever action wrote it. Bulk writes
    (``bulk_create``, ``update``) send no signal: the generator and the imports refresh after
    them instead."""

    def changed(sender, instance, **kwargs) -> None:
        code = getattr(instance, "division_code", "") or ""
        if code:
            mark_stale(kinds, code)

    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"snapshot-{model._meta.label}-{'-'.join(kinds)}")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"snapshot-del-{model._meta.label}-{'-'.join(kinds)}")
