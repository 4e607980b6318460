"""Marriage parameters: dated, cited YAML files under ``parameters/`` (one file per value, the
rules engine's format), as adoption reads its own. The ages and the two 30-day periods are the
civil code's; nothing else is a number of this line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from minzheng.core import clock
from minzheng.rules import ParameterSet
from minzheng.rules import load_parameters as load_parameter_tree
from minzheng.rules.engine.parameters import ParameterValue

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"


def load_parameters() -> ParameterSet:
    return load_parameter_tree(str(PARAMETERS_DIR))


def param(name: str, on: dt.date | None = None) -> ParameterValue:
    return load_parameters().value_at(name, on or clock.today())


def value(name: str, on: dt.date | None = None) -> int:
    return int(param(name, on).value)
