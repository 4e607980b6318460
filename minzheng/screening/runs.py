"""`do_run_screening`: the whole district through every program, stored, compared with the
current enrolments — one atomic, audited action (architecture §8).

    database ──(2 SQL, bulk)──▶ frames ──evaluate_batch──▶ results ──Polars joins──▶
    discrepancies, summaries ──bulk_insert──▶ screening tables

A rerun of the same period removes the results, summaries and discrepancies of the earlier
run in the same transaction (its ScreeningRun row stays, no longer current): idempotent. On
PostgreSQL each run's results are a partition of their own (core.partitions): the new run's
is loaded apart and attached, the replaced run's is detached and dropped.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.bulk import bulk_insert
from minzheng.core.partitions import attach_partition, drop_batches, new_partition, serialize_batches
from minzheng.assistance.selectors import current_enrolments_frame
from minzheng.registry.snapshot import ChangeMark, current_facts_frames, current_mark, prune_changes
from minzheng.core.district import district_code
from minzheng.rules import ParameterSet, Period, evaluate_batch_kept, load_parameters
from minzheng.screening.compare import (
    DISCREPANCY_COLUMNS,
    ENROLLABLE,
    candidate_rows,
    discrepancies,
    enrolled_keys,
    relevant_subjects,
    village_summary,
)
from minzheng.screening.models import Discrepancy, ScreeningResult, ScreeningRun, ScreeningSummary
from minzheng.screening.partitioned import evaluate_partitioned
from minzheng.screening.state import remove_states, save_state, sweep_states

Progress = Callable[[str], None]


def load_current_enrolments(period: str | Period) -> pl.DataFrame:
    """Active and suspended enrolments of the compared programs whose months cover the
    period, with whether the subject person and the payee are recorded as deceased.
    One SQL statement."""
    return current_enrolments_frame(ENROLLABLE, Period.of(period).start)


@dataclass
class ScreeningOutcome:
    """Everything a run computed, before (and independent of) storing it."""

    period: Period
    households: pl.DataFrame
    members: pl.DataFrame
    enrolments: pl.DataFrame
    discrepancies: pl.DataFrame
    results: pl.DataFrame  # eligible or enrolled (program, subject) rows: what is stored
    summary: pl.DataFrame
    parameters: dict[str, Any]
    timings: dict[str, float]
    mark: ChangeMark | None = None  # the registry changes the facts read include
    candidates: pl.DataFrame | None = None  # the batch rows kept for a refresh (compare.candidate_rows)


def compute_screening(
    period: str | Period, *, parameters: ParameterSet | None = None, progress: Progress | None = None,
    partitions: int = 1, work_dir: Path | None = None,
) -> ScreeningOutcome:
    """Read, evaluate and compare; nothing is written. ``partitions`` > 1 hands the read and the
    evaluation to that many queue tasks, split by town (the parameters in force then: a
    ``parameters`` override is for the single process only)."""
    if partitions > 1 and parameters is not None:
        raise ValueError("partitions read the parameters in force; an override runs in one process")
    say = progress or (lambda message: None)
    period = Period.of(period)
    parameters = parameters or load_parameters()
    timings: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        timings[name] = round(now - mark, 3)
        mark = now

    if partitions > 1:
        # Read and evaluation by the queue's workers, town by town (screening.partitioned); the
        # comparison below stays whole-district, so the stored run is the same.
        say(f"分{partitions}个分区读取并计算")
        facts_mark = current_mark()
        enrolments = load_current_enrolments(period)
        keys = enrolled_keys(enrolments)
        lap("load")
        households, members, candidates, used, _reports = evaluate_partitioned(
            period, partitions=partitions, folder=work_dir, keep=lambda results: candidate_rows(results, keys)
        )
        lap("partitions")
    else:
        say("读取人口与家庭数据")
        households, members, facts_mark = current_facts_frames(period=period)
        enrolments = load_current_enrolments(period)
        keys = enrolled_keys(enrolments)
        lap("load")
        say(f"规则计算：{households.height}户、{members.height}人")
        # Only the rows the comparison can use are kept, chunk by chunk (rules.evaluate_batch_kept).
        batch = evaluate_batch_kept(
            households, members, period, parameters=parameters, keep=lambda results: candidate_rows(results, keys)
        )
        candidates, used = batch.results, batch.parameters
        lap("evaluate")
    say("与在保名册比对")
    outcome = compare_outcome(period, households, members, enrolments, candidates, used, timings, facts_mark)
    lap("compare")
    return outcome


def compare_outcome(
    period: Period, households: pl.DataFrame, members: pl.DataFrame, enrolments: pl.DataFrame,
    candidates: pl.DataFrame, used: dict[str, Any], timings: dict[str, float], facts_mark: ChangeMark | None,
) -> ScreeningOutcome:
    """The comparison with the enrolments, for a full run and a refresh alike."""
    subjects = relevant_subjects(candidates, households, enrolments)
    found = discrepancies(subjects, enrolments, members)
    summary = village_summary(subjects, households, members, enrolments)
    return ScreeningOutcome(
        period, households, members, enrolments, found, subjects, summary, used, timings, facts_mark, candidates
    )


def run_counts(outcome: ScreeningOutcome) -> dict[str, Any]:
    by_program = {}
    totals = outcome.summary.group_by("program").agg(
        pl.col("eligible").sum(),
        pl.col("people").sum(),
        pl.col("amount_fen").sum(),
        pl.col("enrolled").sum(),
        pl.col("enrolled_amount_fen").sum(),
    )
    for row in totals.sort("program").iter_rows(named=True):
        by_program[row.pop("program")] = row
    kinds = outcome.discrepancies.group_by("kind").len().sort("kind")
    return {
        "households": outcome.households.height,
        "members": outcome.members.height,
        "enrolments": outcome.enrolments.height,
        "results_stored": outcome.results.height,
        "programs": by_program,
        "discrepancies": {kind: int(n) for kind, n in kinds.iter_rows()},
    }


def _delete_rows(model, run_ids: list[int]) -> None:
    if not run_ids:
        return
    qn = connection.ops.quote_name
    marks = ", ".join(["%s"] * len(run_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {qn(model._meta.db_table)} WHERE run_id IN ({marks})", run_ids)


def do_run_screening(
    actor: Actor,
    *,
    period: str | Period,
    parameters: ParameterSet | None = None,
    progress: Progress | None = None,
    partitions: int = 1,
    work_dir: Path | None = None,
) -> ScreeningRun:
    """Screen the whole district for ``period`` and store the run (see the module docstring);
    ``partitions`` > 1: split across the task queue's workers (screening.partitioned). A run
    under the parameters in force keeps its state for incremental refreshes (screening.refresh)."""
    actor.require(Perm.RUN_SCREENING)
    say = progress or (lambda message: None)
    started_at = timezone.now()
    started = time.perf_counter()
    period = Period.of(period)
    outcome = compute_screening(period, parameters=parameters, progress=say, partitions=partitions, work_dir=work_dir)
    say("写入筛查结果")
    write_started = time.perf_counter()
    counts = run_counts(outcome)
    provisional = any(value.get("provisional") for value in outcome.parameters.values())
    # A run under overridden parameters is not a state the parameters in force can refresh.
    token = save_state(outcome.candidates, enrolled_keys(outcome.enrolments)) if parameters is None else ""
    with transaction.atomic():
        serialize_batches(ScreeningResult)  # before any lock on the results: core.partitions
        replaced = list(
            ScreeningRun.objects.select_for_update()
            .filter(period=str(period), is_current=True, division_prefix="")
            .values_list("id", "state_token")
        )
        previous = [run_id for run_id, _ in replaced]
        for model in (ScreeningSummary, Discrepancy):
            _delete_rows(model, previous)
        ScreeningRun.objects.filter(id__in=previous).update(is_current=False, state_token="")
        run = ScreeningRun.objects.create(
            period=str(period),
            is_current=True,
            started_at=started_at,
            finished_at=timezone.now(),
            parameters=outcome.parameters,
            counts=counts,
            provisional=provisional,
            started_by=actor.username,
            actor_kind="system" if actor.is_system else "user",
            change_mark=outcome.mark.last_id if token else None,
            window_start=outcome.mark.window_start if token else None,
            state_token=token,
        )
        table = new_partition(ScreeningResult, "run_id", run.pk)
        insert_results(run.pk, outcome.results, table=table)
        attach_partition(ScreeningResult, table, run.pk)
        replace_comparison(run.pk, outcome)
        timings = {**outcome.timings, "write": round(time.perf_counter() - write_started, 3)}
        seconds = round(time.perf_counter() - started, 3)
        ScreeningRun.objects.filter(pk=run.pk).update(timings=timings, seconds=seconds, finished_at=timezone.now())
        run.timings, run.seconds = timings, seconds
        kinds = counts["discrepancies"]
        record_audit_event(
            actor,
            AuditAction.SYSTEM if actor.is_system else AuditAction.CREATE,
            object_type="screening_run",
            object_id=run.pk,
            division_code=district_code(),  # a whole-district run is recorded against the district
            summary=(
                f"{period} 全区救助资格筛查：{counts['households']}户、{counts['members']}人；"
                f"疑点 {sum(kinds.values())} 条"
            ),
            extra={
                "period": str(period),
                "replaced_runs": previous,
                "counts": counts,
                "timings": timings,
                "reason": actor.reason,
            },
        )
        # Last before the commit: on PostgreSQL this detaches the replaced run's partition,
        # which locks the results table against readers until the commit.
        drop_batches(ScreeningResult, "run_id", previous)
        gone = {old for _, old in replaced if old}
        transaction.on_commit(lambda: forget_states(gone))
    return run


def forget_states(tokens: set[str]) -> None:
    """After a run or refresh is stored: remove the state files of replaced runs and any other
    no current run names, and prune the registry's change log up to the marks of the current
    runs (the next refresh of each needs only what came after)."""
    remove_states(tokens)
    current = ScreeningRun.objects.filter(is_current=True).exclude(state_token="")
    sweep_states(set(current.values_list("state_token", flat=True)))
    prune_changes(
        ChangeMark(last_id, window_start)
        for last_id, window_start in current.filter(change_mark__isnull=False, window_start__isnull=False).values_list("change_mark", "window_start")
    )


def insert_results(run_id: int, results: pl.DataFrame, *, table: str | None = None) -> None:
    """``results`` of run ``run_id`` into the results table, or into ``table`` (a new run's
    partition before it is attached: core.partitions)."""
    rows = results.select(
        pl.lit(run_id, pl.Int64).alias("run_id"),
        "program",
        "subject_kind",
        "household_id",
        "person_id",
        "division_code",
        "eligible",
        "amount_fen",
        "enrolled",
    )
    bulk_insert(ScreeningResult, rows.columns, rows, table=table)


def replace_comparison(run_id: int, outcome: ScreeningOutcome) -> None:
    """The run's summaries and discrepancies are ``outcome``'s (a few thousand rows: a refresh
    writes them whole)."""
    _delete_rows(ScreeningSummary, [run_id])
    _delete_rows(Discrepancy, [run_id])
    run_column = pl.lit(run_id, pl.Int64).alias("run_id")
    summary = outcome.summary.select(run_column, pl.all())
    bulk_insert(ScreeningSummary, summary.columns, summary)
    found = outcome.discrepancies.select(run_column, *DISCREPANCY_COLUMNS)
    bulk_insert(Discrepancy, found.columns, found)
