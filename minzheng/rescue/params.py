"""Rescue parameters: dated, cited YAML files under ``parameters/`` read with the rules
engine's own loader, as eldercare's are (one loader, one format). The stay and long-stay values
are working defaults of service-lines.md ("Rescue stay", "Rescue clocks"); the hospital review
days (``hospital.review_days``) are a working default no source sets. All shown 参数待确认 on
screens."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from minzheng.core import clock
from minzheng.rules import load_parameters as load_parameter_tree
from minzheng.rules.engine.parameters import ParameterValue

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"
STAY_DAYS = "stay.standard_days"
LONG_STAY_MONTHS = "long_stay.review_months"
HOSPITAL_REVIEW_DAYS = "hospital.review_days"


def param(name: str, on: dt.date | None = None) -> ParameterValue:
    return load_parameter_tree(str(PARAMETERS_DIR)).value_at(name, on or clock.today())


def stay_days(on: dt.date | None = None) -> int:
    return int(param(STAY_DAYS, on).value)


def long_stay_months(on: dt.date | None = None) -> int:
    return int(param(LONG_STAY_MONTHS, on).value)


def hospital_review_days(on: dt.date | None = None) -> int:
    """Days in hospital after which an open 送医救治 is on the workbench (working default, no source)."""
    return int(param(HOSPITAL_REVIEW_DAYS, on).value)


def provisional(name: str, on: dt.date | None = None) -> bool:
    return bool(param(name, on).provisional)
