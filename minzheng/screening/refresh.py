"""`do_refresh_screening`: bring the current run of a period up to date by evaluating again only
the households that changed since it (issue 21 item 2). The stored results equal those of a
full run (``tests/test_refresh.py`` compares them row for row).

Which households: those the registry's change log names since the run's mark
(registry.snapshot), and those with a subject whose enrolment keys (program, subject) appeared
or went — their ``enrolled`` flag and whether their rows matter change. Every other household
has the same facts, the same enrolments and the same parameters, so the same rows.

The run's kept rows (screening.state) lose those households' rows and gain their new ones; the
comparison with the enrolments (a few seconds' worth of joins over ~100,000 rows at scale 1.0,
≈ 0.15 s) runs whole, as in a full run. Only the changed households' result rows are written
again; the summaries and discrepancies (a few thousand rows) are written whole.

A full run is done instead when there is no current run with a kept state, when the parameters
used for the period are no longer the same, or when the log cannot say what changed (pruned,
or a TRUNCATE).
"""

from __future__ import annotations

import json
import time
from typing import Any

import polars as pl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.core.partitions import serialize_batches
from minzheng.registry.snapshot import ChangeMark, changed_households, current_facts_frames
from minzheng.rules import Period, evaluate_batch
from minzheng.screening.compare import candidate_rows, enrolled_keys
from minzheng.screening.models import ScreeningResult, ScreeningRun
from minzheng.screening.runs import (
    Progress,
    compare_outcome,
    do_run_screening,
    forget_states,
    insert_results,
    load_current_enrolments,
    replace_comparison,
    run_counts,
)
from minzheng.screening.state import read_state, save_state

__all__ = ["do_refresh_screening"]

IDS_CHUNK = 500


def _comparable(parameters: dict[str, Any]) -> Any:
    """Parameters as the run row stores them (JSON)."""
    return json.loads(json.dumps(parameters, cls=DjangoJSONEncoder))


def _changed_subject_households(
    keys: pl.DataFrame, old_keys: pl.DataFrame, members: pl.DataFrame, old_candidates: pl.DataFrame
) -> set[int]:
    """Households of the subjects whose (program, subject) enrolment keys appeared or went. A
    subject id is a household id or a person id; both readings are taken (an extra household
    evaluated again is harmless)."""
    pair = ["program", "subject_id"]
    moved = pl.concat(
        [keys.join(old_keys, on=pair, how="anti").select("subject_id"), old_keys.join(keys, on=pair, how="anti").select("subject_id")]
    )["subject_id"].unique()
    if moved.is_empty():
        return set()
    ids = moved.implode()
    households = set(moved.to_list())
    households |= set(members.filter(pl.col("member_id").cast(pl.Int64).is_in(ids))["household_id"].to_list())
    households |= set(old_candidates.filter(pl.col("member_id").is_in(ids))["household_id"].to_list())
    return households


def do_refresh_screening(actor: Actor, *, period: str | Period, progress: Progress | None = None) -> ScreeningRun:
    """Refresh the current whole-district run of ``period`` (see the module docstring); a full
    run when it cannot be refreshed."""
    actor.require(Perm.RUN_SCREENING)
    say = progress or (lambda message: None)
    period = Period.of(period)
    run = ScreeningRun.objects.filter(period=str(period), is_current=True, division_prefix="").first()
    state = read_state(run.state_token) if run is not None and run.change_mark is not None else None
    if state is None:
        say("没有可增量更新的筛查结果，改为全区筛查")
        return do_run_screening(actor, period=period, progress=say)
    old_candidates, old_keys = state
    started = time.perf_counter()
    timings: dict[str, float] = {}
    lap_start = started

    def lap(name: str) -> None:
        nonlocal lap_start
        now = time.perf_counter()
        timings[name] = round(now - lap_start, 3)
        lap_start = now

    say("读取有变化的家庭")
    households, members, mark = current_facts_frames(period=period)
    enrolments = load_current_enrolments(period)
    keys = enrolled_keys(enrolments)
    changed = changed_households(ChangeMark(run.change_mark, run.window_start))
    lap("load")
    if changed is None:
        say("登记变更记录不完整，改为全区筛查")
        return do_run_screening(actor, period=period, progress=say)
    changed |= _changed_subject_households(keys, old_keys, members, old_candidates)
    ids = pl.Series("household_id", sorted(changed), dtype=pl.Int64).implode()
    say(f"规则计算：{len(changed)}户")
    batch = evaluate_batch(
        households.filter(pl.col("household_id").is_in(ids)),
        members.filter(pl.col("household_id").is_in(ids)),
        period,
    )
    if _comparable(batch.parameters) != run.parameters:
        say("参数已变化，改为全区筛查")
        return do_run_screening(actor, period=period, progress=say)
    candidates = pl.concat(
        [old_candidates.filter(~pl.col("household_id").is_in(ids)), candidate_rows(batch.results, keys)]
    )
    lap("evaluate")
    say("与在保名册比对")
    outcome = compare_outcome(period, households, members, enrolments, candidates, batch.parameters, timings, mark)
    lap("compare")
    say("写入筛查结果")
    token = save_state(candidates, keys)
    counts = {**run_counts(outcome), "refreshed_households": len(changed)}
    with transaction.atomic():
        serialize_batches(ScreeningResult)  # a full run's partition locks come after this: core.partitions
        locked = ScreeningRun.objects.select_for_update().get(pk=run.pk)
        stale = not locked.is_current or locked.state_token != run.state_token
        if not stale:
            _delete_households(run.pk, sorted(changed))
            insert_results(run.pk, outcome.results.filter(pl.col("household_id").is_in(ids)))
            replace_comparison(run.pk, outcome)
            timings["write"] = round(time.perf_counter() - lap_start, 3)
            now = timezone.now()
            ScreeningRun.objects.filter(pk=run.pk).update(
                counts=counts, timings=timings, seconds=round(time.perf_counter() - started, 3), finished_at=now,
                refreshed_at=now, refreshes=locked.refreshes + 1, change_mark=mark.last_id,
                window_start=mark.window_start, state_token=token,
            )  # fmt: skip
            kinds = counts["discrepancies"]
            record_audit_event(
                actor,
                AuditAction.SYSTEM if actor.is_system else AuditAction.UPDATE,
                object_type="screening_run",
                object_id=run.pk,
                division_code=district_code(),
                summary=f"{period} 全区筛查增量更新：重新计算{len(changed)}户；疑点 {sum(kinds.values())} 条",
                extra={"period": str(period), "counts": counts, "timings": timings, "reason": actor.reason},
            )
            old_token = run.state_token
            transaction.on_commit(lambda: forget_states({old_token}))
    if stale:
        # Another run or refresh of the period was stored meanwhile: start again from it.
        forget_states({token})
        return do_refresh_screening(actor, period=period, progress=progress)
    run.refresh_from_db()
    return run


def _delete_households(run_id: int, household_ids: list[int]) -> None:
    table = connection.ops.quote_name(ScreeningResult._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(household_ids), IDS_CHUNK):
            chunk = household_ids[start : start + IDS_CHUNK]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE run_id = %s AND household_id IN ({marks})", [run_id, *chunk])
