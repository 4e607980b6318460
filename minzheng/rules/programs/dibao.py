"""城乡居民最低生活保障（低保）and 分类施保 add-ons (policy-facts §1)."""

from minzheng.rules.engine.expressions import AnyOf, CountMembers, If, Max, Param, SumMembers, Variable, yuan
from minzheng.rules.engine.model import Condition, Program
from minzheng.rules.facts import member
from minzheng.rules.programs.common import (
    HOUSEHOLD,
    MEMBER,
    counted_income,
    dibao_standard,
    financial_assets_within_limit,
    is_disabled,
    no_vehicle_above_exemption,
)
from minzheng.rules.programs.tekun import tekun

# One person is not supported twice: a member who qualifies for 特困供养 is supported as 特困
# and is not counted for 低保 — neither their income nor their head in the gap payment; the
# household's 低保 is decided on the remaining members (parameter
# ``dibao.members.min_not_tekun``, which cites the rule). The property tests stay those of
# the whole household: the facts hold the household's assets, not each member's.
_is_tekun = tekun.eligible.ref()

dibao_member_count = Variable(
    "dibao_member_count", HOUSEHOLD, CountMembers(~_is_tekun), "计入低保的家庭成员人数（不含特困人员）"
)

dibao_household_income = Variable(
    "dibao_household_income",
    HOUSEHOLD,
    SumMembers(If(_is_tekun, yuan(0), counted_income.ref())),
    "计入低保的家庭月收入（不含特困人员）",
)

# Divided by at least 1: a household of 特困 members only has no 低保 (the first condition),
# and its "per-capita income" is then never used.
dibao_per_capita_income = Variable(
    "dibao_per_capita_income",
    HOUSEHOLD,
    dibao_household_income.ref() / Max(dibao_member_count.ref(), 1),
    "家庭月人均收入（不含特困人员）",
)

# Three cumulative tests (income, property; the consumption test needs facts the registry does
# not yet collect). The payment is the gap to the standard for every member counted (差额救助).
dibao = Program(
    "dibao",
    "城乡居民最低生活保障",
    HOUSEHOLD,
    [
        Condition(
            "members_not_tekun",
            "计入低保的成员人数（特困人员不计入）",
            dibao_member_count.ref() >= Param("dibao.members.min_not_tekun"),
        ),
        Condition(
            "income_below_standard",
            "家庭月人均收入低于当地低保标准",
            dibao_per_capita_income.ref() < dibao_standard.ref(),
        ),
        financial_assets_within_limit,
        no_vehicle_above_exemption,
    ],
    amount=(dibao_standard.ref() - dibao_per_capita_income.ref()) * dibao_member_count.ref(),
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
            "not_tekun",
            "本人不属于特困人员（特困人员按特困供养，不重复享受分类施保）",
            ~_is_tekun,
            value=_is_tekun,
            threshold=False,
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
