"""The rules engine's verdict on one person's subsidy, with the 残疾人证 on the case.

The engine already knows both subsidies (rules/programs/disability.py): member programs —
``disability_living_subsidy`` (the household qualifies for 低保 and the member holds a
certificate of grade 1–4) and ``severe_disability_care_subsidy`` (grade 1 to
``disability.care_subsidy.max_grade``); the amounts are ``disability.*.amount``. The facts
are the registry's household in the period, with the member's disability category and grade
taken from the certificate being decided, so the stored verdict explains the amount paid.
"""

from __future__ import annotations

from dataclasses import dataclass

from minzheng.core.errors import DomainError
from minzheng.core.money import to_decimal, yuan_to_fen
from minzheng.registry.facts import person_facts
from minzheng.registry.models import Person
from minzheng.rules import (
    FactsValidationError,
    Period,
    evaluate_household,
    load_parameters,
)


@dataclass
class Verdict:
    program: str
    period: str
    eligible: bool
    amount_fen: int
    conditions: list[dict]
    facts: dict
    parameters: dict
    result: dict
    provisional: bool

    @property
    def failed_conditions(self) -> list[dict]:
        return [c for c in self.conditions if c.get("passed") is False]

    @property
    def failed_text(self) -> str:
        return "；".join(c.get("label", "") for c in self.failed_conditions) or "不符合条件"


def period_for(day) -> str:
    """The month of ``day`` as the engine's period, clamped to the months the parameters cover
    (a standard stays in force until the next one is entered)."""
    coverage = load_parameters().coverage
    return str(min(max(Period(day.year, day.month), coverage.first), coverage.last))


def evaluate(person: Person, subsidy: str, period: str, *, category: str | None, grade: int | None) -> Verdict:
    """The engine's verdict on ``subsidy`` for ``period`` ("YYYY-MM"), the member's disability
    being the certificate's (category, grade)."""
    facts = person_facts(person, period=period)
    for member in facts["household"]["members"]:
        if member["id"] == str(person.pk):
            member["disability_grade"] = int(grade or 0)
            member["disability_category"] = (category or None) if grade else None
    try:
        output = evaluate_household(facts)
    except FactsValidationError as exc:
        detail = "；".join(f"{e['field']}：{e['message']}" for e in exc.errors[:3])
        raise DomainError(f"人员信息不完整，规则引擎无法计算：{detail}", code="engine_input") from None
    main = next(r for r in output["results"] if r["program"] == subsidy and str(r["subject"]) == str(person.pk))
    amount = yuan_to_fen(to_decimal(main["amount"])) if main["eligible"] else 0
    return Verdict(
        program=subsidy,
        period=output["period"],
        eligible=bool(main["eligible"]),
        amount_fen=amount,
        conditions=main["conditions"],
        facts=facts,
        parameters=output.get("parameters", {}),
        result={"period": output["period"], "results": [main]},
        provisional=bool(main.get("provisional")),
    )
