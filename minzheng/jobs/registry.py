"""The kinds of background work, registered by the lines that do it (from AppConfig.ready).

    register_job_kind(JobKind(
        kind="screening.run", label="全区救助资格筛查", perm=Perm.RUN_SCREENING,
        run=run_screening_job,          # (actor, params, progress) -> JobOutput
    ))

``run`` does the work as the user who asked (a file uploaded with the job is in
``params["input_file"]``, bytes); it calls ``progress(percent, "中文说明")`` as it
goes and returns a ``JobOutput``: the lines shown when it is done, links to the result, the
data a result template reads, and optionally a file to download. A ``DomainError`` it raises
is shown to the user as it is; anything else as a plain Chinese failure (never a traceback).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class JobOutput:
    lines: list[str] = field(default_factory=list)  # the result, in sentences
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    data: dict[str, Any] = field(default_factory=dict)  # JSON: what `result_template` reads
    file: bytes | None = None
    file_name: str = ""
    file_type: str = XLSX


@dataclass(frozen=True)
class JobKind:
    kind: str  # stable: stored on every job
    label: str  # 全区救助资格筛查
    run: Callable[[Actor, dict[str, Any], Progress], JobOutput]
    perm: Perm | None = None  # required to ask for it (checked again by the work itself)
    result_template: str = ""  # rendered under the result lines with `data`
    go_to_result: bool = False  # when done, the page goes to the first link by itself


_KINDS: dict[str, JobKind] = {}


def register_job_kind(kind: JobKind) -> None:
    _KINDS[kind.kind] = kind


def find_job_kind(kind: str) -> JobKind:
    try:
        return _KINDS[kind]
    except KeyError:
        raise LookupError(f"unknown background job kind {kind!r}") from None


def registered_job_kinds() -> dict[str, JobKind]:
    return dict(_KINDS)


def stepper(progress: Progress, steps: dict[str, int]) -> Callable[[str], None]:
    """Adapt a line's ``say(message)`` callback to ``progress``: each known message moves the
    bar to its percentage; others keep the last percentage."""
    last = {"percent": 0}

    def say(message: str) -> None:
        for prefix, percent in steps.items():
            if message.startswith(prefix):
                last["percent"] = percent
                break
        progress(last["percent"], message)

    return say
