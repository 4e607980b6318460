"""The conditions of the civil code an adoption must meet (民法典 第1093–1105条), checked on a
date with the dated, cited parameters of ``parameters/`` — no number is written here. Each
condition says whether it is met, why (the values against the threshold), the article, and
whether a provisional parameter was used; an exempt condition says which article exempts it.

Other lines may call ``evaluate`` (a check) through this module.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from minzheng.adoption.enums import Conclusion, Kind, Placer
from minzheng.adoption.params import param
from minzheng.core.ages import age_on

# 送养人 by the child's situation (民法典 第1094条; 第1099条 relatives; 第1103条 a step-child's
# birth parent).
PLACERS_OF = {
    Kind.ORPHAN: (Placer.GUARDIAN, Placer.INSTITUTION),
    Kind.FOUNDLING: (Placer.INSTITUTION,),
    Kind.PARENTS_DIFFICULTY: (Placer.BIRTH_PARENTS,),
    Kind.RELATIVE: (Placer.BIRTH_PARENTS, Placer.GUARDIAN),
    Kind.STEPCHILD: (Placer.BIRTH_PARENTS,),
}

# 第1103条: a step-parent is not held to 第1098条 (the adopter's conditions) nor 第1100条第一款.
STEP_EXEMPT = "继父母收养继子女，不受民法典第一千零九十八条、第一千一百条第一款限制（第一千一百零三条）"
# 第1100条第二款: an orphan, a disabled minor, a welfare-institution child whose parents cannot
# be found — not held to 第1098条第（一）项 nor to the count of 第1100条第一款.
COUNT_EXEMPT = "收养孤儿、残疾未成年人或者儿童福利机构抚养的查找不到生父母的未成年人，不受子女数限制（第一千一百条第二款）"
# 第1099条: a same-generation collateral relative's child — not held to the 40-year gap.
RELATIVE_EXEMPT = "收养三代以内旁系同辈血亲的子女，不受年龄相差四十周岁的限制（第一千零九十九条）"


@dataclass(frozen=True)
class Condition:
    code: str
    label: str
    article: str
    passed: bool
    detail: str
    exempt: str = ""
    reference: str = ""
    provisional: bool = False

    def as_dict(self) -> dict:
        return asdict(self)


def _p(name: str, on: dt.date):
    return param(name, on)


def _count_exempt(adoption) -> bool:
    child = adoption.child
    return (
        adoption.kind == Kind.ORPHAN
        or bool(child.disability_category)
        or (adoption.kind == Kind.FOUNDLING and adoption.placer == Placer.INSTITUTION)
    )


def adopters_of(adoption) -> list:
    return [p for p in (adoption.adopter, adoption.co_adopter) if p is not None]


def evaluate(adoption, on: dt.date, *, conclusion: str | None = None) -> list[Condition]:
    """Every condition of the adoption on ``on``; ``conclusion``: the assessment's (the latest
    report's when not given)."""
    child = adoption.child
    kind = adoption.kind
    step = kind == Kind.STEPCHILD
    out: list[Condition] = []

    adult = _p("child.adult_age", on)
    child_age = age_on(child.birth_date, on)
    out.append(Condition(
        "child_minor", "被收养人为未成年人", "民法典第一千零九十三条", child_age < adult.value,
        f"被收养人{child_age}周岁，须未满{adult.value}周岁", reference=adult.reference, provisional=adult.provisional,
    ))

    allowed = PLACERS_OF.get(Kind(kind), ())
    out.append(Condition(
        "placer", "送养人符合规定", "民法典第一千零九十四条", adoption.placer in allowed,
        f"{Kind(kind).label}的送养人应为：{'、'.join(Placer(p).label for p in allowed)}",
    ))
    out.append(Condition(
        "placer_agrees", "送养人（生父母）同意送养", "民法典第一千零九十七条、第一千一百零三条", bool(adoption.placer_agrees),
        "送养人已同意送养" if adoption.placer_agrees else "送养人未同意送养",
    ))

    min_age = _p("adopter.min_age", on)
    for person in adopters_of(adoption):
        age = age_on(person.birth_date, on)
        out.append(Condition(
            "adopter_age", f"收养人{person.name}年满{min_age.value}周岁", "民法典第一千零九十八条第（五）项",
            step or age >= min_age.value, f"{person.name}{age}周岁，须年满{min_age.value}周岁",
            exempt=STEP_EXEMPT if step else "", reference=min_age.reference, provisional=min_age.provisional,
        ))

    exempt_count = STEP_EXEMPT if step else (COUNT_EXEMPT if _count_exempt(adoption) else "")
    max_children = _p("adopter.max_children", on)
    children = adoption.birth_children + adoption.adopted_children
    out.append(Condition(
        "adopter_children", "收养人无子女或者只有一名子女", "民法典第一千零九十八条第（一）项",
        bool(exempt_count) or children <= max_children.value,
        f"收养人现有子女{children}名，不得超过{max_children.value}名",
        exempt=exempt_count, reference=max_children.reference, provisional=max_children.provisional,
    ))
    limit = _p("adopter.max_adoptees_childless" if adoption.birth_children == 0 else "adopter.max_adoptees_with_child", on)
    out.append(Condition(
        "adoptee_count", "收养子女数符合规定", "民法典第一千一百条第一款",
        bool(exempt_count) or adoption.adopted_children + 1 <= limit.value,
        f"{'无' if adoption.birth_children == 0 else '有'}子女的收养人可以收养{limit.value}名子女，已收养{adoption.adopted_children}名",
        exempt=exempt_count, reference=limit.reference, provisional=limit.provisional,
    ))

    out.append(Condition(
        "adopter_health", "收养人未患有医学上认为不应当收养子女的疾病", "民法典第一千零九十八条第（三）项",
        step or not adoption.unsuitable_disease,
        "体检证明载明患有医学上认为不应当收养子女的疾病" if adoption.unsuitable_disease else "体检证明未见不应当收养子女的疾病",
        exempt=STEP_EXEMPT if step else "",
    ))
    out.append(Condition(
        "adopter_record", "收养人无不利于被收养人健康成长的违法犯罪记录", "民法典第一千零九十八条第（四）项",
        step or not adoption.criminal_record,
        "有不利于被收养人健康成长的违法犯罪记录" if adoption.criminal_record else "无违法犯罪记录证明已收件",
        exempt=STEP_EXEMPT if step else "",
    ))
    if conclusion is None:
        latest = adoption.assessments.order_by("-id").first() if adoption.pk else None
        conclusion = latest.conclusion if latest else ""
    out.append(Condition(
        "adopter_ability", "收养人有抚养、教育和保护被收养人的能力（收养评估）", "民法典第一千零九十八条第（二）项、第一千一百零五条",
        step or conclusion == Conclusion.SUITABLE,
        {Conclusion.SUITABLE: "收养评估结论：适合收养", Conclusion.UNSUITABLE: "收养评估结论：不适合收养"}.get(conclusion, "尚未完成收养评估"),
        exempt="继父母收养继子女无需收养评估（民发〔2020〕144号）" if step else "",
    ))

    if not adoption.adopter_has_spouse:
        gap = _p("adopter.single_opposite_sex_age_gap", on)
        adopter = adoption.adopter
        if adopter.sex != child.sex:
            years = age_on(adopter.birth_date, child.birth_date)
            relative = kind == Kind.RELATIVE
            out.append(Condition(
                "age_gap", f"无配偶者收养异性子女，年龄相差{gap.value}周岁以上", "民法典第一千一百零二条",
                relative or years >= gap.value, f"收养人与被收养人年龄相差{years}周岁，须相差{gap.value}周岁以上",
                exempt=RELATIVE_EXEMPT if relative else "", reference=gap.reference, provisional=gap.provisional,
            ))

    if step:
        joint_ok = adoption.adopter_has_spouse and adoption.co_adopter is None
        joint_detail = "继父或者继母收养继子女，收养人须为被收养人生父或者生母的配偶，单独收养"
    else:
        joint_ok = (not adoption.adopter_has_spouse and adoption.co_adopter is None) or (
            adoption.adopter_has_spouse and adoption.co_adopter is not None
        )
        joint_detail = (
            "有配偶者收养子女，应当夫妻共同收养"
            if adoption.adopter_has_spouse
            else ("无配偶者单独收养" if adoption.co_adopter is None else "共同收养人须为收养人的配偶")
        )
    out.append(Condition("joint", "有配偶者夫妻共同收养", "民法典第一千一百零一条", joint_ok, joint_detail))

    consent = _p("child.consent_age", on)
    if child_age >= consent.value:
        out.append(Condition(
            "child_consent", f"被收养人（{consent.value}周岁以上）同意被收养", "民法典第一千一百零四条", bool(adoption.child_consents),
            f"被收养人{child_age}周岁，{'已' if adoption.child_consents else '未'}书面同意被收养",
            reference=consent.reference, provisional=consent.provisional,
        ))
    return out


def unmet(conditions: list[Condition]) -> list[Condition]:
    return [c for c in conditions if not c.passed]


def refusal_text(conditions: list[Condition]) -> str:
    """"不符合：…；…" — every unmet condition with its reason."""
    return "；".join(f"{c.label}（{c.article}：{c.detail}）" for c in unmet(conditions))
