"""Funeral parameters of the line itself (the inspection's rectification period): dated, cited
YAML under ``parameters/``, read with the rules engine's loader as eldercare does. The 惠民殡葬
amounts are the rules engine's own program (``minzheng.rules.programs.funeral_waiver``)."""

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
