"""Registry endpoints: scoped and masked exactly as the screens."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import Division
from minzheng.divisions.directory import get_directory
from minzheng.registry.access import access_household_by_id, access_person_by_id
from minzheng.registry.selectors import current_members, search_persons

router = Router(tags=["人口与家庭"])
MAX_RESULTS = 50


class PersonOut(Schema):
    id: int
    name: str
    sex: str
    birth_date: dt.date
    id_number: str  # masked
    division_code: str
    division_name: str
    household_id: int | None
    disability_category: str
    disability_grade: int
    is_deceased: bool


class PersonListOut(Schema):
    count: int
    results: list[PersonOut]
    message: str = ""


class MemberOut(Schema):
    person: PersonOut
    relation: str
    since: dt.date


class HouseholdOut(Schema):
    id: int
    division_code: str
    division_name: str
    zone: str
    member_count: int
    head_id: int | None
    members: list[MemberOut]


def person_out(p) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "sex": p.sex,
        "birth_date": p.birth_date,
        "id_number": p.id_number_masked,
        "division_code": p.division_code,
        "division_name": get_directory().path_name(p.division_code),
        "household_id": p.household_id,
        "disability_category": p.disability_category,
        "disability_grade": p.disability_grade,
        "is_deceased": p.is_deceased,
    }


@router.get("/persons", response=PersonListOut)
def list_persons(request, q: str = "", division: Division = ""):
    request.actor.require(Perm.VIEW_REGISTRY)
    qs, query = search_persons(request.actor, q, division_code=division or None)
    rows = list(qs[: MAX_RESULTS + 1]) if query.kind != "empty" else list(qs[:MAX_RESULTS + 1])
    return {"count": min(len(rows), MAX_RESULTS), "results": [person_out(p) for p in rows[:MAX_RESULTS]], "message": query.message}


@router.get("/persons/{person_id}", response=PersonOut)
def get_person(request, person_id: int):
    return person_out(access_person_by_id(request.actor, person_id))


@router.get("/households/{household_id}", response=HouseholdOut)
def get_household(request, household_id: int):
    h = access_household_by_id(request.actor, household_id)
    return {
        "id": h.pk,
        "division_code": h.division_code,
        "division_name": get_directory().path_name(h.division_code),
        "zone": h.zone,
        "member_count": h.member_count,
        "head_id": h.head_id,
        "members": [
            {"person": person_out(m.person), "relation": m.relation, "since": m.valid_from} for m in current_members(h)
        ],
    }
