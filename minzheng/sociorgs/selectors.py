"""Scoped lists and the summary of the social-organisation line (and what other lines may read:
``is_listed``, ``organisation_for_charity``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Q

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.core import clock
from minzheng.divisions.directory import get_directory
from minzheng.sociorgs.access import access_organisation_by_id
from minzheng.sociorgs.enums import (
    InspectionResult,
    OrgStatus,
    PenaltyStatus,
    ProcedureStatus,
)
from minzheng.sociorgs.models import (
    AnnualInspection,
    Assessment,
    CreditListing,
    Organisation,
    PenaltyCase,
    Procedure,
)
from minzheng.sociorgs.permissions import SociorgPerm


def list_organisations_for(actor: Actor, *, division_code: str | None = None, org_type: str = "", sector: str = "",
                           status: str = "", q: str = ""):  # fmt: skip
    actor.require(SociorgPerm.VIEW_SOCIORGS)
    qs = Organisation.objects.within(actor, division_code)
    if org_type:
        qs = qs.filter(org_type=org_type)
    if sector:
        qs = qs.filter(sector=sector)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(credit_code=q.upper()))
    return qs.order_by("name", "id")


def list_procedures_for(actor: Actor, *, open_only: bool = False):
    actor.require(SociorgPerm.VIEW_SOCIORGS)
    qs = Procedure.objects.visible_to(actor).select_related("organisation")
    if open_only:
        qs = qs.exclude(status__in=[ProcedureStatus.APPROVED, ProcedureStatus.REFUSED])
    return qs


def list_penalties_for(actor: Actor):
    actor.require(SociorgPerm.VIEW_SOCIORGS)
    return PenaltyCase.objects.visible_to(actor).select_related("organisation")


def list_listings_for(actor: Actor, *, current_only: bool = True):
    actor.require(SociorgPerm.VIEW_SOCIORGS)
    qs = CreditListing.objects.visible_to(actor).select_related("organisation")
    return qs.filter(removed_on__isnull=True) if current_only else qs


def current_grades(orgs, on: dt.date | None = None) -> dict[int, str]:
    """{organisation id: grade} of the assessments valid on the day (the latest one)."""
    day = on or clock.today()
    out: dict[int, str] = {}
    rows = Assessment.objects.filter(organisation__in=orgs, assessed_on__lte=day, valid_until__gte=day).order_by("assessed_on", "id")
    for org_id, grade in rows.values_list("organisation_id", "grade"):
        out[org_id] = grade
    return out


def is_listed(organisation_id: int) -> str:
    """The label of the credit list the organisation is on now, or ""."""
    row = CreditListing.objects.filter(organisation_id=organisation_id, removed_on__isnull=True).first()
    return row.get_kind_display() if row else ""


def find_registered(*, credit_code: str = "", name: str = "") -> Organisation | None:
    """The organisation of the register with this 统一社会信用代码 (or, failing that, this exact
    name), in any status, or None: another line (socialwork agencies) links to it and checks
    ``status`` / ``is_listed`` itself."""
    code = (credit_code or "").strip().upper()
    if code:
        found = Organisation.objects.filter(credit_code=code).first()
        if found is not None:
            return found
    name = (name or "").strip()
    if name:
        return Organisation.objects.filter(name=name).order_by("-registered_on", "-id").first()
    return None


def organisation_for_charity(actor: Actor, org_id: object) -> Organisation:

    return access_organisation_by_id(actor, org_id)


def summary_for(actor: Actor, *, year: int | None = None, division_code: str | None = None) -> dict:
    """Active organisations by type, sector, town and grade; the inspection pass rate of a year
    (合格 ÷ conclusions recorded, 基本合格 not counted as passed)."""
    orgs = list_organisations_for(actor, division_code=division_code, status=OrgStatus.ACTIVE)
    year = year or clock.today().year - 1
    directory = get_directory()
    by_type: Counter = Counter()
    by_sector: Counter = Counter()
    by_town: Counter = Counter()
    ids = []
    for org_id, org_type, sector, code in orgs.values_list("id", "org_type", "sector", "division_code"):
        ids.append(org_id)
        by_type[org_type] += 1
        by_sector[sector] += 1
        by_town[code[:9]] += 1
    grades = Counter(current_grades(orgs).values())
    results: Counter = Counter(
        AnnualInspection.objects.visible_to(actor).filter(year=year, organisation__in=orgs).values_list("result", flat=True)
    )
    recorded = sum(results.values())
    passed = results.get(InspectionResult.PASS, 0)
    towns = defaultdict(int)
    for code, n in by_town.items():
        towns[code] = n
    return {
        "total": len(ids),
        "by_type": dict(by_type),
        "by_sector": dict(by_sector),
        "by_town": {code: {"name": directory.name(code) if len(code) >= 9 else "区本级", "count": n} for code, n in sorted(towns.items())},
        "by_grade": dict(grades),
        "inspection": {"year": year, "recorded": recorded, "passed": passed, "results": dict(results),
                       "pass_rate": round(100 * passed / recorded, 1) if recorded else None},
        "open_procedures": list_procedures_for(actor, open_only=True).count(),
        "open_penalties": list_penalties_for(actor).exclude(status__in=[PenaltyStatus.EXECUTED, PenaltyStatus.DROPPED]).count(),
        "listed": list_listings_for(actor).count(),
    }  # fmt: skip


def charity_candidates(limit: int):
    """Organisations the charity demo may recognise: 公益慈善类, registered here, in operation,
    on no list, oldest first."""
    listed = CreditListing.objects.filter(removed_on__isnull=True).values("organisation_id")
    return list(
        Organisation.objects.filter(sector="charity", status=OrgStatus.ACTIVE, authority="district", registered_on__lt=dt.date(2020, 1, 1))
        .exclude(pk__in=listed).order_by("registered_on", "id")[:limit]
    )


def case_history(actor: Actor, workflow, case):
    """The kit's history rows of a procedure or penalty case, oldest first."""
    return CaseEvent.objects.visible_to(actor).for_case(workflow, case).order_by("id")
