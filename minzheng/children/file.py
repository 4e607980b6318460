"""一人一档: one child's file across the lines, read through each line's public modules.

- identity (masked ID), disability, illness, school flag: the registry's person;
- the household and its members: the registry (``current_members``);
- guardians and their status: the recognitions (the guardian named on each) and the adult
  members of the household;
- school and health: this line's ``ChildProfile``;
- every allowance: assistance's enrolments of the child or its household (``list_enrolments_for``);
- visits and the 三留守 entry: discovery's left-behind registry (``list_left_behind_for``);
- assessments and cases: this line's recognitions, decisions and reviews.

The read is scoped (the person through ``access_person_by_id``: another village's child is
NotFound) and audited once as 查看儿童档案.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from minzheng.accounts.actor import Actor
from minzheng.assistance.enums import PROGRAM_SHORT
from minzheng.assistance.selectors import list_enrolments_for
from minzheng.children.models import ChildProfile, Recognition
from minzheng.children.enums import Category, Status
from minzheng.children.services import file_sections
from minzheng.children.selectors import (
    assessments_of,
    care_plans_of,
    decisions_of,
    left_behind_entry,
    recognitions_of_person,
    residencies_of_person,
    reviews_of,
)
from minzheng.core import clock
from minzheng.core.ages import age_on
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.masking import mask_name
from minzheng.discovery.selectors import list_left_behind_for
from minzheng.registry.access import access_person_by_id
from minzheng.registry.enums import Relation
from minzheng.registry.models import Person
from minzheng.registry.selectors import current_members


@dataclass
class ChildFile:
    person: Person
    age: int
    profile: ChildProfile | None
    members: list[dict] = field(default_factory=list)
    guardians: list[dict] = field(default_factory=list)
    allowances: list[dict] = field(default_factory=list)
    left_behind: list = field(default_factory=list)
    visits: list = field(default_factory=list)
    recognitions: list[Recognition] = field(default_factory=list)
    decisions: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    left_behind_entry: object = None  # discovery's 农村留守儿童 entry (active first)
    assessments: list = field(default_factory=list)  # 留守儿童评估
    care_plans: list = field(default_factory=list)  # 关爱服务计划, the current one first
    residencies: list = field(default_factory=list)  # 儿童福利院 stays
    visit_cadence: str = ""  # the working default of 儿童主任 visits for this child (参数待确认)
    extensions: list = field(default_factory=list)  # sections other lines add (services.register_file_section)


def child_file(actor: Actor, person_id: object) -> ChildFile:
    person = access_person_by_id(actor, person_id, audit=False)
    record_audit_event(
        actor, AuditAction.VIEW, object_type="child_file", object_id=person.pk, division_code=person.division_code,
        summary=f"查看儿童档案 {mask_name(person.name)}（{person.id_number_masked}）",
    )
    today = clock.today()
    file = ChildFile(
        person=person, age=age_on(person.birth_date, today), profile=ChildProfile.objects.filter(person=person).first()
    )
    household = person.household if person.household_id else None
    if household is not None:
        for m in current_members(household).select_related("person"):
            if m.person_id == person.pk:
                continue
            row = {
                "name": m.person.name, "id_number_masked": m.person.id_number_masked,
                "relation": Relation(m.relation).label if m.relation in Relation.values else m.relation,
                "age": age_on(m.person.birth_date, today), "deceased": m.person.is_deceased,
                "disability_grade": m.person.disability_grade,
            }
            file.members.append(row)
            if row["age"] >= 18:
                file.guardians.append({"name": row["name"], "relation": f"家庭成员（{row['relation']}）", "status": "已死亡" if row["deceased"] else ""})
    file.recognitions = list(recognitions_of_person(actor, person).select_related("guardian"))
    for r in file.recognitions:
        if r.guardian_id:
            file.guardians.insert(0, {
                "name": r.guardian.name, "relation": r.guardian_relation or "监护人",
                "status": r.get_guardian_status_display() if r.guardian_status else "", "source": r.number,
            })
        file.decisions.extend(decisions_of(r))
        file.reviews.extend(reviews_of(r))
    subject = Q(subject_kind="person", subject_id=person.pk)
    if person.household_id:
        subject |= Q(subject_kind="household", subject_id=person.household_id)
    for e in list_enrolments_for(actor).filter(subject).order_by("-start_month"):
        file.allowances.append({
            "program": PROGRAM_SHORT.get(e.program, e.get_program_display()), "amount_fen": e.amount_fen,
            "status": e.get_status_display(), "start_month": e.start_month, "end_month": e.end_month,
            "household": e.subject_kind == "household",
        })
    file.left_behind = list(list_left_behind_for(actor, active=False).filter(person=person))
    for entry in file.left_behind:
        file.visits.extend(entry.visits.all()[:20])
    file.visits.sort(key=lambda v: v.visited_at, reverse=True)
    file.left_behind_entry = left_behind_entry(actor, person)
    file.assessments = list(assessments_of(actor, person)[:20])
    file.care_plans = list(care_plans_of(actor, person)[:10])
    file.residencies = list(residencies_of_person(actor, person))
    file.visit_cadence = visit_cadence(file)
    file.extensions = file_sections(actor, person)
    return file


def visit_cadence(file: ChildFile) -> str:
    """How often the 儿童主任 visits, by the working default (service-lines, provisional):
    monthly for 困境 and 事实无人抚养 children, quarterly for other left-behind children."""
    live = {r.category for r in file.recognitions if r.status == Status.RECOGNISED}
    if live & {Category.HARDSHIP, Category.DE_FACTO_UNSUPPORTED}:
        return "每月走访一次（困境儿童、事实无人抚养儿童）"
    if file.left_behind_entry is not None:
        return "每季度走访一次（农村留守儿童）"
    return ""

