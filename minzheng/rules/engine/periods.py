"""The period of a computation: one calendar month, written ``YYYY-MM``.

Benefits in Chongqing are set and paid per month, so every evaluation is for one month, and
parameters are read as in force on the first day of that month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from minzheng.core import ages, periods


@dataclass(frozen=True, order=True, slots=True)
class Period:
    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """Parse ``YYYY-MM`` (``core.periods.parse_period``); ``ValueError`` for anything else."""
        first = periods.parse_period(text)
        return cls(first.year, first.month)

    @classmethod
    def of(cls, value: "Period | str | dt.date") -> "Period":
        if isinstance(value, Period):
            return value
        if isinstance(value, dt.date):
            return cls(value.year, value.month)
        return cls.parse(value)

    @property
    def start(self) -> dt.date:
        """First day of the month: the date at which ages and parameters are read."""
        return dt.date(self.year, self.month, 1)

    @property
    def end(self) -> dt.date:
        return periods.month_end(self.start)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def age_in_years(birth_date: dt.date, on: dt.date) -> int:
    """Completed years of age on ``on``; a child born later in the period month counts as 0.

    The batch evaluator computes the same thing column-wise (``polars_backend.age_column``).
    """
    return max(ages.age_on(birth_date, on), 0)
