"""Elderly-care parameters: dated, cited YAML files under ``parameters/`` (one file per value:
``description``, ``unit``, dated ``values`` with ``value``, ``reference``, ``provisional``),
read with the rules engine's own loader (``minzheng.rules.load_parameters`` on this folder),
exactly as discovery reads its thresholds. One loader, one format, one validation.

Money values are ``Decimal`` yuan (whole fen); ``fen(value)`` gives integer fen.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from minzheng.core import clock
from minzheng.core.money import yuan_to_fen
from minzheng.rules import ParameterNotSet, ParameterSet
from minzheng.rules import load_parameters as load_parameter_tree
from minzheng.rules.engine.parameters import ParameterValue

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"


def load_parameters() -> ParameterSet:
    """The elderly-care parameter tree (loaded once by the rules engine's cached loader)."""
    return load_parameter_tree(str(PARAMETERS_DIR))


def param(name: str, on: dt.date | None = None) -> ParameterValue:
    """The value in force on ``on`` (today by default); ``ParameterNotSet`` if none."""
    return load_parameters().value_at(name, on or clock.today())


def fen(value: ParameterValue) -> int:
    """A money parameter in integer fen (money parameters are whole fen by construction)."""
    return yuan_to_fen(value.value)


__all__ = ["PARAMETERS_DIR", "ParameterNotSet", "fen", "load_parameters", "param"]
