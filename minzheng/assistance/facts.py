"""The bridge from ORM rows to the rules engine's facts dict (docs/rules.md shape).

`household_facts(...)` reads the registry (current members, declared incomes and property)
and overlays what the economic check verified from other departments' data. Money goes out
as yuan strings with two decimals (exact); the engine parses them to Decimal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from minzheng.core.money import format_yuan
from minzheng.registry.enums import Relation, WorkCapacity
from minzheng.registry.models import Household, Person
from minzheng.registry.selectors import current_members


@dataclass
class MemberOverride:
    """Verified monthly incomes (fen) replacing the declared ones, by kind."""

    wage: int | None = None
    business: int | None = None
    property: int | None = None
    transfer: int | None = None
    deceased: bool = False


@dataclass
class Overrides:
    members: dict[int, MemberOverride] = field(default_factory=dict)  # by person id
    financial_assets_fen: int | None = None
    vehicle_values_fen: list[int] | None = None


def members_of(household: Household | None, person: Person | None) -> list[tuple[Person, str]]:
    """(person, relation) of the current members; a person without a household lives alone."""
    if household is not None:
        return [(m.person, m.relation) for m in current_members(household)]
    assert person is not None
    return [(person, "head")]


def member_facts(person: Person, relation: str, override: MemberOverride | None = None) -> dict:
    o = override or MemberOverride()
    grade = person.disability_grade or 0
    return {
        "id": str(person.pk),
        "relation": relation,
        "birth_date": person.birth_date.isoformat(),
        "sex": person.sex,
        "disability_category": (person.disability_category or None) if grade else None,
        "disability_grade": grade,
        "serious_illness": bool(person.serious_illness),
        "student": bool(person.student),
        "able_to_work": person.work_capacity != WorkCapacity.NONE,
        "has_capable_supporter": bool(person.has_capable_supporter),
        "self_care": person.self_care,
        "child_status": person.child_status or None,
        "in_institution": bool(person.in_institution),
        "monthly_income": {
            "wage": format_yuan(person.income_wage_fen if o.wage is None else o.wage, grouping=False),
            "business": format_yuan(person.income_business_fen if o.business is None else o.business, grouping=False),
            "property": format_yuan(person.income_property_fen if o.property is None else o.property, grouping=False),
            "transfer": format_yuan(person.income_transfer_fen if o.transfer is None else o.transfer, grouping=False),
        },
    }


def household_facts(
    *,
    period: str,
    household: Household | None,
    person: Person | None = None,
    zone: str,
    division_code: str,
    overrides: Overrides | None = None,
) -> dict:
    """The engine input for a household (dibao) or for the household a person lives in
    (tekun, temporary). Deceased members are left out."""
    overrides = overrides or Overrides()
    members = []
    for p, relation in members_of(household, person):
        o = overrides.members.get(p.pk)
        if p.is_deceased or (o is not None and o.deceased):
            continue
        members.append(member_facts(p, relation, o))
    if household is not None:
        assets = household.financial_assets_fen
        vehicles = [household.vehicle_value_fen] if household.vehicle_value_fen else []
        rigid = household.rigid_spending_12m_fen
    else:
        assets, vehicles, rigid = 0, [], 0
    if overrides.financial_assets_fen is not None:
        assets = overrides.financial_assets_fen
    if overrides.vehicle_values_fen is not None:
        vehicles = overrides.vehicle_values_fen
    return {
        "period": period,
        "household": {
            "zone": zone,
            "division_code": division_code,
            "financial_assets": format_yuan(assets, grouping=False),
            "vehicle_values": [format_yuan(v, grouping=False) for v in vehicles],
            "rigid_spending_12m": format_yuan(rigid, grouping=False),
            "members": members,
        },
    }


def snapshot(household: Household | None, person: Person | None) -> dict:
    """What the household looked like at intake — masked: no full ID numbers."""
    rows = []
    for p, relation in members_of(household, person):
        rows.append(
            {
                "person_id": p.pk,
                "name": p.name,
                "relation": relation,
                "relation_label": Relation(relation).label if relation in Relation.values else relation,
                "id_number_masked": p.id_number_masked,
                "birth_date": p.birth_date.isoformat(),
                "disability_grade": p.disability_grade,
                "monthly_income_fen": p.income_wage_fen
                + p.income_business_fen
                + p.income_property_fen
                + p.income_transfer_fen,
            }
        )
    data: dict = {"members": rows}
    if household is not None:
        data.update(
            household_id=household.pk,
            financial_assets_fen=household.financial_assets_fen,
            vehicle_value_fen=household.vehicle_value_fen,
            income_irregular=household.income_irregular,
        )
    return data
