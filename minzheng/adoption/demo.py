"""Demo data of the adoption line (``minzheng demo``): in each demo village (大东门社区 of 敦仁街道,
兴盛社区 of 珍溪镇) one adoption registered this year (a married couple adopting a child of the
village whose guardian places it: certificate, assessment report, 回访 scheduled), one waiting
in 登记审查 and one refused for unmet conditions — each through the line's own actions, as the
district registrar (the system actor). Idempotent: a second run adds nothing."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.adoption import actions
from minzheng.adoption.enums import (
    ASSESSMENT_SECTIONS,
    AssessmentBody,
    Conclusion,
    DocumentKind,
    Kind,
    Placer,
)
from minzheng.adoption.models import Adoption
from minzheng.core import clock
from minzheng.core.ages import age_on
from minzheng.core.errors import DomainError
from minzheng.registry.enums import Relation
from minzheng.registry.models import HouseholdMembership, Person

DEMO_VILLAGES = ("500102006001", "500102119001")
DOCUMENTS = [
    DocumentKind.APPLICATION, DocumentKind.ADOPTER_ID, DocumentKind.MARITAL, DocumentKind.HEALTH, DocumentKind.NO_CRIME,
    DocumentKind.PLACER, DocumentKind.AGREEMENT, DocumentKind.ORPHAN_PROOF, DocumentKind.CHILD_CONSENT,
]  # fmt: skip


def _couples(village: str, today) -> list[tuple[Person, Person, int]]:
    """Married couples of the village, both 32–50, with at most one child of their own."""
    out = []
    spouses = HouseholdMembership.objects.filter(division_code=village, relation=Relation.SPOUSE, valid_to__isnull=True).select_related("person", "household__head")
    for m in spouses.order_by("id")[:200]:
        head, spouse = m.household.head, m.person
        if head is None or head.is_deceased or spouse.is_deceased:
            continue
        if not all(32 <= age_on(p.birth_date, today) <= 50 for p in (head, spouse)):
            continue
        children = HouseholdMembership.objects.filter(household=m.household, relation=Relation.CHILD, valid_to__isnull=True).count()
        if children <= 1:
            out.append((head, spouse, children))
    return out


def _children(village: str, today, taken: set[int]) -> list[Person]:
    kids = Person.objects.filter(division_code=village, is_deceased=False, child_status="").order_by("id")
    return [k for k in kids[:400] if 3 <= age_on(k.birth_date, today) <= 12 and k.pk not in taken and k.household_id][:10]


def _assessment(conclusion: str, today) -> actions.AssessmentInput:
    return actions.AssessmentInput(
        body=AssessmentBody.BUREAU, conclusion=conclusion, started_on=today, reported_on=today, assessors=["区民政局评估组甲", "区民政局评估组乙"],
        summary="收养动机端正，家庭关系和睦，具备抚养教育能力" if conclusion == Conclusion.SUITABLE else "家庭经济和住房条件不足以抚养被收养人",
        sections={key: f"{label}：经入户走访和面谈，情况良好" for key, label in ASSESSMENT_SECTIONS},
    )  # fmt: skip


def _apply(actor, child, head, spouse, children: int) -> Adoption:
    return actions.do_apply_adoption(
        actor,
        actions.AdoptionInput(
            child_id=child.pk, adopter_id=head.pk, co_adopter_id=spouse.pk, kind=Kind.ORPHAN, placer=Placer.GUARDIAN,
            placer_name="被收养人的监护人", adopter_has_spouse=True, birth_children=children, child_consents=True,
            documents=DOCUMENTS, situation="夫妻双方身体健康，有稳定收入",
        ),
    )  # fmt: skip


def seed_demo(*, seed: int = 2021, scale: float = 1.0, actor: Actor | None = None) -> dict:
    if Adoption.objects.exists():
        return {"收养登记": "演示数据已存在，未改动"}
    actor = actor or Actor.system("收养登记演示数据")
    today = clock.today()
    made = {"registered": 0, "review": 0, "refused": 0}
    for village in DEMO_VILLAGES:
        couples = _couples(village, today)
        used: set[int] = {p.pk for c in couples for p in c[:2]}
        kids = _children(village, today, used)
        for step, ((head, spouse, children), child) in zip(("registered", "review", "refused"), zip(couples, kids)):
            try:
                a = _apply(actor, child, head, spouse, children)
                a = actions.do_accept_adoption(actor, a, expected_version=a.version)
                conclusion = Conclusion.UNSUITABLE if step == "refused" else Conclusion.SUITABLE
                a = actions.do_record_assessment(actor, a, expected_version=a.version, data=_assessment(conclusion, today))
                if step == "registered":
                    actions.do_register_adoption(actor, a, expected_version=a.version)
                elif step == "refused":
                    actions.do_refuse_adoption(actor, a, expected_version=a.version)
            except DomainError:
                continue
            made[step] += 1
    return {"收养登记": f"已登记{made['registered']}件，审查中{made['review']}件，不予登记{made['refused']}件"}
