"""Thin adapter over the rules engine (minzheng.rules): the casework asks one question per
program and gets back a Verdict with amounts in fen, the explanation to show and the record
to store (facts, parameter values used, engine result)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from minzheng.assistance.enums import Program
from minzheng.core.errors import DomainError
from minzheng.core.money import to_decimal, yuan_to_fen
from minzheng.rules import FactsValidationError, evaluate_household, load_parameters, temporary_assistance


def _fen(yuan: str) -> int:
    """The engine's yuan text ('840.00') → integer fen, exactly (MoneyFormatError otherwise)."""
    return yuan_to_fen(to_decimal(yuan))


def parameter(name: str, on: dt.date) -> Any:
    """A policy value in force on a date (time limits, cycles, months)."""
    return load_parameters().value_at(name, on).value


def parameter_info(name: str, on: dt.date) -> dict:
    found = load_parameters().value_at(name, on)
    return {"value": str(found.value), "reference": found.reference, "provisional": found.provisional}


@dataclass
class Verdict:
    program: str
    eligible: bool
    amount_fen: int
    conditions: list[dict]
    parameters: dict
    result: dict
    provisional: bool
    lines: list[dict] = field(default_factory=list)  # amount lines (基本 + 分类施保 …)
    approval_tier: str = ""
    case_by_case: bool = False
    advance_limit_fen: int = 0
    advance_amount_fen: int = 0

    @property
    def failed_conditions(self) -> list[dict]:
        return [c for c in self.conditions if c.get("passed") is False]


class EngineInputError(DomainError):
    code = "engine_input"

    def __init__(self, exc: FactsValidationError):
        detail = "；".join(f"{e['field']}：{e['message']}" for e in exc.errors[:5])
        super().__init__(f"家庭信息不完整，规则引擎无法计算：{detail}")
        self.errors = exc.errors


def _run(facts: dict) -> dict:
    try:
        return evaluate_household(facts)
    except FactsValidationError as exc:
        raise EngineInputError(exc) from None


def evaluate_program(
    program: str, facts: dict, *, subject_person_id: int | None = None, names: dict[str, str] | None = None
) -> Verdict:
    """低保 for the household (gap amount + 分类施保 add-ons of its members), or 特困 for one
    person (basic standard + care subsidy)."""
    output = _run(facts)
    results = output["results"]
    if program == Program.DIBAO:
        main = next(r for r in results if r["program"] == "dibao")
        addons = [r for r in results if r["program"] == "dibao_addon" and r["eligible"]]
        lines = [{"label": "差额救助（家庭）", "amount_fen": _fen(main["amount"])}]
        for r in addons:
            who = (names or {}).get(str(r["subject"]), f"成员 {r['subject']}")
            lines.append({"label": f"分类施保增发（{who}）", "amount_fen": _fen(r["amount"])})
        amount = sum(line["amount_fen"] for line in lines) if main["eligible"] else 0
        kept = [main, *addons]
    elif program == Program.TEKUN:
        subject = str(subject_person_id)
        main = next(r for r in results if r["program"] == "tekun" and str(r["subject"]) == subject)
        amount = _fen(main["amount"]) if main["eligible"] else 0
        lines = [{"label": "基本生活标准＋照料护理补贴", "amount_fen": amount}]
        kept = [main]
    else:
        raise ValueError(program)
    return Verdict(
        program=program,
        eligible=bool(main["eligible"]),
        amount_fen=amount,
        conditions=main["conditions"],
        parameters=output.get("parameters", {}),
        result={"period": output["period"], "results": kept},
        provisional=any(r.get("provisional") for r in kept),
        lines=lines,
    )


def evaluate_temporary(*, period: str, severity: str, persons: int, months: int, urgent: bool) -> Verdict:
    try:
        result = temporary_assistance(period, severity, persons, months, urgent)
    except FactsValidationError as exc:
        raise EngineInputError(exc) from None
    conditions = list(result.get("conditions", [])) + list(result.get("details", []))
    amount = _fen(result["amount"]) if result["eligible"] else 0
    return Verdict(
        program=Program.TEMPORARY,
        eligible=bool(result["eligible"]),
        amount_fen=amount,
        conditions=conditions,
        parameters=result.get("parameters", {}),
        result={k: v for k, v in result.items() if k != "parameters"},
        provisional=bool(result.get("provisional")),
        lines=[{"label": "临时救助金额", "amount_fen": amount}],
        approval_tier=result.get("approval_tier") or "",
        case_by_case=bool(result.get("case_by_case")),
        advance_limit_fen=_fen(result["advance_relief_limit"]) if result.get("advance_relief_limit") else 0,
        advance_amount_fen=_fen(result.get("advance_relief_amount") or "0"),
    )
