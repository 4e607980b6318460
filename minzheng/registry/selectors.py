"""List reads of the registry, always through visible_to(actor)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import prefix_q
from minzheng.core import clock
from minzheng.core.ages import born_by
from minzheng.core.crypto import blind_index
from minzheng.core.idnumber import InvalidIdNumber, parse_id_number
from minzheng.divisions.directory import DivisionInfo, get_directory
from minzheng.registry.enums import DeathReportStatus
from minzheng.registry.models import DeathReport, Household, HouseholdMembership, Person

_INITIALS_RE = re.compile(r"^[a-zA-Z]{1,20}$")
_HIGH = "\U0010ffff"


@dataclass(frozen=True)
class PersonQuery:
    kind: str  # id_number | name | initials | empty | invalid
    value: str
    message: str = ""


def classify_query(q: str) -> PersonQuery:
    q = (q or "").strip()
    if not q:
        return PersonQuery("empty", "")
    if q[:1].isdigit():
        try:
            return PersonQuery("id_number", parse_id_number(q).value)
        except InvalidIdNumber as e:
            return PersonQuery("invalid", q, f"按身份证号码查询须输入完整号码：{e.message}")
    if _INITIALS_RE.match(q):
        return PersonQuery("initials", q.lower())
    return PersonQuery("name", q)


def list_persons_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[Person]:
    if not actor.has(Perm.VIEW_REGISTRY):
        return Person.objects.none()
    return Person.objects.within(actor, division_code)


def search_persons(
    actor: Actor, q: str, *, division_code: str | None = None, include_deceased: bool = True
) -> tuple[QuerySet[Person], PersonQuery]:
    """Exact ID number (via the blind index), name prefix, or pinyin-initials prefix.

    Prefixes are b-tree range scans (value >= q AND value < q+U+10FFFF) so both databases
    use the (name, division_code) and (name_initials, division_code) indexes.
    """
    query = classify_query(q)
    qs = list_persons_for(actor, division_code=division_code)
    if query.kind == "id_number":
        qs = qs.filter(id_number_index=blind_index(query.value))
    elif query.kind == "name":
        qs = qs.filter(name__gte=query.value, name__lt=query.value + _HIGH)
    elif query.kind == "initials":
        qs = qs.filter(name_initials__gte=query.value, name_initials__lt=query.value + _HIGH)
    elif query.kind == "invalid":
        qs = qs.none()
    if not include_deceased:
        qs = qs.filter(is_deceased=False)
    if query.kind == "name":
        qs = qs.order_by("name", "division_code", "id")
    elif query.kind == "initials":
        qs = qs.order_by("name_initials", "division_code", "id")
    else:
        qs = qs.order_by("id")
    return qs, query


_TAIL_RE = re.compile(r"^\d{3}[\dXx]$")
PICK_LIMIT = 8


def pick_persons(actor: Actor, q: str, *, limit: int = PICK_LIMIT) -> tuple[list[Person], PersonQuery]:
    """The person picker's search: a name or pinyin-initials prefix, the full ID number, or
    its last four characters (the part the masked number shows), among the living people in
    the actor's scope; at most ``limit`` rows (the picker asks for a narrower query beyond)."""
    q = (q or "").strip()
    if _TAIL_RE.match(q):
        query = PersonQuery("tail", q.upper())
        qs = list_persons_for(actor).filter(is_deceased=False, id_number_masked__endswith=query.value).order_by("name", "id")
    elif q[:1].isdigit() and len(q) not in (15, 18):
        return [], PersonQuery("invalid", q, "请输入身份证号码后4位或完整号码")
    else:
        qs, query = search_persons(actor, q, include_deceased=False)
        if query.kind == "empty":
            return [], query
    return list(qs.only("id", "name", "sex", "birth_date", "id_number_masked", "division_code", "household_id")[: limit + 1]), query


def list_households_for(actor: Actor, *, division_code: str | None = None) -> QuerySet[Household]:
    if not actor.has(Perm.VIEW_REGISTRY):
        return Household.objects.none()
    return Household.objects.within(actor, division_code)


def current_members(household: Household) -> QuerySet[HouseholdMembership]:
    return (
        HouseholdMembership.objects.filter(household=household, valid_to__isnull=True)
        .select_related("person")
        .order_by("id")
    )


def membership_history(household: Household) -> QuerySet[HouseholdMembership]:
    return HouseholdMembership.objects.filter(household=household).select_related("person").order_by("valid_from", "id")


AGE_BANDS = (("0–17岁", 0, 18), ("18–59岁", 18, 60), ("60–69岁", 60, 70), ("70–79岁", 70, 80), ("80–89岁", 80, 90), ("90岁及以上", 90, 200))


def division_statistics(actor: Actor, division_code: str, *, today: dt.date | None = None) -> dict:
    """Counts by age band, disability and household size — one aggregate query each."""
    today = today or clock.today()
    people = list_persons_for(actor, division_code=division_code).filter(is_deceased=False)
    age_aggs = {}
    for label, lo, hi in AGE_BANDS:
        # born after cutoff(hi) and on/before cutoff(lo)
        cond = Q(birth_date__lte=born_by(today, lo)) & Q(birth_date__gt=born_by(today, hi))
        age_aggs[label] = Count("id", filter=cond)
    disability_aggs = {f"grade_{g}": Count("id", filter=Q(disability_grade=g)) for g in (1, 2, 3, 4)}
    totals = people.aggregate(total=Count("id"), **age_aggs, **disability_aggs)
    by_category = dict(
        people.filter(disability_grade__gt=0)
        .values_list("disability_category")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("disability_category", "n")
    )
    sizes = dict(
        list_households_for(actor, division_code=division_code)
        .filter(member_count__gt=0)
        .values_list("member_count")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("member_count", "n")
    )
    size_rows = {"1人": 0, "2人": 0, "3人": 0, "4人": 0, "5人及以上": 0}
    for size, n in sizes.items():
        size_rows["5人及以上" if size >= 5 else f"{size}人"] += n
    return {
        "total": totals.pop("total"),
        "age_bands": {label: totals[label] for label, _, _ in AGE_BANDS},
        "disability_grades": {g: totals[f"grade_{g}"] for g in (1, 2, 3, 4)},
        "disability_categories": by_category,
        "household_sizes": size_rows,
        "households": sum(sizes.values()),
    }


def visible_child_divisions(actor: Actor, code: str) -> list[DivisionInfo]:
    """The divisions directly under `code` that this actor covers (the links of a division page)."""
    return [c for c in get_directory().children.get(code, []) if actor.covers(c.code)]


__all__ = [
    "search_persons",
    "pick_persons",
    "list_persons_for",
    "list_households_for",
    "current_members",
    "membership_history",
    "division_statistics",
    "visible_child_divisions",
    "prefix_q",
]


def registered_indexes(indexes: list[str]) -> set[str]:
    """Which of these ID-number blind indexes are registered anywhere in the district (not
    scoped: an importer is told "registered outside your division", never who or where)."""
    return set(Person.objects.filter(id_number_index__in=indexes).values_list("id_number_index", flat=True)) if indexes else set()


def current_household_ids(person_ids: list[int]) -> dict[int, int]:
    """{person id: the household the person belongs to now} for those who belong to one."""
    rows = HouseholdMembership.objects.filter(person_id__in=person_ids, valid_to__isnull=True).values_list("person_id", "household_id")
    return dict(rows) if person_ids else {}
# ---------------------------------------------------------------------------------------------
# Death reports (ADR 0004)
# ---------------------------------------------------------------------------------------------


def list_death_reports_for(
    actor: Actor, *, status: str | None = "pending", division_code: str | None = None
) -> QuerySet[DeathReport]:
    """The death reports in the user's scope (pending ones by default), oldest first."""
    actor.require(Perm.VIEW_REGISTRY)
    qs = DeathReport.objects.visible_to(actor).select_related("person")
    if status:
        qs = qs.filter(status=status)
    if division_code:
        qs = qs.filter(prefix_q(division_code))
    return qs.order_by("reported_at", "id")


def death_reports_of(person: Person) -> QuerySet[DeathReport]:
    """Every report about one (already accessed) person, newest first."""
    return DeathReport.objects.filter(person=person).order_by("-id")


def pending_death_report(person_id: int) -> DeathReport | None:
    """The person's pending report, for other lines (e.g. the economic check's flag)."""
    return DeathReport.objects.filter(person_id=person_id, status=DeathReportStatus.PENDING).first()


def person_names(actor: Actor, person_ids) -> dict[int, str]:
    """{id: name} of the people among the ids the actor may see (for one page of a list)."""
    return dict(Person.objects.visible_to(actor).filter(pk__in=list(person_ids)).values_list("pk", "name"))


def household_heads(actor: Actor, household_ids) -> dict[int, tuple[int | None, str]]:
    """{household id: (head's person id, head's name)} of the households the actor may see."""
    return {
        pk: (head_id, name or "")
        for pk, head_id, name in Household.objects.visible_to(actor).filter(pk__in=list(household_ids)).values_list("pk", "head_id", "head__name")
    }


def household_head_names(actor: Actor, household_ids) -> dict[int, str]:
    """{household id: head's name} of the households among the ids the actor may see."""
    return dict(Household.objects.visible_to(actor).filter(pk__in=list(household_ids)).values_list("pk", "head__name"))


def find_person_by_id_number(actor: Actor, id_number: str) -> Person | None:
    """The person with this (valid, normalised) ID number if the actor may see them."""
    return Person.objects.visible_to(actor).filter(id_number_index=blind_index(id_number)).first()
