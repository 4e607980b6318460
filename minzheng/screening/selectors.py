"""Scoped reads of screening runs, summaries, results and discrepancies (for screens and API).

Runs are district-wide metadata; everything below them that names a place or a person is
read through ``visible_to(actor)`` / ``within(actor, division)`` — the ONE scoping module.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import Substr

from minzheng.accounts.scoping import parse_division_param
from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.core.district import district_code
from minzheng.core.errors import NotFound
from minzheng.divisions.directory import get_directory
from minzheng.rules.programs import PROGRAMS
from minzheng.screening.compare import ENROLLABLE
from minzheng.screening.models import Discrepancy, DiscrepancyKind, ScreeningResult, ScreeningRun, ScreeningSummary

PROGRAM_LABELS = {name: program.label for name, program in PROGRAMS.items()}
# Short names for table headers (same wording as assistance.enums.PROGRAM_SHORT where shared).
PROGRAM_SHORT = {
    "dibao": "低保",
    "low_income_edge": "低保边缘",
    "rigid_spending_hardship": "刚性支出困难",
    "dibao_addon": "低保加发",
    "tekun": "特困",
    "orphan_allowance": "孤儿保障金",
    "defacto_child_allowance": "事实无人抚养儿童补贴",
    "disability_living_subsidy": "残疾人生活补贴",
    "severe_disability_care_subsidy": "重度残疾人护理补贴",
}
KIND_LABELS = dict(DiscrepancyKind.choices)


def _require_view(actor: Actor) -> None:
    actor.require(Perm.VIEW_REGISTRY)


def current_runs() -> QuerySet[ScreeningRun]:
    """The current run of every screened period, newest period first."""
    return ScreeningRun.objects.filter(is_current=True, division_prefix="").order_by("-period")


def current_run(period: str | None = None) -> ScreeningRun | None:
    runs = current_runs()
    if period:
        runs = runs.filter(period=period)
    return runs.first()


def default_division(actor: Actor) -> str:
    """Where an actor's screening view starts: their one assignment, else the district."""
    prefixes = actor.scope_prefixes
    if len(prefixes) == 1:
        return prefixes[0]
    return district_code()


def _child_code(division_code: str, code: str) -> str:
    """The child of ``division_code`` (6 → town 9, 9 → village 12) that contains ``code``."""
    return code[: 9 if len(division_code) <= 6 else 12]


@dataclass
class DivisionRow:
    code: str
    name: str
    programs: dict[str, dict[str, int]] = field(default_factory=dict)
    discrepancies: dict[str, int] = field(default_factory=dict)

    @property
    def discrepancy_total(self) -> int:
        return sum(self.discrepancies.values())


def summary_by_division(actor: Actor, run: ScreeningRun, division_code: str) -> dict[str, Any]:
    """The actor's part of a run under ``division_code``, one row per child division (towns
    under the district, villages under a town), with per-program totals and discrepancy
    counts. Rows the actor may not see do not exist for them."""
    _require_view(actor)
    directory = get_directory()
    rows: dict[str, DivisionRow] = {}
    totals = DivisionRow(division_code, directory.name(division_code))

    def add(target: dict[str, dict[str, int]], program: str, values: dict[str, int]) -> None:
        slot = target.setdefault(program, dict.fromkeys(values, 0))
        for key, value in values.items():
            slot[key] = slot.get(key, 0) + value

    # Summed per child division and program in SQL (a district run: ~4,000 village rows and
    # ~8,500 discrepancies become ~250 and ~100 grouped rows).
    child = Substr("division_code", 1, len(_child_code(division_code, "0" * 12)))
    keys = ("evaluated", "eligible", "people", "amount_fen", "enrolled", "enrolled_amount_fen")
    summaries = (
        ScreeningSummary.objects.within(actor, division_code).filter(run=run)
        .annotate(child=child).values("child", "program").annotate(**{f"sum_{k}": Sum(k) for k in keys}).order_by()
    )  # fmt: skip
    for r in summaries:
        row = rows.setdefault(r["child"], DivisionRow(r["child"], directory.name(r["child"])))
        values = {k: r[f"sum_{k}"] or 0 for k in keys}
        add(row.programs, r["program"], values)
        add(totals.programs, r["program"], values)
    found = (
        Discrepancy.objects.within(actor, division_code).filter(run=run)
        .annotate(child=child).values_list("child", "kind").annotate(n=Count("id")).order_by()
    )  # fmt: skip
    for code, kind, n in found:
        row = rows.setdefault(code, DivisionRow(code, directory.name(code)))
        row.discrepancies[kind] = row.discrepancies.get(kind, 0) + n
        totals.discrepancies[kind] = totals.discrepancies.get(kind, 0) + n
    return {"division_code": division_code, "rows": [rows[c] for c in sorted(rows)], "totals": totals}


def results_in(actor: Actor, run: ScreeningRun, division_code: str, *, program: str | None = None) -> QuerySet:
    _require_view(actor)
    qs = ScreeningResult.objects.within(actor, division_code).filter(run=run)
    if program:
        qs = qs.filter(program=program)
    return qs.order_by("household_id", "program", "person_id")


def households_in_village(actor: Actor, run: ScreeningRun, village_code: str) -> list[dict[str, Any]]:
    """Households of one village with a stored result (eligible or enrolled), grouped."""
    by_household: dict[int, dict[str, Any]] = defaultdict(lambda: {"programs": [], "amount_fen": 0, "not_eligible": []})
    for program, household_id, person_id, eligible, amount, enrolled in results_in(actor, run, village_code).values_list(
        "program", "household_id", "person_id", "eligible", "amount_fen", "enrolled"
    ):
        entry = by_household[household_id]
        entry["household_id"] = household_id
        if eligible:
            entry["programs"].append(PROGRAM_SHORT.get(program, program))
            entry["amount_fen"] += amount
        elif enrolled:
            entry["not_eligible"].append(PROGRAM_SHORT.get(program, program))
    out = []
    for household_id in sorted(by_household):
        entry = by_household[household_id]
        entry["programs"] = sorted(set(entry["programs"]), key=list(PROGRAM_SHORT.values()).index)
        entry["not_eligible"] = sorted(set(entry["not_eligible"]))
        out.append(entry)
    return out


def discrepancies_for(
    actor: Actor,
    run: ScreeningRun,
    *,
    division_code: str | None = None,
    kind: str | None = None,
    program: str | None = None,
) -> QuerySet[Discrepancy]:
    _require_view(actor)
    qs = Discrepancy.objects.within(actor, division_code).filter(run=run)
    if kind:
        qs = qs.filter(kind=kind)
    if program:
        qs = qs.filter(program=program)
    return qs.order_by("division_code", "kind", "program", "subject_id")


def access_run(period: str | None) -> ScreeningRun:
    run = current_run(period)
    if run is None:
        raise NotFound("该核算期尚未进行筛查")
    return run


def parse_division(actor: Actor, raw: str | None) -> str:
    """A division code from a request: digits of a known division, else the actor's default.
    (Rows are still filtered by scope, so an out-of-scope code simply shows nothing.)"""
    code = parse_division_param(raw) or ""
    if code and len(code) in (6, 9, 12) and get_directory().get(code) is not None:
        return code
    return default_division(actor)


__all__ = [
    "ENROLLABLE",
    "KIND_LABELS",
    "PROGRAM_LABELS",
    "PROGRAM_SHORT",
    "access_run",
    "current_run",
    "current_runs",
    "default_division",
    "discrepancies_for",
    "households_in_village",
    "parse_division",
    "results_in",
    "summary_by_division",
]


def latest_current_run(*, up_to_period: str | None = None) -> ScreeningRun | None:
    """The current district-wide run of the latest screened period (not after ``up_to_period``)."""
    runs = current_runs()
    if up_to_period:
        runs = runs.filter(period__lte=up_to_period)
    return runs.first()


def eligible_household_ids(run: ScreeningRun, programs: tuple[str, ...]) -> dict[str, list[int]]:
    """System read (the 低收入人口 monthly monitoring, district-wide, no actor): the households
    a run found eligible for each household program asked for. One query."""
    out: dict[str, list[int]] = {program: [] for program in programs}
    rows = ScreeningResult.objects.filter(
        run=run, program__in=programs, eligible=True, subject_kind="household"
    ).values_list("program", "household_id")
    for program, household_id in rows.iterator(chunk_size=20000):
        out[program].append(household_id)
    return out
