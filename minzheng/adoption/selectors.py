"""Lists of the adoption line, always within the actor's divisions; the counts other screens
(the children dashboard, the workbench) read."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.adoption.enums import OPEN_STATUSES, Kind, Status, VisitStatus
from minzheng.adoption.models import (
    Adoption,
    AdoptionDocument,
    Assessment,
    FollowUpVisit,
)
from minzheng.adoption.permissions import AdoptionPerm
from minzheng.adoption.workflow import ADOPTION
from minzheng.cases.models import CaseEvent
from minzheng.core import clock


def list_adoptions_for(actor: Actor, *, division_code: str | None = None, status: str | None = None, kind: str | None = None) -> QuerySet[Adoption]:
    if not actor.has(AdoptionPerm.VIEW_ADOPTION):
        return Adoption.objects.none()
    qs = Adoption.objects.within(actor, division_code).select_related("child", "adopter", "co_adopter")
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-id")


def registrations_in_year(actor: Actor, year: int | None = None, *, division_code: str | None = None) -> int:
    """收养登记 registered in the year (this year by default), within the actor's scope."""
    year = year or clock.today().year
    return list_adoptions_for(actor, division_code=division_code).filter(registered_on__year=year).count()


def adoption_counts(actor: Actor, *, division_code: str | None = None) -> dict:
    """The dashboard's figures: registered this year (by the child's situation), open cases
    by step, refusals and dissolutions this year, visits due."""
    year = clock.today().year
    qs = list_adoptions_for(actor, division_code=division_code)
    by_kind = {k.value: 0 for k in Kind}
    for row in qs.filter(registered_on__year=year).order_by().values("kind").annotate(n=Count("id")):
        by_kind[row["kind"]] = row["n"]
    open_counts = {s.value: 0 for s in OPEN_STATUSES}
    for row in qs.filter(status__in=OPEN_STATUSES).order_by().values("status").annotate(n=Count("id")):
        open_counts[row["status"]] = row["n"]
    return {
        "year": year,
        "registered": sum(by_kind.values()),
        "by_kind": by_kind,
        "open": open_counts,
        "refused": qs.filter(refused_on__year=year).count(),
        "dissolved": qs.filter(dissolved_on__year=year).count(),
        "visits_due": list_visits_for(actor, division_code=division_code).filter(status=VisitStatus.DUE, due_on__lte=clock.today()).count(),
    }


def dashboard_counts(actor: Actor) -> dict | None:
    """For another line's dashboard (the children line's home): ``adoption_counts`` plus the
    open total, or None when the actor's role sees no adoption (the village)."""
    if not actor.has(AdoptionPerm.VIEW_ADOPTION):
        return None
    counts = adoption_counts(actor)
    return {**counts, "open_total": sum(counts["open"].values())}


def list_visits_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[FollowUpVisit]:
    if not actor.has(AdoptionPerm.VIEW_ADOPTION):
        return FollowUpVisit.objects.none()
    return FollowUpVisit.objects.within(actor, division_code).select_related("adoption", "adoption__child")


def adoptions_of_person(actor: Actor, person) -> QuerySet[Adoption]:
    """Adoptions where the person is the child (for the child's file)."""
    return list_adoptions_for(actor).filter(child=person)


def history_of(actor: Actor, adoption: Adoption) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.visible_to(actor).for_case(ADOPTION, adoption).order_by("occurred_at", "id")


def documents_of(actor: Actor, adoption: Adoption) -> QuerySet[AdoptionDocument]:
    return AdoptionDocument.objects.visible_to(actor).filter(adoption=adoption)


def assessments_of(actor: Actor, adoption: Adoption) -> QuerySet[Assessment]:
    return Assessment.objects.visible_to(actor).filter(adoption=adoption)


def visits_of(actor: Actor, adoption: Adoption) -> QuerySet[FollowUpVisit]:
    return FollowUpVisit.objects.visible_to(actor).filter(adoption=adoption)


__all__ = [
    "Status",
    "adoption_counts",
    "adoptions_of_person",
    "assessments_of",
    "dashboard_counts",
    "documents_of",
    "history_of",
    "list_adoptions_for",
    "list_visits_for",
    "registrations_in_year",
    "visits_of",
]
