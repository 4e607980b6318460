"""Money bounds from policy (issue 20, item 2): the most one month of a program can pay, per
person it covers, read from the dated parameters the rules engine uses — never a number of our
own. An amount typed or adjusted above it is refused, and the payroll refuses a batch holding
one, naming it.

Why each bound holds:
- 低保 fills the gap between the standard and the household's income per head, and a decided
  amount includes the 分类施保 lines, whose three per-person amounts stack
  (dibao.addon.amount.*): a month pays at most (the zone's standard + the three) × the people
  covered; 分类施保加发 paid alone, at most the three;
- 特困供养: the basic standard plus the highest care subsidy (全护理);
- 孤儿 / 事实无人抚养儿童: the higher of the institutional and scattered standards;
- 两项补贴: the subsidy's amount;
- 临时救助: the per-case cap (一事一议 included), whatever the household's size.
价格临时补贴 (computed each month from the CPI by the engine, never typed) keeps the general
ceiling of core.money.
"""

from __future__ import annotations

import datetime as dt

from minzheng.assistance.engine import parameter
from minzheng.core.money import format_yuan, to_decimal, yuan_to_fen

ZONES = ("urban", "rural")


def _fen(name: str, on: dt.date) -> int:
    return yuan_to_fen(to_decimal(parameter(name, on)))


ADDONS = ("dibao.addon.amount.severe_disability_illness_or_aged", "dibao.addon.amount.child_or_student", "dibao.addon.amount.disability")


def _addons(on: dt.date) -> int:
    return sum(_fen(name, on) for name in ADDONS)


def _dibao(zone: str, on: dt.date) -> tuple[int, str]:
    if zone in ZONES:
        standard, label = _fen(f"dibao.standard.{zone}", on), ("城市" if zone == "urban" else "农村") + "低保标准"
    else:
        standard, label = max(_fen(f"dibao.standard.{z}", on) for z in ZONES), "低保标准（城乡较高者）"
    return standard + _addons(on), f"{label}与分类施保各项加发之和"


def _max(names: tuple[str, ...], label: str):
    return lambda zone, on: (max(_fen(n, on) for n in names), label)


def _tekun(zone: str, on: dt.date) -> tuple[int, str]:
    care = max(_fen(f"tekun.care.{tier}", on) for tier in ("able", "partly_unable", "unable"))
    return _fen("tekun.basic_standard", on) + care, "特困人员基本生活标准与最高照料护理补贴之和"


PER_PERSON = {
    "dibao": _dibao,
    "dibao_addon": lambda zone, on: (_addons(on), "分类施保各项加发之和"),
    "tekun": _tekun,
    "orphan_allowance": _max(("children.orphan.institutional", "children.orphan.scattered"), "孤儿基本生活保障标准"),
    "defacto_child_allowance": _max(
        ("children.de_facto_unsupported.institutional", "children.de_facto_unsupported.scattered"), "事实无人抚养儿童基本生活补贴标准"
    ),
    "disability_living_subsidy": lambda zone, on: (_fen("disability.living_subsidy.amount", on), "困难残疾人生活补贴标准"),
    "severe_disability_care_subsidy": lambda zone, on: (_fen("disability.care_subsidy.amount", on), "重度残疾人护理补贴标准"),
}


PER_CASE = {
    "temporary": lambda on: (_fen("temporary_assistance.case_cap", on), "临时救助每案救助金额上限"),
}


def per_person_ceiling(program: str, zone: str, on: dt.date) -> tuple[int, str] | None:
    """(fen, what it is) for one person covered, in force on the day; None: no policy bound."""
    bound = PER_PERSON.get(program)
    return bound(zone, on) if bound is not None else None


def ceiling_error(program: str, *, zone: str, people_covered: int, amount_fen: int, on: dt.date, label: str = "月发放金额") -> str:
    """"" when the amount is within the policy bound, else the Chinese reason naming the bound."""
    if program in PER_CASE:
        cap, what = PER_CASE[program](on)
        return "" if amount_fen <= cap else f"{label}{format_yuan(amount_fen)}元超过政策上限{format_yuan(cap)}元（{what}）"
    found = per_person_ceiling(program, zone, on)
    if found is None:
        return ""
    per_person, what = found
    people = max(int(people_covered or 1), 1)
    ceiling = per_person * people
    if amount_fen <= ceiling:
        return ""
    return (
        f"{label}{format_yuan(amount_fen)}元超过政策上限{format_yuan(ceiling)}元"
        f"（{what}{format_yuan(per_person)}元 × 保障人数{people}人）"
    )
