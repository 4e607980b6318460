"""The thresholds of active discovery: dated YAML parameters under ``discovery/parameters/``,
loaded with the rules engine's own loader (``load_parameters`` accepts another root), so they
follow the same format — description, unit, dated values with reference and provisional flag.

Policy values that the rules engine already holds (the dibao standard, the grades of the care
subsidy) are read from the engine's parameters, never copied here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from minzheng.rules import ParameterSet, load_parameters

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"


def discovery_parameters() -> ParameterSet:
    return load_parameters(str(PARAMETERS_DIR))


def rules_parameters() -> ParameterSet:
    return load_parameters()


@dataclass(frozen=True, slots=True)
class Used:
    """A parameter value as shown next to an alert: value, reference, provisional."""

    name: str
    value: Any
    reference: str
    provisional: bool

    def as_dict(self) -> dict:
        return {"name": self.name, "value": str(self.value), "reference": self.reference, "provisional": self.provisional}


def param(name: str, on: dt.date, *, rules: bool = False) -> Used:
    found = (rules_parameters() if rules else discovery_parameters()).value_at(name, on)
    return Used(name, found.value, found.reference, found.provisional)


def visit_interval_days(risk_level: str, on: dt.date) -> int:
    return int(param(f"left_behind.visit_interval_days.{risk_level}", on).value)


def due_days(task_kind: str, on: dt.date) -> int:
    return int(param(f"tasks.due_days.{task_kind}", on).value)


__all__ = ["PARAMETERS_DIR", "Used", "discovery_parameters", "due_days", "param", "rules_parameters", "visit_interval_days"]


def describe(name: str) -> str:
    """The Chinese description of a parameter (discovery's own, else the engine's), for screens
    that must never show the parameter's key."""
    for parameters in (discovery_parameters(), rules_parameters()):
        try:
            return parameters.info(name).description
        except (KeyError, LookupError, ValueError):
            continue
    return "预警参数"
