"""The "why" of one household: every program's conditions, evaluated per case from the
registry's current facts (the panel on the household page and its API twin)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from minzheng.core.errors import ValidationFailed
from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.registry.access import access_household_by_id
from minzheng.registry.facts import NoMembersInPeriod, household_facts
from minzheng.registry.models import Person
from minzheng.rules import Period, evaluate_household, load_parameters


def default_period(today: dt.date | None = None) -> str:
    """This month, clamped to the months the parameters cover."""
    day = today or clock.today()
    period = Period(day.year, day.month)
    coverage = load_parameters().coverage
    period = min(max(period, coverage.first), coverage.last)
    return str(period)


def parse_period(raw: str | None, *, field: str = "period") -> str:
    """A period from a request, this month when absent; a malformed one ('2025-13', 'abc') is
    refused naming the field — never answered for another month (issue 20)."""
    text = (raw or "").strip()
    if not text:
        return default_period()
    try:
        period = Period.parse(text)
    except ValueError:
        raise ValidationFailed({field: "月份格式应为“年-月”（如 2026-03），月份须在 01–12 之间"}) from None
    return str(period)


def explain_household(actor: Actor, household_id: object, *, period: str) -> dict[str, Any]:
    """``{"household", "period", "answer" | None, "message", "members": {id: name}}``.

    Scoped: another division's household is NotFound, exactly as the household page.
    (The page already recorded the view, so this read is not audited again.)"""
    household = access_household_by_id(actor, household_id, audit=False)
    try:
        facts = household_facts(household, period=period)
    except NoMembersInPeriod:
        return {"household": household, "period": period, "answer": None, "message": "该核算期本户没有在世的成员，无法计算。", "members": {}}
    answer = evaluate_household(facts)
    ids = [int(m["id"]) for m in facts["household"]["members"]]
    names = dict(Person.objects.filter(pk__in=ids).values_list("pk", "name"))
    return {
        "household": household,
        "period": period,
        "answer": answer,
        "message": "",
        "members": {str(pk): name for pk, name in names.items()},
        "facts": facts,
    }


def group_results(answer: dict[str, Any], members: dict[str, str]) -> list[dict[str, Any]]:
    """Results grouped for display: the household's programs, then each member's."""
    groups: list[dict[str, Any]] = [{"title": "家庭", "subject": "household", "results": []}]
    by_subject: dict[str, dict[str, Any]] = {}
    for result in answer["results"]:
        subject = result["subject"]
        if subject == "household":
            groups[0]["results"].append(result)
            continue
        if subject not in by_subject:
            by_subject[subject] = {"title": members.get(subject, f"成员 {subject}"), "subject": subject, "results": []}
            groups.append(by_subject[subject])
        by_subject[subject]["results"].append(result)
    for group in groups:
        group["eligible"] = [r for r in group["results"] if r["eligible"]]
    return groups
