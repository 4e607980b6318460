"""城乡居民最低生活保障（低保）and 分类施保 add-ons (policy-facts §1)."""

from minzheng.rules.engine.expressions import AnyOf, If, Max, Param, yuan
from minzheng.rules.engine.model import Condition, Program
from minzheng.rules.facts import member
from minzheng.rules.programs.common import (
    HOUSEHOLD,
    MEMBER,
    dibao_standard,
    financial_assets_within_limit,
    is_disabled,
    member_count,
    no_vehicle_above_exemption,
    per_capita_income,
)

# Three cumulative tests (income, property; the consumption test needs facts the registry does
# not yet collect). The payment is the gap to the standard for every member (差额救助).
dibao = Program(
    "dibao",
    "城乡居民最低生活保障",
    HOUSEHOLD,
    [
        Condition(
            "income_below_standard",
            "家庭月人均收入低于当地低保标准",
            per_capita_income.ref() < dibao_standard.ref(),
        ),
        financial_assets_within_limit,
        no_vehicle_above_exemption,
    ],
    amount=(dibao_standard.ref() - per_capita_income.ref()) * member_count.ref(),
)

# 分类施保: the categories do not stack, except that a disabled member also gets the
# disability add-on (so a grade-2 disabled member gets 60 + 40).
_severe_disability = is_disabled & (member.disability_grade <= Param("dibao.addon.severe_disability_max_grade"))
_aged = member.age >= Param("dibao.addon.aged_min_age")
_severe_illness_or_aged = AnyOf(_severe_disability, member.serious_illness, _aged)
_preschool_child_or_student = AnyOf(member.age < Param("dibao.addon.preschool_max_age"), member.student)

_category_amount = Max(
    If(_severe_illness_or_aged, Param("dibao.addon.amount.severe_disability_illness_or_aged"), yuan(0)),
    If(_preschool_child_or_student, Param("dibao.addon.amount.child_or_student"), yuan(0)),
)
_disability_amount = If(is_disabled, Param("dibao.addon.amount.disability"), yuan(0))

dibao_addon = Program(
    "dibao_addon",
    "低保分类施保增发",
    MEMBER,
    [
        Condition(
            "household_dibao_eligible",
            "所在家庭符合低保条件",
            dibao.eligible.ref(),
            threshold=True,
        ),
        Condition(
            "in_addon_category",
            "属于分类施保对象（残疾人、重病患者、高龄老人、学龄前儿童或在校学生）",
            AnyOf(_severe_illness_or_aged, _preschool_child_or_student, is_disabled),
            threshold=True,
        ),
    ],
    amount=_category_amount + _disability_amount,
)
