"""家庭经济状况核对: combine the registry's declared figures with the departments' data
(imported through exchange, see imports.py, matched to people through the blind index) into a report that says
where each figure came from, and the facts overrides the rules engine reads.

Rules of combination (documented in docs/assistance.md):
- a member's wage income is the department figure when one exists (税务/人社 工资), else the
  declared one; pensions and social-insurance benefits are transfer income;
- financial assets are the sum of bank and provident-fund records when any exist, else the
  declared household figure;
- vehicles: every vehicle on record with its current value (the most valuable one is tested);
- business registrations and real estate are counted and listed (the engine's property tests
  do not yet read them — shown for the caseworker's judgement);
- a member recorded as deceased in the registry is left out and flagged; a department's death
  report still waiting for the village's check (ADR 0004) is flagged but the member counts —
  nobody is struck off by an unchecked match.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from minzheng.assistance.enums import ImportKind
from minzheng.assistance.facts import MemberOverride, Overrides, members_of
from minzheng.assistance.models import DepartmentRecord
from minzheng.registry.models import Household, Person
from minzheng.registry.selectors import pending_death_report


@dataclass
class CheckReport:
    member_count: int
    household_income_fen: int
    per_capita_income_fen: int
    financial_assets_fen: int
    vehicle_values_fen: list[int]
    real_estate_count: int
    business_count: int
    sources: list[dict] = field(default_factory=list)
    overrides: Overrides = field(default_factory=Overrides)
    deceased_names: list[str] = field(default_factory=list)


DEPT_LABEL = dict(ImportKind.choices)


def build_check_report(*, household: Household | None, person: Person | None, deduction_rate) -> CheckReport:
    """`deduction_rate`: the employment-cost deduction (rules parameter) for the income shown
    here; the engine applies the same rate to the facts itself."""
    members = members_of(household, person)
    ids = [p.pk for p, _ in members]
    records = list(
        DepartmentRecord.objects.filter(person_id__in=ids).order_by("department", "id")
    )
    by_person: dict[int, dict[str, list[DepartmentRecord]]] = defaultdict(lambda: defaultdict(list))
    for r in records:
        by_person[r.person_id][r.department].append(r)

    overrides = Overrides()
    sources: list[dict] = []
    total_income = 0
    counted_members = 0
    deceased: list[str] = []
    assets_from_departments = 0
    has_asset_records = False
    vehicles: list[int] = []
    real_estate = 0
    businesses = 0

    def source(p: Person, item: str, amount_fen: int | None, origin: str) -> None:
        sources.append({"member": p.name, "id_number": p.id_number_masked, "item": item, "amount_fen": amount_fen, "source": origin})

    for p, _relation in members:
        recs = by_person.get(p.pk, {})
        o = MemberOverride()
        if p.is_deceased:
            o.deceased = True
            deceased.append(p.name)
            source(p, "死亡（不计入家庭成员）", None, "人员档案")
            overrides.members[p.pk] = o
            continue
        report = pending_death_report(p.pk)
        if report is not None:
            source(p, f"{report.get_source_display()}报告死亡，待村（社区）核实（仍计入家庭成员）", None, report.reference)
        counted_members += 1
        wage_recs = recs.get(ImportKind.DEPT_WAGES, [])
        if wage_recs:
            o.wage = sum(r.monthly_income_fen for r in wage_recs)
            for r in wage_recs:
                source(p, f"工资性收入（月）{r.item}", r.monthly_income_fen, _origin(r))
        elif p.income_wage_fen:
            source(p, "工资性收入（月）", p.income_wage_fen, "本人申报（人员档案）")
        pension_recs = recs.get(ImportKind.DEPT_PENSION, [])
        if pension_recs:
            o.transfer = sum(r.monthly_income_fen for r in pension_recs)
            for r in pension_recs:
                source(p, f"养老金/社会保险待遇（月）{r.item}", r.monthly_income_fen, _origin(r))
        elif p.income_transfer_fen:
            source(p, "转移净收入（月）", p.income_transfer_fen, "本人申报（人员档案）")
        if p.income_business_fen:
            source(p, "经营净收入（月）", p.income_business_fen, "本人申报（人员档案）")
        if p.income_property_fen:
            source(p, "财产净收入（月）", p.income_property_fen, "本人申报（人员档案）")
        for r in recs.get(ImportKind.DEPT_BUSINESS, []):
            businesses += 1
            source(p, f"工商登记 {r.item}", None, _origin(r))
        for r in recs.get(ImportKind.DEPT_VEHICLE, []):
            vehicles.append(r.asset_value_fen)
            source(p, f"车辆 {r.item}（现值）", r.asset_value_fen, _origin(r))
        for r in recs.get(ImportKind.DEPT_REAL_ESTATE, []):
            real_estate += max(1, r.quantity)
            source(p, f"不动产 {r.item}", r.asset_value_fen or None, _origin(r))
        for kind in (ImportKind.DEPT_DEPOSITS, ImportKind.DEPT_PROVIDENT_FUND):
            for r in recs.get(kind, []):
                has_asset_records = True
                assets_from_departments += r.asset_value_fen
                source(p, f"{'存款及金融资产' if kind == ImportKind.DEPT_DEPOSITS else '住房公积金'} {r.item}", r.asset_value_fen, _origin(r))
        wage = p.income_wage_fen if o.wage is None else o.wage
        transfer = p.income_transfer_fen if o.transfer is None else o.transfer
        # Shown figure: wages after the employment-cost deduction, as the engine counts them.
        counted_wage = int((Decimal(wage) * (1 - Decimal(deduction_rate))).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        total_income += counted_wage + p.income_business_fen + p.income_property_fen + transfer
        overrides.members[p.pk] = o

    if has_asset_records:
        overrides.financial_assets_fen = assets_from_departments
        assets = assets_from_departments
    else:
        assets = household.financial_assets_fen if household is not None else 0
        if assets:
            sources.append({"member": "家庭", "id_number": "", "item": "金融资产", "amount_fen": assets, "source": "家庭申报（家庭档案）"})
    if vehicles:
        overrides.vehicle_values_fen = vehicles
    elif household is not None and household.vehicle_value_fen:
        vehicles = [household.vehicle_value_fen]
        sources.append({"member": "家庭", "id_number": "", "item": "车辆（现值）", "amount_fen": household.vehicle_value_fen, "source": "家庭申报（家庭档案）"})
    per_capita = _divide_half_up(total_income, counted_members) if counted_members else 0
    return CheckReport(
        member_count=counted_members,
        household_income_fen=total_income,
        per_capita_income_fen=per_capita,
        financial_assets_fen=assets,
        vehicle_values_fen=vehicles,
        real_estate_count=real_estate,
        business_count=businesses,
        sources=sources,
        overrides=overrides,
        deceased_names=deceased,
    )


def _origin(record: DepartmentRecord) -> str:
    return f"{DEPT_LABEL.get(record.department, record.department)}（导入批次 {record.batch_id}，第{record.row_number}行）"


def _divide_half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)
