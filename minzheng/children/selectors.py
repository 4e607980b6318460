"""Lists of the child-welfare line, always within the actor's divisions. Other lines (and
planning) read children through these functions."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.core.errors import NotFound
from minzheng.cases.models import CaseEvent
from minzheng.assistance.selectors import payment_totals
from minzheng.children.enums import ALLOWANCE_PROGRAM, OPEN_STATUSES, Category, Placement, Status, WorkerRole
from minzheng.core import clock
from minzheng.core.periods import period_of
from minzheng.discovery.enums import LeftBehindCategory
from minzheng.discovery.selectors import list_left_behind_for
from minzheng.eldercare.selectors import village_points
from minzheng.divisions.directory import get_directory
from minzheng.children.models import (
    CarePlan,
    ChildWorker,
    InstitutionResident,
    LeftBehindAssessment,
    ProtectionStation,
    Recognition,
    RecognitionPhoto,
    RecognitionDecision,
    RecognitionReview,
    WelfareInstitution,
)
from minzheng.children.workflow import RECOGNITION
from minzheng.registry.models import Person
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.selectors import current_household_of, current_members


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


def allowances_paid(actor: Actor, *, period: str | None = None, division_code: str | None = None) -> dict:
    """The child allowances the payroll paid in a month (default: this month) within the
    actor's divisions: persons and amount per allowance, and the total (assistance's batches)."""
    month = period or period_of(clock.today())
    programs = tuple(ALLOWANCE_PROGRAM.values())
    paid = payment_totals(actor, programs=programs, period=month, division_code=division_code)
    rows = [
        {"category": str(c), "label": Category(c).label, "program": p, **paid[p]}
        for c, p in ALLOWANCE_PROGRAM.items()
    ]
    return {
        "period": month, "rows": rows,
        "persons": sum(r["persons"] for r in rows), "amount_fen": sum(r["amount_fen"] for r in rows),
    }


def history_of(recognition: Recognition) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.for_case(RECOGNITION, recognition).order_by("occurred_at", "id")


def photos_of(recognition: Recognition) -> QuerySet[RecognitionPhoto]:
    """The photos of papers the guardian sent from the phone (read through the case's scoped access path)."""
    return recognition.photos.order_by("id")


def access_photo_by_id(actor: Actor, photo_id: object) -> RecognitionPhoto:
    actor.require(RegistryPerm.VIEW_REGISTRY)
    return access_by_id(RecognitionPhoto.objects.all(), actor, photo_id)


# The citizens' site (issue 22): a family's own cases, nobody else's.


def recognitions_of_family(person: Person) -> QuerySet[Recognition]:
    """The recognitions of which the citizen is the guardian, or whose child is the citizen or
    a member of their current household. Newest first."""
    people = [person.pk]
    household = current_household_of(person)
    if household is not None:
        people += [m.person_id for m in current_members(household)]
    return Recognition.objects.filter(Q(guardian=person) | Q(person_id__in=people)).order_by("-submitted_on", "-id")


def recognition_of_family(person: Person, recognition_id: object) -> Recognition:
    """One of ``person``'s family's recognitions, else NotFound (missing and not theirs alike)."""
    try:
        pk = int(str(recognition_id))
    except ValueError:
        raise NotFound() from None
    recognition = recognitions_of_family(person).select_related("person").filter(pk=pk).first()
    if recognition is None:
        raise NotFound()
    return recognition


_HANDLER = {
    Status.SUBMITTED: "村（社区）收取材料、乡镇（街道）审核",
    Status.PUBLICITY: "在村（社区）公示",
    Status.DECISION: "区民政局认定",
    Status.RECOGNISED: "已认定",
    Status.REFUSED: "已办结",
    Status.ENDED: "已终止",
}


def handler_of(recognition: Recognition) -> str:
    """Who has the case now, in the words a family understands."""
    return _HANDLER.get(recognition.status, "")


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


# ----------------------------------------------------------------------------------------------
# 儿童福利院
# ----------------------------------------------------------------------------------------------

_FACILITIES = Actor.system("儿童福利机构（公共服务设施）")


def list_institutions_for(actor: Actor) -> QuerySet[WelfareInstitution]:
    """Institutions are district facilities that take children of every town: every member of
    staff sees the facility and its beds (never its residents outside their divisions)."""
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return WelfareInstitution.objects.none()
    return WelfareInstitution.objects.visible_to(_FACILITIES).order_by("id")


def occupancy(institution: WelfareInstitution) -> dict:
    """Beds, children living there now (all divisions: a count), free beds and the rate (%)."""
    residents = (
        InstitutionResident.objects.visible_to(_FACILITIES)
        .filter(institution_id=institution.pk, discharged_on__isnull=True)
        .count()
    )
    beds = institution.beds
    return {
        "beds": beds, "residents": residents, "free": max(beds - residents, 0),
        "rate": round(100.0 * residents / beds, 1) if beds else None,
    }


def list_residents_for(actor: Actor, institution: WelfareInstitution | None = None, *, current: bool = True) -> QuerySet[InstitutionResident]:
    """Residents within the actor's divisions (the child's own village)."""
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return InstitutionResident.objects.none()
    qs = InstitutionResident.objects.visible_to(actor).select_related("person", "institution", "recognition")
    if institution is not None:
        qs = qs.filter(institution_id=institution.pk)
    if current:
        qs = qs.filter(discharged_on__isnull=True)
    return qs.order_by("-admitted_on", "-id")


def residencies_of_person(actor: Actor, person) -> QuerySet[InstitutionResident]:
    return list_residents_for(actor, current=False).filter(person_id=person.pk)


def institutional_without_residency(actor: Actor) -> QuerySet[Recognition]:
    """机构养育 (集中供养) orphans and de-facto unsupported children recognised but not living in
    a registered institution: the link to check."""
    living = InstitutionResident.objects.visible_to(actor).filter(discharged_on__isnull=True).values("person_id")
    return (
        list_recognitions_for(actor, status=Status.RECOGNISED)
        .filter(placement=Placement.INSTITUTIONAL, category__in=list(ALLOWANCE_PROGRAM))
        .exclude(person_id__in=living)
    )


# ----------------------------------------------------------------------------------------------
# 农村留守儿童: assessments and 关爱服务 plans
# ----------------------------------------------------------------------------------------------


def assessments_of(actor: Actor, person) -> QuerySet[LeftBehindAssessment]:
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return LeftBehindAssessment.objects.none()
    return LeftBehindAssessment.objects.visible_to(actor).filter(person_id=person.pk).order_by("-assessed_on", "-id")


def care_plans_of(actor: Actor, person) -> QuerySet[CarePlan]:
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return CarePlan.objects.none()
    return CarePlan.objects.visible_to(actor).filter(person_id=person.pk).order_by("-current", "-made_on", "-id")


def care_plans_due(actor: Actor, *, on=None) -> QuerySet[CarePlan]:
    """Current plans whose review date has come (复评 due)."""
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return CarePlan.objects.none()
    return CarePlan.objects.visible_to(actor).filter(current=True, review_on__lte=on or clock.today()).select_related("person")


def left_behind_entry(actor: Actor, person):
    """The child's entry on discovery's 三留守 registry (农村留守儿童), active first; None if
    the child is not on it."""
    return (
        list_left_behind_for(actor, category=LeftBehindCategory.CHILD, active=False)
        .filter(person_id=person.pk)
        .order_by("-active", "-registered_on", "-id")
        .first()
    )


def network_coverage(actor: Actor) -> dict:
    """The protection network by town and village in the actor's scope: a town has its
    未成年人保护工作站 (established by today) and its 儿童督导员; a village its 儿童主任. For the
    map (points from eldercare's village locations; a town at the centre of its villages) and
    the tables below it."""
    directory = get_directory()
    today = clock.today()
    stations = {s.division_code: s for s in list_stations_for(actor).filter(established_on__lte=today)}
    workers = list(list_child_workers_for(actor))
    supervisors = {w.division_code: w for w in workers if w.role == WorkerRole.SUPERVISOR}
    directors = {w.division_code: w for w in workers if w.role == WorkerRole.DIRECTOR}
    points = village_points(actor)
    towns, villages = [], []
    for town in directory.towns():
        codes = [v.code for v in directory.villages(town.code)]
        mine = [c for c in codes if actor.covers(c)]
        if not mine and not actor.covers(town.code):
            continue
        located = [points[c] for c in codes if c in points]
        centre = (
            (round(sum(p[0] for p in located) / len(located), 5), round(sum(p[1] for p in located) / len(located), 5))
            if located else None
        )
        towns.append({
            "code": town.code, "name": town.name, "station": town.code in stations,
            "station_name": stations[town.code].name if town.code in stations else "",
            "supervisor": town.code in supervisors, "villages": len(mine),
            "directors": sum(1 for c in mine if c in directors), "point": centre,
        })
        for code in mine:
            villages.append({
                "code": code, "name": directory.name(code), "town": town.name, "director": code in directors,
                "point": points.get(code),
            })
    return {
        "towns": towns, "villages": villages,
        "towns_with_station": sum(1 for t in towns if t["station"]),
        "villages_with_director": sum(1 for v in villages if v["director"]),
    }
