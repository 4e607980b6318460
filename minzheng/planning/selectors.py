"""Reads of plan monitoring — every scoped row through ``visible_to(actor)``.

The scorecard of a plan for a year and a division is built here once and used by the
dashboard, the API, the CLI and the evaluation reports, so all four show the same figures.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.core import clock
from minzheng.core.district import district_code
from minzheng.core.errors import NotFound, PermissionDenied
from minzheng.divisions.directory import get_directory
from minzheng.planning.enums import ANNUAL, IndicatorKind, Status
from minzheng.planning.models import (
    GeneratedReport,
    Indicator,
    IndicatorValue,
    KeyProject,
    Plan,
    ReferenceValue,
    ValueSubmission,
)
from minzheng.planning.status import Assessment, assess_indicator


def list_plans() -> list[Plan]:
    return list(Plan.objects.all())


def current_plan(today: dt.date | None = None) -> Plan | None:
    """The plan whose period contains today, else the latest one that has started."""
    today = today or clock.today()
    plans = list(Plan.objects.order_by("start_year"))
    for plan in plans:
        if plan.start_year <= today.year <= plan.end_year:
            return plan
    started = [p for p in plans if p.start_year <= today.year]
    return started[-1] if started else (plans[0] if plans else None)


def get_plan(code: str | None) -> Plan:
    plan = Plan.objects.filter(code=code).first() if code else current_plan()
    if plan is None:
        raise NotFound("规划不存在，请先载入规划数据（minzheng planning load）")
    return plan


def default_year(plan: Plan, today: dt.date | None = None) -> int:
    today = today or clock.today()
    return min(max(today.year, plan.start_year), plan.end_year)


def home_division(actor: Actor) -> str | None:
    """The widest division the actor's figures are read at: the district, or their town."""
    if not actor.scope_prefixes:
        return None
    if any(len(p) == 6 for p in actor.scope_prefixes):
        return district_code()
    towns = sorted(p for p in actor.scope_prefixes if len(p) == 9)
    return towns[0] if towns else None


def resolve_division(actor: Actor, division_code: str | None) -> str:
    """The division asked for, if the actor may see its figures; same NotFound otherwise."""
    actor.require(Perm.VIEW_DASHBOARD)
    code = (division_code or "").strip() or home_division(actor)
    if not code or len(code) not in (6, 9) or get_directory().get(code) is None or not actor.covers(code):
        raise NotFound("区划不存在或不在您的管辖范围内")
    return code


def values_for(actor: Actor) -> QuerySet[IndicatorValue]:
    if not actor.has(Perm.VIEW_DASHBOARD):
        return IndicatorValue.objects.none()
    return IndicatorValue.objects.visible_to(actor)


def submissions_for(actor: Actor) -> QuerySet[ValueSubmission]:
    if not (actor.has(Perm.EDIT_INDICATORS) or actor.has(Perm.APPROVE_INDICATORS)):
        return ValueSubmission.objects.none()
    return ValueSubmission.objects.visible_to(actor)


def projects_for(actor: Actor, plan: Plan) -> QuerySet[KeyProject]:
    if not actor.has(Perm.VIEW_DASHBOARD):
        return KeyProject.objects.none()
    return KeyProject.objects.visible_to(actor).filter(plan=plan)


def reports_for(actor: Actor, plan: Plan) -> QuerySet[GeneratedReport]:
    """Generated reports of a plan the actor may see, newest first."""
    return GeneratedReport.objects.visible_to(actor).filter(plan=plan).order_by("-generated_at")


def plan_indicators(plan: Plan, *, kind: str | None = None) -> list[Indicator]:
    qs = Indicator.objects.filter(plan=plan).select_related("plan", "reference_series", "mirror_of")
    if kind:
        qs = qs.filter(kind=kind)
    return list(qs.order_by("kind", "seq"))


def fmt(value: Decimal | None, decimals: int) -> str:
    if value is None:
        return "—"
    q = value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return f"{q:,.{decimals}f}"


@dataclass
class Row:
    """One indicator on a scorecard: its figure for the period, and how it stands."""

    indicator: Indicator
    value: IndicatorValue | None
    assessment: Assessment
    reference: Decimal | None = None
    history: dict[int, IndicatorValue] = field(default_factory=dict)

    @property
    def shown_value(self) -> str:
        return fmt(self.value.value if self.value else None, self.indicator.decimals)

    @property
    def shown_target(self) -> str:
        ind = self.indicator
        if ind.target_value is None:
            return ind.target_text
        prefix = {"gte": "≥", "lte": "≤"}.get(ind.target_rule, "")
        return f"{prefix}{fmt(ind.target_value, ind.decimals)}"

    @property
    def shown_baseline(self) -> str:
        ind = self.indicator
        return fmt(ind.baseline_value, ind.decimals) if ind.baseline_value is not None else (ind.baseline_text or "—")

    @property
    def as_of(self) -> dt.datetime | None:
        return self.value.as_of if self.value else None

    @property
    def source_label(self) -> str:
        if self.value is None:
            return "系统计算" if self.indicator.value_indicator.computation else "手工填报"
        return self.value.get_source_display()

    @property
    def period_label(self) -> str:
        if self.value is None:
            return ""
        return f"{self.value.year}年" + (f"{self.value.month}月" if self.value.month else "")


def _pick(values: list[IndicatorValue]) -> IndicatorValue | None:
    """The figure of a year: its annual value, else the latest month's."""
    annual = [v for v in values if v.month == ANNUAL]
    if annual:
        return annual[0]
    return max(values, key=lambda v: v.month) if values else None


def reference_values(plan: Plan) -> dict[tuple[int, int], Decimal]:
    """{(series id, year): value}."""
    return {
        (r.series_id, r.year): r.value
        for r in ReferenceValue.objects.filter(series__indicators__plan=plan).distinct()
    }


def scorecard(
    actor: Actor,
    plan: Plan,
    *,
    year: int,
    division_code: str | None = None,
    kind: str | None = None,
    with_history: bool = False,
) -> list[Row]:
    """Every indicator of the plan for a year at one division the actor may see."""
    code = resolve_division(actor, division_code)
    indicators = plan_indicators(plan, kind=kind)
    source_ids = {i.value_indicator.pk for i in indicators}
    qs = values_for(actor).filter(indicator_id__in=source_ids, division_code=code)
    qs = qs if with_history else qs.filter(year=year)
    by_indicator_year: dict[tuple[int, int], list[IndicatorValue]] = defaultdict(list)
    for v in qs:
        by_indicator_year[(v.indicator_id, v.year)].append(v)
    refs = reference_values(plan)
    rows = []
    for ind in indicators:
        src = ind.value_indicator
        value = _pick(by_indicator_year.get((src.pk, year), []))
        reference = None
        if ind.reference_series_id:
            reference = refs.get((ind.reference_series_id, year - ind.reference_lag_years))
        assessment = assess_indicator(
            ind, value.value if value else None, year=value.year if value else year,
            month=value.month if value else ANNUAL, reference=reference,
        )
        history = {}
        if with_history:
            for y in range(plan.start_year, plan.end_year + 1):
                picked = _pick(by_indicator_year.get((src.pk, y), []))
                if picked is not None:
                    history[y] = picked
        rows.append(Row(ind, value, assessment, reference, history))
    return rows


def status_counts(rows: list[Row]) -> dict[str, int]:
    counts = {s.value: 0 for s in Status}
    for r in rows:
        counts[r.assessment.status] += 1
    return counts


def town_values(actor: Actor, plan: Plan, indicator: Indicator, *, year: int) -> list[dict]:
    """The indicator's figure in each town the actor may see, for a year."""
    src = indicator.value_indicator
    directory = get_directory()
    towns = [t for t in sorted(directory.towns(), key=lambda t: t.code) if actor.covers(t.code)]
    values: dict[str, list[IndicatorValue]] = defaultdict(list)
    for v in values_for(actor).filter(indicator=src, year=year, division_code__in=[t.code for t in towns]):
        values[v.division_code].append(v)
    out = []
    for t in towns:
        v = _pick(values.get(t.code, []))
        a = assess_indicator(indicator, v.value if v else None, year=year, month=v.month if v else ANNUAL)
        out.append({"code": t.code, "name": t.name, "value": v, "assessment": a})
    return out


def monthly_values(actor: Actor, indicator: Indicator, *, division_code: str) -> list[IndicatorValue]:
    return list(
        values_for(actor)
        .filter(indicator=indicator.value_indicator, division_code=division_code)
        .exclude(month=ANNUAL)
        .order_by("year", "month")
    )


def main_and_other(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    return (
        [r for r in rows if r.indicator.kind == IndicatorKind.MAIN],
        [r for r in rows if r.indicator.kind == IndicatorKind.OTHER],
    )


def require_district(actor: Actor) -> None:
    if actor.level != "district" and not actor.is_system:
        raise PermissionDenied("该功能仅限区级人员使用")
