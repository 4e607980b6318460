"""A minor at intake goes to the children's protection process (service-lines §4: "Minors →
§3"): the station files a 强制报告 through children's own action, as any institution would.
Children's ``do_report_minor`` is read through its public ``actions`` module.
"""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.children.enums import HarmKind, ReporterKind
from minzheng.children.actions import ReportInput, do_report_minor


def open_protection_case(actor: Actor, case, *, station_name: str) -> str:
    """File the 强制报告 for the minor of ``case`` (same transaction as the intake) and return
    the protection case's number."""
    features = "；".join(x for x in (case.features, case.health) if x)
    protection = do_report_minor(
        actor,
        ReportInput(
            division_code=case.found_division_code,
            child_name=case.name,
            child_description=features[:200],
            reporter_kind=ReporterKind.INSTITUTION,
            reporter_unit=station_name,
            harm_kinds=[HarmKind.OTHER],
            description=f"流浪乞讨未成年人，{case.found_place}发现，已由{station_name}受助登记（{case.number}）。",
            person_id=case.person_id,
            reported_at=case.arrived_at,
        ),
    )
    return protection.number
