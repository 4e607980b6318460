"""The rules engine's per-case explanation of an alert's household, for the alert screen.

Uses ``minzheng.registry.facts.household_facts`` (the registry → engine bridge) and
``evaluate_household``: each condition with its value, threshold and reference, so a worker
sees why the household looks eligible — as the registry stands now, without the feed's overlay.
"""

from __future__ import annotations

from minzheng.discovery.enums import AlertProgram
from minzheng.discovery.rules import engine_period
from minzheng.registry.facts import NoMembersInPeriod, household_facts
from minzheng.registry.models import Household
from minzheng.rules import evaluate_household

# Alert program → the engine program that explains it.
ENGINE_PROGRAM = {
    AlertProgram.RIGID_SPENDING: "rigid_spending_hardship",
    AlertProgram.CARE_SUBSIDY: "severe_disability_care_subsidy",
    AlertProgram.DIBAO_APPLICATION: "dibao",
    AlertProgram.DIBAO_REVIEW: "dibao",
}


def explain_alert(alert) -> dict | None:
    """{"program": label, "eligible": bool, "conditions": [...], "period": ..., "provisional": bool}
    or None when the alert's program is not an engine program or the household has no members."""
    program = ENGINE_PROGRAM.get(alert.program)
    if program is None or alert.household_id is None:
        return None

    household = Household.objects.filter(pk=alert.household_id).first()
    if household is None:
        return None
    period = engine_period(alert.created_at.date())
    try:
        facts = household_facts(household, period=period)
    except NoMembersInPeriod:
        return None
    result = evaluate_household(facts)
    member_id = str(alert.person_id)
    for item in result["results"]:
        if item["program"] != program or item["subject"] not in ("household", member_id):
            continue
        return {
            "program": item["label"],
            "eligible": item["eligible"],
            "conditions": item["conditions"],
            "period": result["period"],
            "provisional": item["provisional"],
        }
    return None


__all__ = ["explain_alert"]
