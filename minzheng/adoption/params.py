"""Adoption parameters: dated, cited YAML files under ``parameters/`` (one file per value:
``description``, ``unit``, dated ``values`` with ``value``, ``reference``, ``provisional``),
read with the rules engine's own loader, as eldercare reads its own. Every number of the civil
code's conditions and of the procedure is here, none in the code."""

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
    """The value in force on ``on`` (today by default); ``ParameterNotSet`` if none."""
    return load_parameters().value_at(name, on or clock.today())


def value(name: str, on: dt.date | None = None) -> int:
    return int(param(name, on).value)


__all__ = ["PARAMETERS_DIR", "load_parameters", "param", "value"]
