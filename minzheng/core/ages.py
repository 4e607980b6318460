"""Age in completed years, one definition for the per-row and the column-wise forms.

Pure Python and Polars (no Django), so the rules engine uses it too.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

# No one living was born before it (the oldest recorded person was born 1875); an earlier birth
# date is a typing error (0001-01-01), refused wherever a birth date is entered.
EARLIEST_BIRTH_YEAR = 1880


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years on ``day``: a person born 2000-02-29 turns 18 on 2018-03-01."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def born_by(day: dt.date, years: int) -> dt.date:
    """The latest birth date of a person at least ``years`` old on ``day`` (for ``birth_date__lte``).

    Agrees with ``age_on``: on 2027-02-28 someone born 2000-02-29 is not yet 27, so the
    cut-off is 2000-02-28."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)


def age_expr(birth: str | pl.Expr, day: dt.date) -> pl.Expr:
    """``age_on`` over a Polars date column (a name or an expression); Int32."""
    birth = pl.col(birth) if isinstance(birth, str) else birth
    before_birthday = (birth.dt.month() > day.month) | (
        (birth.dt.month() == day.month) & (birth.dt.day() > day.day)
    )
    return (pl.lit(day.year) - birth.dt.year() - before_birthday.cast(pl.Int32)).cast(pl.Int32)
