"""Lists of the 两项补贴 line, always within the actor's divisions, and the coverage of plan
indicators 3 and 4. Other lines (and planning, through the indicator registry) read them here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.assistance.selectors import list_enrolments_for
from minzheng.cases.models import CaseEvent
from minzheng.core import clock
from minzheng.accounts.scoping import access_by_id
from minzheng.core.errors import NotFound
from minzheng.core.periods import add_months
from minzheng.disability.enums import OPEN_STATUSES, Status, Subsidy
from minzheng.disability.models import (
    SubsidyApplication,
    SubsidyDecision,
    SubsidyPhoto,
    SubsidyReview,
)
from minzheng.disability.workflow import APPLICATION
from minzheng.divisions.directory import get_directory
from minzheng.registry.models import Person
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.selectors import current_household_of, current_members
from minzheng.screening.selectors import current_runs, results_in


def list_applications_for(
    actor: Actor, *, division_code: str | None = None, subsidy: str | None = None, status: str | None = None
) -> QuerySet[SubsidyApplication]:
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return SubsidyApplication.objects.none()
    qs = SubsidyApplication.objects.within(actor, division_code).select_related("person")
    if subsidy:
        qs = qs.filter(subsidy=subsidy)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def applications_of_person(actor: Actor, person) -> QuerySet[SubsidyApplication]:
    return list_applications_for(actor).filter(person=person)


def counts_by_status(actor: Actor, *, division_code: str | None = None) -> dict[tuple[str, str], int]:
    rows = list_applications_for(actor, division_code=division_code).order_by().values("subsidy", "status").annotate(n=Count("id"))
    return {(r["subsidy"], r["status"]): r["n"] for r in rows}


def history_of(application: SubsidyApplication) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.for_case(APPLICATION, application).order_by("occurred_at", "id")


def decisions_of(application: SubsidyApplication) -> QuerySet[SubsidyDecision]:
    return application.decisions.order_by("id")


def reviews_of(application: SubsidyApplication) -> QuerySet[SubsidyReview]:
    return application.reviews.all()


def photos_of(application: SubsidyApplication) -> QuerySet[SubsidyPhoto]:
    """The photos the family sent from the phone (read through the case's scoped access path)."""
    return application.photos.order_by("id")


def access_photo_by_id(actor: Actor, photo_id: object) -> SubsidyPhoto:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(SubsidyPhoto.objects.all(), actor, photo_id)


# ----------------------------------------------------------------------------------------------
# The citizens' site (issue 22): a family's own cases, nobody else's
# ----------------------------------------------------------------------------------------------


def applications_of_family(person: Person) -> QuerySet[SubsidyApplication]:
    """The cases a citizen applied for online, or of which they or a member of their current
    household is the disabled person. Newest first."""
    people = [person.pk]
    household = current_household_of(person)
    if household is not None:
        people += [m.person_id for m in current_members(household)]
    return SubsidyApplication.objects.filter(Q(applicant=person) | Q(person_id__in=people)).order_by("-submitted_on", "-id")


def application_of_family(person: Person, application_id: object) -> SubsidyApplication:
    """One of ``person``'s family's cases, else NotFound (missing and not theirs alike)."""
    try:
        pk = int(str(application_id))
    except ValueError:
        raise NotFound() from None
    application = applications_of_family(person).select_related("person").filter(pk=pk).first()
    if application is None:
        raise NotFound()
    return application


_HANDLER = {
    Status.SUBMITTED: "乡镇（街道）受理（须核验残疾人证原件）",
    Status.REVIEW: "乡镇（街道）审核",
    Status.DECISION: "区民政局审批",
    Status.APPROVED: "已办结",
    Status.REFUSED: "已办结",
    Status.ENDED: "已停发",
}


def handler_of(application: SubsidyApplication) -> str:
    """Who has the case now, in the words a family understands."""
    if application.status == Status.DECISION and application.decide_level == "town":
        return "乡镇（街道）审批"
    return _HANDLER.get(application.status, "")


def reviews_due(actor: Actor, *, within_days: int = 30, today: dt.date | None = None) -> QuerySet[SubsidyApplication]:
    day = today or clock.today()
    return list_applications_for(actor, status=Status.APPROVED).filter(next_review_on__lte=day + dt.timedelta(days=within_days)).order_by("next_review_on")


# ----------------------------------------------------------------------------------------------
# Coverage (plan indicators 3 and 4): enrolled ÷ eligible, eligible from a screening run
# ----------------------------------------------------------------------------------------------

INDICATOR_OF = {Subsidy.LIVING: "3", Subsidy.CARE: "4"}


def run_month(run) -> dt.date:
    year, month = (int(x) for x in run.period.split("-"))
    return dt.date(year, month, 1)


def covering_enrolments(actor: Actor, program: str, month: dt.date, *, division_code: str | None = None):
    """The person enrolments of ``program`` that cover ``month``: decided by then (paid from
    the month after the decision, so a start up to next month counts), not ended before it,
    and not exited before it (a suspended one still counts, as screening counts it)."""
    return (
        list_enrolments_for(actor, division_code=division_code, program=program)
        .filter(subject_kind="person", start_month__lte=add_months(month, 1))
        .filter(Q(end_month__isnull=True) | Q(end_month__gte=month))
        .filter(Q(status__in=("active", "suspended")) | Q(status="exited", end_month__gte=month))
    )


@dataclass
class Coverage:
    program: str
    label: str
    indicator: str
    run_id: int | None
    period: str
    by_town: dict[str, tuple[int, int]] = field(default_factory=dict)  # town → (enrolled among eligible, eligible)
    missed: list[dict] = field(default_factory=list)  # 应保未保 (the first ``list_limit`` when limited)
    wrongly_paid: list[dict] = field(default_factory=list)  # 应退未退 (likewise)
    missed_count: int = 0
    wrongly_paid_count: int = 0

    @property
    def eligible(self) -> int:
        return sum(d for _, d in self.by_town.values())

    @property
    def enrolled(self) -> int:
        return sum(n for n, _ in self.by_town.values())

    @property
    def percent(self) -> str:
        return f"{100 * self.enrolled / self.eligible:.1f}" if self.eligible else "—"


def latest_run(year: int | None = None):
    runs = current_runs()
    if year:
        runs = runs.filter(period__startswith=f"{year}-")
    return runs.first()


def coverage(
    actor: Actor, program: str, *, run=None, division_code: str | None = None, with_lists: bool = True, list_limit: int | None = None
) -> Coverage:
    """Eligible (the run's results: eligible for ``program``) and enrolled (an enrolment
    covering the run's month) by town, with the lists: eligible but not enrolled (应保未保) and
    enrolled but not eligible in the run (应退未退: no longer qualifies, or dead). The page asks
    for the first ``list_limit`` of each (the counts stay whole; the export has everyone)."""
    run = run or latest_run()
    label = Subsidy(program).label
    if run is None:
        return Coverage(program, label, INDICATOR_OF[Subsidy(program)], None, "")
    month = run_month(run)
    scope = division_code or None
    results = results_in(actor, run, scope, program=program)
    eligible = {pid: code for pid, code in results.filter(eligible=True, person_id__isnull=False).values_list("person_id", "division_code")}
    enrolments = {
        e["person_id"]: e for e in covering_enrolments(actor, program, month, division_code=scope).values("id", "person_id", "division_code", "amount_fen", "status")
    }
    by_town: dict[str, list[int]] = {}
    for pid, code in eligible.items():
        counts = by_town.setdefault(code[:9], [0, 0])
        counts[1] += 1
        if pid in enrolments:
            counts[0] += 1
    out = Coverage(program, label, INDICATOR_OF[Subsidy(program)], run.pk, run.period, {t: (n, d) for t, (n, d) in sorted(by_town.items())})
    if with_lists:
        missing = sorted(set(eligible) - set(enrolments))
        wrong = sorted(set(enrolments) - set(eligible))
        out.missed_count, out.wrongly_paid_count = len(missing), len(wrong)
        missing, wrong = missing[:list_limit], wrong[:list_limit]
        people = Person.objects.in_bulk(missing + wrong)
        amounts = dict(results.filter(person_id__in=missing, eligible=True).values_list("person_id", "amount_fen"))
        directory = get_directory()
        for pid in missing:
            p = people[pid]
            out.missed.append({"person": p, "division_code": eligible[pid], "division": directory.path_name(eligible[pid]), "amount_fen": amounts.get(pid, 0)})
        for pid in wrong:
            p, e = people[pid], enrolments[pid]
            reason = "已死亡" if p.is_deceased else "按最新筛查不再符合条件"
            out.wrongly_paid.append({"person": p, "division_code": e["division_code"], "division": directory.path_name(e["division_code"]), "amount_fen": e["amount_fen"], "enrolment_id": e["id"], "reason": reason})
    return out


def enrolled_among_eligible_by_town(run_id: int, program: str) -> dict[str, tuple[int, int]]:
    """Indicator source for planning (indicators 3, 4): {town: (eligible persons with an
    enrolment covering the run's month, eligible persons)} of one screening run."""
    actor = Actor.system("规划监测：残疾人两项补贴覆盖率")
    run = current_runs().model.objects.get(pk=run_id)
    return coverage(actor, program, run=run, with_lists=False).by_town
