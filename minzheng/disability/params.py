"""The line's procedure settings that are not amounts (amounts and the severe grade are the
rules parameters ``disability.*``). Each says where it comes from; a provisional one is shown
参数待确认.

- 审批 level: national 民发〔2021〕57号 lets the county bureau entrust 审核确认 to the towns;
  Yongchuan entrusted 两项补贴 with 低保/特困 (policy-facts §1.9, §6); Fuling's entrustment is
  not found — so the district decides, as assistance's 低保/特困 (docs/assistance.md §2).
  Provisional: set ``DECISION_LEVEL = "town"`` when Fuling's entrustment document is found.
- 时限: no separate limit is found for 两项补贴; the 审核确认 working default (30 working days
  from 受理, extendable once to 45 — policy-facts "Working defaults") is read from the same
  rules parameters assistance uses (``dibao.procedure.*``).
- 复核: yearly (the 低保 review cycle, policy-facts §1.10) — provisional.
- Months: paid from the month after the decision (policy-facts "Working defaults": payment
  starts the month after confirmation); a stop is paid through the month of the event (the
  death, the certificate change, the last month of 低保/特困) and stopped from the next — the
  rule assistance applies to a death (ADR 0004); the sources are silent for 两项补贴.
"""

from __future__ import annotations

import datetime as dt

from minzheng.rules import load_parameters

DECISION_LEVEL = "district"
DECISION_LEVEL_PROVISIONAL = True
REVIEW_CYCLE_MONTHS = 12
REVIEW_CYCLE_PROVISIONAL = True


def decision_working_days(on: dt.date) -> int:
    return int(load_parameters().value_at("dibao.procedure.decision_working_days", on).value)


def extended_working_days(on: dt.date) -> int:
    return int(load_parameters().value_at("dibao.procedure.extended_decision_working_days", on).value)


def max_care_grade(on: dt.date) -> int:
    return int(load_parameters().value_at("disability.care_subsidy.max_grade", on).value)
