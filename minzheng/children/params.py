"""The line's local settings that are not policy amounts (those are the rules parameters
``children.*``). Each says where it comes from; a provisional one is shown 参数待确认.

- 公示: no rule found saying a child's recognition is publicised (service-lines §3 and
  policy-facts §5 name none), and all data of a child under 14 are sensitive personal
  information (《个人信息保护法》, service-lines §0) — so no category is publicised by default.
  A category given a number of days here goes through 公示 after the town's review, with the
  name masked, exactly like assistance's notice.
- 复核: a recognised child is reviewed once a year (the cycle assistance uses for 特困;
  no child-specific cycle found) — provisional.
- 未成年人保护案件 deadlines: dated, cited YAML files under ``parameters/protection/
  deadline_days/`` read with the rules engine's loader (as discovery and eldercare read
  theirs): 受理并紧急处置 the same day (art. 11 "立即", provisional), 调查评估 none set (no
  source), 跟踪回访 every 30 days (the working default of monthly visits, provisional).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from minzheng.children.enums import Category
from minzheng.rules import ParameterSet, load_parameters
from minzheng.rules.engine.parameters import ParameterValue

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"

# Category → calendar days of 公示 after the town's review; absent: no publicity.
PUBLICITY_DAYS: dict[str, int] = {}

REVIEW_CYCLE_MONTHS = 12
REVIEW_CYCLE_PROVISIONAL = True


def publicity_days(category: str) -> int | None:
    return PUBLICITY_DAYS.get(Category(category).value)


def children_parameters() -> ParameterSet:
    return load_parameters(str(PARAMETERS_DIR))


# The steps of a protection case that have a time limit, and their parameter.
PROTECTION_STEPS = {"reported": "emergency", "assessing": "assessment", "follow_up": "follow_up"}


def protection_deadline(step: str, on: dt.date) -> ParameterValue | None:
    """The time limit (calendar days) of a protection case's step in force on ``on``, with its
    reference and provisional flag; None where no value is set (no deadline runs)."""
    return children_parameters().find(f"protection.deadline_days.{PROTECTION_STEPS[step]}", on)


def protection_days(step: str, on: dt.date) -> int | None:
    found = protection_deadline(step, on)
    return None if found is None else int(found.value)
