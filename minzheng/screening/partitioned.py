"""Screening split by division across worker processes (issue 21, item 4; docs/scale-out.md).

    coordinator ──enqueue──▶ screen_partition(towns A) ─┐   each: its towns' facts read,
                 ──enqueue──▶ screen_partition(towns B) ─┼─▶ evaluated, written as Parquet
                 ──enqueue──▶ …                          ─┘   to the run's work folder
    coordinator ◀──wait───── all partitions done
                 ──merge──▶ compare with the enrolments (whole district) ──▶ one stored run

The evaluation — reading the facts and running every program — is per household, so it splits
by division without changing any result. The comparison with the enrolments is not (a person
paid in two towns is one discrepancy), so it runs once, on the merged frames, exactly as the
single-process run does (``runs.compare_outcome``); the stored run is written by the same
``do_run_screening``. The partitions are the task queue's tasks: any number of workers
(``minzheng worker``), on one machine or several that share the database and the work folder,
take them; in tests the immediate backend runs them in turn.
"""

from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path
from collections.abc import Callable
from typing import Any

import polars as pl
from django.conf import settings
from django.tasks import TaskResultStatus, task

from minzheng.core import clock
from minzheng.core.errors import DomainError
from minzheng.divisions.directory import get_directory
from minzheng.registry.facts import load_facts_frames
from minzheng.registry.selectors import living_by_village
from minzheng.rules import Period, evaluate_batch, load_parameters
from minzheng.rules.programs import HOUSEHOLD_PROGRAMS, MEMBER_PROGRAMS

PARTS = ("households", "members", "results")
WAIT_SECONDS = 1800  # a partition not done in half an hour fails the run (nothing is stored)


def town_partitions(count: int) -> list[list[str]]:
    """The district's towns in ``count`` groups of about equal population (largest first into
    the lightest group), each group sorted; never an empty group."""
    people: dict[str, int] = {town.code: 0 for town in get_directory().towns()}
    for village, n in living_by_village(clock.today()).items():
        if village[:9] in people:
            people[village[:9]] += n
    count = max(1, min(int(count), len(people)))
    groups: list[list[str]] = [[] for _ in range(count)]
    loads = [0] * count
    for code, n in sorted(people.items(), key=lambda item: (-item[1], item[0])):
        lightest = loads.index(min(loads))
        groups[lightest].append(code)
        loads[lightest] += n
    return [sorted(group) for group in groups]


def work_folder() -> Path:
    """Where partitions leave their frames: shared by the workers (one machine: var/; several:
    a shared mount named by MINZHENG_WORK_DIR)."""
    return Path(settings.MINZHENG_WORK_DIR)


def evaluate_towns(period: str, towns: list[str]) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, dict[str, Any]]:
    """The towns' facts, read town by town, and every program evaluated on them."""
    frames = [load_facts_frames(division_prefix=code, period=period) for code in towns]
    households = pl.concat([h for h, _ in frames]) if frames else pl.DataFrame()
    members = pl.concat([m for _, m in frames]) if frames else pl.DataFrame()
    batch = evaluate_batch(households, members, period, parameters=load_parameters())
    return households, members, batch.results, batch.parameters


@task
def screen_partition(*, period: str, towns: list[str], folder: str, index: int) -> dict[str, Any]:
    """One partition: its towns evaluated, the frames written to ``folder`` as Parquet."""
    started = time.perf_counter()
    households, members, results, parameters = evaluate_towns(period, towns)
    target = Path(folder)
    for name, frame in zip(PARTS, (households, members, results)):
        frame.write_parquet(target / f"part-{index}-{name}.parquet")
    return {"index": index, "towns": towns, "households": households.height, "members": members.height,
            "parameters": parameters, "seconds": round(time.perf_counter() - started, 3)}  # fmt: skip


def _program_order() -> pl.DataFrame:
    names = [p.name for p in HOUSEHOLD_PROGRAMS + MEMBER_PROGRAMS]  # evaluate_batch's order
    return pl.DataFrame({"program": names, "program_rank": list(range(len(names)))})


def evaluate_partitioned(
    period: str | Period, *, partitions: int, folder: Path | None = None, wait_seconds: float = WAIT_SECONDS, poll: float = 0.2,
    keep: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, dict[str, Any], list[dict[str, Any]]]:
    """Enqueue one task per group of towns, wait for all, merge their frames in the order the
    single-process run has them: ``(households, members, results, parameters, reports)``.
    ``keep`` reduces each partition's results as it is read, so the merge never holds every
    result row at once. A failed or late partition raises (nothing of the run is stored)."""
    period = Period.of(period)
    run_folder = (folder or work_folder()) / f"screening-{period}-{uuid.uuid4().hex[:12]}"
    run_folder.mkdir(parents=True)
    try:
        groups = town_partitions(partitions)
        handles = [
            screen_partition.enqueue(period=str(period), towns=group, folder=str(run_folder), index=i) for i, group in enumerate(groups)
        ]
        deadline = time.monotonic() + wait_seconds
        for handle in handles:
            while not handle.is_finished:
                if time.monotonic() > deadline:
                    raise DomainError("分区筛查超时：有分区未在限定时间内完成，本次筛查未保存", code="partition_timeout")
                time.sleep(poll)
                handle.refresh()
            if handle.status != TaskResultStatus.SUCCESSFUL:
                raise DomainError("分区筛查失败：有分区计算出错，本次筛查未保存", code="partition_failed")
        reports = [handle.return_value for handle in handles]
        parameters = reports[0]["parameters"]
        if any(report["parameters"] != parameters for report in reports[1:]):
            raise DomainError("分区筛查期间参数发生变化，本次筛查未保存，请重新运行", code="partition_parameters")
        def read(name: str, i: int) -> pl.DataFrame:
            frame = pl.read_parquet(run_folder / f"part-{i}-{name}.parquet")
            return keep(frame) if keep is not None and name == "results" else frame

        merged = {name: pl.concat([read(name, i) for i in range(len(groups))]) for name in PARTS}
    finally:
        shutil.rmtree(run_folder, ignore_errors=True)
    households = merged["households"].sort("household_id")
    members = merged["members"].sort("household_id", "member_id")
    results = (
        merged["results"].join(_program_order(), on="program", how="left")
        .sort("program_rank", "household_id", "member_id", nulls_last=False).drop("program_rank")
    )  # fmt: skip
    return households, members, results, parameters, reports
