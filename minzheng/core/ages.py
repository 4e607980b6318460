"""Age in completed years, one definition for the per-row and the column-wise forms."""

from __future__ import annotations

import datetime as dt

import polars as pl


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years on ``day``: a person born 2000-02-29 turns 18 on 2018-03-01."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_expr(birth_column: str, day: dt.date) -> pl.Expr:
    """``age_on`` over a Polars date column."""
    birth = pl.col(birth_column)
    before_birthday = (birth.dt.month() > day.month) | (
        (birth.dt.month() == day.month) & (birth.dt.day() > day.day)
    )
    return (pl.lit(day.year) - birth.dt.year() - before_birthday.cast(pl.Int32)).cast(pl.Int32)
