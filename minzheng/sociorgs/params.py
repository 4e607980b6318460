"""The social-organisation line's parameters: dated, cited YAML under ``parameters/`` (read with
the rules engine's loader, as funerals does). A provisional one is shown with 参数待确认."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from minzheng.core import clock
from minzheng.rules import ParameterSet
from minzheng.rules import load_parameters as load_parameter_tree
from minzheng.rules.engine.parameters import ParameterValue

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"


@lru_cache(maxsize=1)
def load_parameters() -> ParameterSet:
    return load_parameter_tree(str(PARAMETERS_DIR))


def param(name: str, on: dt.date | None = None) -> ParameterValue:
    return load_parameters().value_at(name, on or clock.today())


def int_param(name: str, on: dt.date | None = None) -> int:
    return int(param(name, on).value)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day where it has no such day)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)
