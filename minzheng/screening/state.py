"""What an incremental refresh (screening.refresh) starts from: the batch rows a run kept
(``compare.candidate_rows``) and the enrolment keys it compared with, as two Parquet files under
``MINZHENG_WORK_DIR/screening-state/``. The run row names them by ``state_token``; files no
current run names are swept. A missing file only means the next refresh is a full run."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

import polars as pl
from django.conf import settings

from minzheng.core.parquet import write_frame_atomically

__all__ = ["read_state", "remove_states", "save_state", "sweep_states"]

# A file younger than this may belong to a run still being written by another process.
SWEEP_AFTER_SECONDS = 3600


def _folder() -> Path:
    return Path(settings.MINZHENG_WORK_DIR) / "screening-state"


def _paths(token: str) -> tuple[Path, Path]:
    folder = _folder()
    return folder / f"{token}-candidates.parquet", folder / f"{token}-keys.parquet"


def save_state(candidates: pl.DataFrame, keys: pl.DataFrame) -> str:
    token = secrets.token_hex(8)
    _folder().mkdir(parents=True, exist_ok=True)
    for frame, path in zip((candidates, keys), _paths(token), strict=True):
        write_frame_atomically(frame, path)
    return token


def read_state(token: str) -> tuple[pl.DataFrame, pl.DataFrame] | None:
    if not token:
        return None
    paths = _paths(token)
    if not all(path.exists() for path in paths):
        return None
    return pl.read_parquet(paths[0]), pl.read_parquet(paths[1])


def remove_states(tokens: set[str]) -> None:
    for token in tokens:
        for path in _paths(token):
            path.unlink(missing_ok=True)


def sweep_states(keep: set[str], *, now: float | None = None) -> int:
    """Remove the state files of every token not in ``keep`` older than ``SWEEP_AFTER_SECONDS``
    (the wall clock of the files' own times, not the frozen business clock)."""
    folder = _folder()
    if not folder.exists():
        return 0
    now = time.time() if now is None else now
    removed = 0
    for path in folder.iterdir():
        token = path.name.split("-", 1)[0]
        if token not in keep and now - path.stat().st_mtime > SWEEP_AFTER_SECONDS:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
