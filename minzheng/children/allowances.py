"""The rules engine's verdict on a child's allowance, and the months it is paid.

The engine already knows both allowances (rules/programs/children.py): ``orphan_allowance`` and
``defacto_child_allowance`` are member programs — eligible when the member's ``child_status``
is the category and the member is under ``children.adult_age`` on the first day of the
period; the amount is the institutional or the scattered standard (``in_institution``). At the
district's decision the child's facts are those of the registry with the status being
decided and the placement of the case, so the stored verdict explains the amount enrolled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from minzheng.children.enums import ALLOWANCE_PROGRAM, Placement
from minzheng.core import clock
from minzheng.core.errors import DomainError
from minzheng.core.money import to_decimal, yuan_to_fen
from minzheng.core.periods import add_months, month_start
from minzheng.registry.facts import person_facts
from minzheng.registry.models import Person
from minzheng.rules import FactsValidationError, evaluate_household, load_parameters


@dataclass
class ChildVerdict:
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


def adult_age(on: dt.date) -> int:
    return int(load_parameters().value_at("children.adult_age", on).value)


def last_paid_month(birth_date: dt.date) -> dt.date:
    """The last month the child is under age on its first day (the engine takes ages on the
    first day of the period): the month of the 18th birthday, unless the birthday is the 1st."""
    years = adult_age(clock.today())
    try:
        birthday = birth_date.replace(year=birth_date.year + years)
    except ValueError:  # born on 29 February: the birthday is 1 March in a common year
        birthday = dt.date(birth_date.year + years, 3, 1)
    month = month_start(birthday)
    return add_months(month, -1) if birthday.day == 1 else month


def evaluate_child(person: Person, category: str, placement: str, period: str) -> ChildVerdict:
    """The engine's verdict on the category's allowance for ``period`` ("YYYY-MM")."""
    program = ALLOWANCE_PROGRAM[category]
    facts = person_facts(person, period=period)
    for member in facts["household"]["members"]:
        if member["id"] == str(person.pk):
            member["child_status"] = str(category)
            member["in_institution"] = placement == Placement.INSTITUTIONAL
    try:
        output = evaluate_household(facts)
    except FactsValidationError as exc:
        detail = "；".join(f"{e['field']}：{e['message']}" for e in exc.errors[:3])
        raise DomainError(f"儿童信息不完整，规则引擎无法计算：{detail}", code="engine_input") from None
    main = next(r for r in output["results"] if r["program"] == program and str(r["subject"]) == str(person.pk))
    amount = yuan_to_fen(to_decimal(main["amount"])) if main["eligible"] else 0
    return ChildVerdict(
        program=program,
        period=output["period"],
        eligible=bool(main["eligible"]),
        amount_fen=amount,
        conditions=main["conditions"],
        facts=facts,
        parameters=output.get("parameters", {}),
        result={"period": output["period"], "results": [main]},
        provisional=bool(main.get("provisional")),
    )
