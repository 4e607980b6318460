"""Working files of frames (the facts snapshot, screening state): Parquet written whole or not
at all."""

from __future__ import annotations

import os
from pathlib import Path

import polars as pl


def write_frame_atomically(frame: pl.DataFrame, path: Path) -> None:
    """Write ``frame`` to ``path`` through a ``.part`` file renamed into place, so a reader sees
    the old file or the new one, never half of one. LZ4 and no statistics: these files are
    read whole, soon after, and written on every run (the fastest write measured)."""
    part = path.with_suffix(".part")
    frame.write_parquet(part, compression="lz4", statistics=False)
    os.replace(part, path)
