"""Lists of the child-welfare line, always within the actor's divisions. Other lines (and
planning) read children through these functions."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.children.enums import OPEN_STATUSES, Category, Status, WorkerRole
from minzheng.core import clock
from minzheng.divisions.directory import get_directory
from minzheng.children.models import ChildWorker, ProtectionStation, Recognition, RecognitionDecision, RecognitionReview
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


def list_child_workers_for(actor: Actor, *, active: bool = True) -> QuerySet[ChildWorker]:
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return ChildWorker.objects.none()
    qs = ChildWorker.objects.visible_to(actor)
    return qs.filter(active=True) if active else qs


def worker_coverage(actor: Actor) -> list[dict]:
    """By town in the actor's scope: has a 儿童督导员, villages with a 儿童主任 / villages, and
    how many workers were trained this year."""
    directory = get_directory()
    workers = list(list_child_workers_for(actor))
    supervised = {w.division_code for w in workers if w.role == WorkerRole.SUPERVISOR}
    directed = {w.division_code for w in workers if w.role == WorkerRole.DIRECTOR}
    year = str(clock.today().year)
    trained = {w.division_code for w in workers if any(t["on"].startswith(year) for t in w.trainings)}
    rows = []
    for town in directory.towns():
        villages = [v.code for v in directory.villages(town.code)]
        if not any(actor.covers(v) for v in villages) and not actor.covers(town.code):
            continue
        rows.append({
            "code": town.code, "name": town.name, "supervisor": town.code in supervised,
            "villages": len(villages), "directors": sum(1 for v in villages if v in directed),
            "trained": sum(1 for v in [town.code, *villages] if v in trained),
        })
    return rows
