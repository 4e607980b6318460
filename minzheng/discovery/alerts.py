"""Alert candidates → alerts and tasks: deduplicated, assigned, written in bulk.

An alert is written once per subject (household or person), program and period; while an
alert of the same subject and program is still open, no new one is raised whatever the period.
Each alert gets one task at the person's village, assigned to a village worker of that
village (the lowest-numbered active one; every worker of the village sees it anyway), due
after the parameter's number of days.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable

from django.db import transaction

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role, StaffAssignment
from minzheng.accounts.permissions import Perm
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.bulk import bulk_insert
from minzheng.discovery.enums import AlertStatus, TaskStatus
from minzheng.discovery.feeds import refresh_statistics
from minzheng.exchange.matching import InValues, raw_rows
from minzheng.discovery.models import Alert, Signal, Task
from minzheng.discovery.params import due_days
from minzheng.discovery.rules import SIGNAL_FIELDS, Candidate, candidates_for, signal_rows

CHUNK = 2000
BULK = 1000


def village_workers(codes: Iterable[str]) -> dict[str, int]:
    """{village code: user id} — one active village worker per village, if any."""
    codes = sorted(set(codes))
    out: dict[str, int] = {}
    for start in range(0, len(codes), CHUNK):
        for code, user_id in (
            StaffAssignment.objects.filter(
                division_code__in=codes[start : start + CHUNK], user__role=Role.VILLAGE_WORKER, user__is_active=True
            )
            .order_by("division_code", "user_id")
            .values_list("division_code", "user_id")
        ):
            out.setdefault(code, user_id)
    return out


def drop_known(candidates: list[Candidate]) -> list[Candidate]:
    """Candidates with no alert for the same subject, program and period, and no open alert for
    the same subject and program. Also deduplicated among themselves (first wins)."""
    unique: dict[tuple[str, str, str], Candidate] = {}
    for c in candidates:
        unique.setdefault((c.subject_key, c.program, c.period), c)
    keys = sorted({c.subject_key for c in unique.values()})
    same_period: set[tuple[str, str, str]] = set()
    open_ones: set[tuple[str, str]] = set()
    for start in range(0, len(keys), CHUNK):
        query = Alert.objects.filter(InValues("subject_key", keys[start : start + CHUNK])).values_list(
            "subject_key", "program", "period", "status"
        )
        for subject, program, period, status in raw_rows(query):
            same_period.add((subject, program, period))
            if status == AlertStatus.OPEN:
                open_ones.add((subject, program))
    return [
        c for key, c in unique.items() if key not in same_period and (c.subject_key, c.program) not in open_ones
    ]


def write_alerts(candidates: list[Candidate], *, batch_id: int | None, today: dt.date) -> int:
    """Insert the alerts and their tasks with ``core.bulk`` (executemany / COPY): thousands of
    ORM objects would cost seconds. Returns the number of alerts written."""
    if not candidates:
        return 0
    workers = village_workers(c.division_code for c in candidates)
    alert_rows = [
        (
            c.kind, c.program, c.subject_key, c.period, c.person_id, c.household_id, c.division_code, c.signal_id,
            batch_id, c.reason[:300], json.dumps({**c.facts, "parameters": [u.as_dict() for u in c.used]}, ensure_ascii=False),
            c.provisional, AlertStatus.OPEN.value,
        )  # fmt: skip
        for c in candidates
    ]
    bulk_insert(
        Alert,
        ["kind", "program", "subject_key", "period", "person_id", "household_id", "division_code", "signal_id",
         "batch_id", "reason", "facts", "provisional", "status"],
        alert_rows,
    )  # fmt: skip
    if len(alert_rows) > 1000:
        refresh_statistics(Alert)
    # The new alerts' ids, by their unique (subject, program, period).
    ids: dict[tuple[str, str, str], int] = {}
    keys = sorted({c.subject_key for c in candidates})
    for start in range(0, len(keys), CHUNK):
        query = Alert.objects.filter(InValues("subject_key", keys[start : start + CHUNK])).values_list(
            "subject_key", "program", "period", "id"
        )
        for subject, program, period, pk in raw_rows(query):
            ids[(subject, program, period)] = pk
    days = {kind: due_days(kind, today) for kind in {c.task_kind for c in candidates}}
    bulk_insert(
        Task,
        ["alert_id", "kind", "division_code", "assignee_id", "due_on", "status"],
        (
            (
                ids[(c.subject_key, c.program, c.period)], c.task_kind, c.division_code, workers.get(c.division_code),
                (today + dt.timedelta(days=days[c.task_kind])).isoformat(), TaskStatus.OPEN.value,
            )  # fmt: skip
            for c in candidates
        ),
    )
    return len(candidates)


def raise_alerts_for_batch(actor: Actor, kind: str, batch_id: int, *, today: dt.date) -> dict:
    """Run the feed's rule over the signals this batch inserted; write the new alerts and tasks."""
    signals = signal_rows(Signal.objects.filter(batch_id=batch_id).values_list(*SIGNAL_FIELDS).iterator(chunk_size=CHUNK))
    return raise_alerts(actor, kind, signals, batch_id=batch_id, today=today)


def raise_alerts(actor: Actor, kind: str, signals, *, batch_id: int | None, today: dt.date) -> dict:
    """Run the feed's rule over these signals; write the new alerts and their tasks."""
    found = candidates_for(actor, kind, signals, today)
    fresh = drop_known(found)
    written = write_alerts(fresh, batch_id=batch_id, today=today)
    by_kind = Counter(str(c.kind) for c in fresh)
    return {"candidates": len(found), "alerts": written, "duplicates": len(found) - len(fresh), "alerts_by_kind": dict(by_kind)}


@transaction.atomic
def do_recheck_signals(actor: Actor, kind: str, *, since: dt.date, today: dt.date | None = None) -> dict:
    """Run a feed's rule again over its signals since a date (after a parameter change, or once
    the registry has been corrected). Deduplication makes a re-run raise only what is new."""
    actor.require(Perm.RUN_SCREENING)
    today = today or clock.today()
    qs = Signal.objects.visible_to(actor).filter(kind=kind, event_date__gte=since)
    signals = signal_rows(qs.values_list(*SIGNAL_FIELDS).iterator(chunk_size=CHUNK))
    result = raise_alerts(actor, kind, signals, batch_id=None, today=today)
    record_audit_event(
        actor,
        AuditAction.SYSTEM if actor.is_system else AuditAction.CREATE,
        object_type="discovery_recheck",
        division_code=min(actor.scope_prefixes, key=len) if actor.scope_prefixes else "",
        summary=f"重新核查{kind}信号（{since.isoformat()}起{len(signals)}条）：新增预警{result['alerts']}条",
        extra=result,
    )
    return result


__all__ = ["do_recheck_signals", "drop_known", "raise_alerts", "raise_alerts_for_batch", "village_workers", "write_alerts"]
