"""Fixtures of the adoption tests: staff in 敦仁街道 and 珍溪镇 and at the district; a married
couple in 大东门社区 (the husband heads the household); an orphan girl living with her
grandmother in 大东门社区."""

from __future__ import annotations

import pytest

from minzheng.adoption import actions
from minzheng.adoption.enums import ASSESSMENT_SECTIONS, DocumentKind, Kind, Placer
from minzheng.children.tests.conftest import staff  # noqa: F401 — the same staff at each level in 敦仁街道 and 珍溪镇
from minzheng.core import clock
from minzheng.registry.actions import do_add_household_member, do_create_household

DADONGMEN = "500102006001"  # 大东门社区, 敦仁街道

ORPHAN_DOCUMENTS = [
    DocumentKind.APPLICATION, DocumentKind.ADOPTER_ID, DocumentKind.MARITAL, DocumentKind.HEALTH, DocumentKind.NO_CRIME,
    DocumentKind.PLACER, DocumentKind.AGREEMENT, DocumentKind.ORPHAN_PROOF,
]  # fmt: skip


@pytest.fixture
def person(make_person, id_number):
    """person(name, birth 'YYYYMMDD', male=True, division=大东门社区)."""
    seq = {"n": 300}

    def make(name: str, birth: str, *, male: bool = True, division: str = DADONGMEN):
        seq["n"] += 2
        return make_person(division, name, id_number=id_number(birth, f"{seq['n'] + (1 if male else 0):03d}"))

    return make


@pytest.fixture
def couple(person, system_actor):
    husband = person("李建国", "19850301", male=True)
    wife = person("陈秀英", "19870615", male=False)
    household = do_create_household(system_actor, head=husband)
    do_add_household_member(system_actor, household, wife, relation="spouse")
    husband.refresh_from_db()
    wife.refresh_from_db()
    return husband, wife


@pytest.fixture
def orphan(person, system_actor):
    """王小花, 6, living with her grandmother (户主) in 大东门社区."""
    grandmother = person("王婆婆", "19580210", male=False)
    household = do_create_household(system_actor, head=grandmother)
    child = person("王小花", "20200501", male=False)
    do_add_household_member(system_actor, household, child, relation="grandchild")
    child.refresh_from_db()
    child.grandmother = grandmother
    return child


def apply(actor, child, adopter, co_adopter=None, *, kind=Kind.ORPHAN, placer=Placer.GUARDIAN, documents=None, **kw):
    data = actions.AdoptionInput(
        child_id=child.pk, adopter_id=adopter.pk, co_adopter_id=co_adopter.pk if co_adopter else None, kind=kind,
        placer=placer, placer_name=kw.pop("placer_name", "王婆婆（祖母，监护人）"),
        adopter_has_spouse=kw.pop("adopter_has_spouse", co_adopter is not None),
        documents=list(ORPHAN_DOCUMENTS if documents is None else documents), **kw,
    )  # fmt: skip
    return actions.do_apply_adoption(actor, data)


def assessment(conclusion="suitable", **kw):
    today = clock.today()
    return actions.AssessmentInput(
        body=kw.pop("body", "bureau"), conclusion=conclusion, summary=kw.pop("summary", "收养动机端正，家庭和睦，具备抚养能力"),
        started_on=kw.pop("started_on", today), reported_on=kw.pop("reported_on", today),
        assessors=kw.pop("assessors", ["赵敏", "钱进"]),
        sections=kw.pop("sections", {key: f"{label}良好" for key, label in ASSESSMENT_SECTIONS}), **kw,
    )  # fmt: skip
