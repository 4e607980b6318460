"""List reads of the lottery line, within the actor's divisions: outlets, inspections, sales by
month and by outlet, the 公益金 years and their projects; the outlets' map points."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q, QuerySet, Sum

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.divisions.directory import get_directory
from minzheng.eldercare.selectors import village_points
from minzheng.lottery.enums import InspectionStatus
from minzheng.lottery.models import (
    FundProject,
    FundYear,
    MonthlySales,
    Outlet,
    OutletInspection,
)
from minzheng.lottery.permissions import LotteryPerm
from minzheng.lottery.workflow import INSPECTION_WORKFLOW


def _can_view(actor: Actor) -> bool:
    return actor.has(LotteryPerm.VIEW_LOTTERY)


def list_outlets_for(actor: Actor, *, division_code: str | None = None, status: str = "", q: str = "") -> QuerySet[Outlet]:
    if not _can_view(actor):
        return Outlet.objects.none()
    qs = Outlet.objects.within(actor, division_code)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(licence_no__icontains=q) | Q(name__icontains=q) | Q(address__icontains=q))
    return qs.order_by("licence_no")


def open_on(qs: QuerySet[Outlet], day: dt.date) -> QuerySet[Outlet]:
    """Outlets open on a day: opened on or before it, not closed on or before it."""
    return qs.filter(opened_on__lte=day).filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))


def list_inspections_for(actor: Actor, *, outlet: Outlet | None = None, open_only: bool = False) -> QuerySet[OutletInspection]:
    if not _can_view(actor):
        return OutletInspection.objects.none()
    qs = OutletInspection.objects.visible_to(actor).select_related("outlet")
    if outlet is not None:
        qs = qs.filter(outlet=outlet)
    if open_only:
        qs = qs.filter(status=InspectionStatus.RECTIFYING).order_by("deadline_on", "id")
    return qs


def inspection_history(actor: Actor, inspection: OutletInspection) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.visible_to(actor).for_case(INSPECTION_WORKFLOW, inspection)


def list_sales_for(actor: Actor, *, outlet: Outlet | None = None) -> QuerySet[MonthlySales]:
    if not _can_view(actor):
        return MonthlySales.objects.none()
    qs = MonthlySales.objects.visible_to(actor).select_related("outlet")
    if outlet is not None:
        qs = qs.filter(outlet=outlet)
    return qs


def sales_by_month(actor: Actor, year: int) -> list[dict]:
    """[{month, outlets, sales_fen}] of the 12 months of a year (0 where nothing was sold)."""
    qs = list_sales_for(actor).filter(month__year=year).values("month").annotate(total=Sum("sales_fen"))
    counts = defaultdict(int)
    for month in list_sales_for(actor).filter(month__year=year).values_list("month", flat=True):
        counts[month.month] += 1
    totals = {r["month"].month: r["total"] for r in qs}
    return [{"month": dt.date(year, m, 1), "outlets": counts[m], "sales_fen": int(totals.get(m) or 0)} for m in range(1, 13)]


def sales_by_outlet(actor: Actor, year: int) -> list[dict]:
    """[{outlet, town, months, sales_fen}] of a year, every outlet of the scope that sold or was
    open in the year, by licence number."""
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    outlets = list_outlets_for(actor).filter(opened_on__lte=year_end).filter(Q(closed_on__isnull=True) | Q(closed_on__gte=year_start))
    totals = {
        r["outlet_id"]: (r["total"], r["n"])
        for r in list_sales_for(actor).filter(month__year=year).values("outlet_id").annotate(total=Sum("sales_fen"), n=Sum(1))
    }
    directory = get_directory()
    out = []
    for o in outlets:
        total, n = totals.get(o.pk, (0, 0))
        town = directory.town_of(o.division_code)
        out.append({"outlet": o, "town": town.name if town else "", "months": int(n or 0), "sales_fen": int(total or 0)})
    return out


def list_fund_years_for(actor: Actor) -> QuerySet[FundYear]:
    if not _can_view(actor):
        return FundYear.objects.none()
    return FundYear.objects.visible_to(actor).order_by("year")


def list_projects_for(actor: Actor, *, fund: FundYear | None = None) -> QuerySet[FundProject]:
    if not _can_view(actor):
        return FundProject.objects.none()
    qs = FundProject.objects.visible_to(actor).select_related("fund_year")
    if fund is not None:
        qs = qs.filter(fund_year=fund)
    return qs


def fund_use(actor: Actor) -> list[dict]:
    """Per year: retained 公益金, the projects' budgets, spending, evaluated and disclosed counts."""
    out = []
    for fund in list_fund_years_for(actor):
        projects = list(list_projects_for(actor, fund=fund))
        out.append({
            "fund": fund, "projects": len(projects),
            "budget_fen": sum(p.budget_fen for p in projects), "spent_fen": sum(p.spent_fen for p in projects),
            "evaluated": sum(1 for p in projects if p.evaluation_score is not None),
            "disclosed": sum(1 for p in projects if p.disclosed_on is not None),
        })  # fmt: skip
    return out


def outlet_points(actor: Actor, outlets) -> list[dict]:
    """Map points of outlets: the outlet's own coordinates, else its village's point (the
    points eldercare's service-circle map and children's network map use)."""
    points = village_points(actor)
    out = []
    for o in outlets:
        if o.lon is not None and o.lat is not None:
            point = [float(o.lon), float(o.lat)]
        elif o.division_code in points:
            point = list(points[o.division_code])
        else:
            continue
        out.append({"name": f"{o.licence_no} {o.name}", "open": o.status == "open", "value": point})
    return out
