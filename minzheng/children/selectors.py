"""Lists of the child-welfare line, always within the actor's divisions. Other lines (and
planning) read children through these functions."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.children.enums import OPEN_STATUSES, Category, Status
from minzheng.children.models import ProtectionStation, Recognition, RecognitionDecision, RecognitionReview
from minzheng.children.workflow import RECOGNITION
from minzheng.registry.permissions import RegistryPerm


def list_recognitions_for(
    actor: Actor, *, division_code: str | None = None, category: str | None = None, status: str | None = None
) -> QuerySet[Recognition]:
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return Recognition.objects.none()
    qs = Recognition.objects.within(actor, division_code).select_related("person")
    if category:
        qs = qs.filter(category=category)
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def recognitions_of_person(actor: Actor, person) -> QuerySet[Recognition]:
    return list_recognitions_for(actor).filter(person=person)


def recognised_person_ids(actor: Actor, *, division_code: str | None = None) -> QuerySet:
    return list_recognitions_for(actor, division_code=division_code, status=Status.RECOGNISED).values_list("person_id", flat=True)


def category_counts(actor: Actor, *, division_code: str | None = None) -> dict[str, int]:
    """Recognised children by category (the dashboard)."""
    rows = (
        list_recognitions_for(actor, division_code=division_code, status=Status.RECOGNISED)
        .order_by()
        .values("category")
        .annotate(n=Count("id"))
    )
    counts = {c.value: 0 for c in Category}
    counts.update({r["category"]: r["n"] for r in rows})
    return counts


def open_counts(actor: Actor, *, division_code: str | None = None) -> dict[str, int]:
    rows = (
        list_recognitions_for(actor, division_code=division_code, status="open")
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = {s.value: 0 for s in OPEN_STATUSES}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def history_of(recognition: Recognition) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.for_case(RECOGNITION, recognition).order_by("occurred_at", "id")


def decisions_of(recognition: Recognition) -> QuerySet[RecognitionDecision]:
    return RecognitionDecision.objects.filter(recognition=recognition).order_by("id")


def reviews_of(recognition: Recognition) -> QuerySet[RecognitionReview]:
    return RecognitionReview.objects.filter(recognition=recognition)


def list_stations_for(actor: Actor) -> QuerySet[ProtectionStation]:
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return ProtectionStation.objects.none()
    return ProtectionStation.objects.visible_to(actor)
