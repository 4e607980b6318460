"""特困人员救助供养 (policy-facts §2): a person without labour capacity, means of livelihood or
a capable supporter."""

from minzheng.rules.engine.expressions import AllOf, AnyOf, Param, by_text
from minzheng.rules.engine.model import Condition, Program
from minzheng.rules.facts import CHILD_STATUSES, member
from minzheng.rules.programs.common import (
    MEMBER,
    counted_income,
    dibao_standard,
    financial_assets_within_limit,
    is_disabled,
    is_minor,
    no_vehicle_above_exemption,
)


def _disability_at_most(category: str) -> object:
    return AllOf(
        member.disability_category.equals(category),
        is_disabled,
        member.disability_grade <= Param(f"tekun.no_labour_capacity.max_disability_grade.{category}"),
    )


_no_labour_capacity = AnyOf(
    member.age >= Param("tekun.no_labour_capacity.min_age"),
    member.age < Param("tekun.no_labour_capacity.child_age_below"),
    _disability_at_most("intellectual"),
    _disability_at_most("mental"),
    _disability_at_most("physical"),
    _disability_at_most("visual"),
)

# A minor who is an orphan or a de-facto-unsupported child is covered by the child scheme
# instead (national 特困人员认定办法), so is not 特困.
_in_child_scheme = is_minor & member.child_status.is_in(CHILD_STATUSES)

tekun = Program(
    "tekun",
    "特困人员救助供养",
    MEMBER,
    [
        Condition(
            "no_labour_capacity",
            "无劳动能力（达到规定年龄、未满规定年龄或残疾达到规定等级）",
            _no_labour_capacity,
            threshold=True,
        ),
        Condition(
            "own_income_below_standard",
            "本人月收入（扣除就业成本后）低于当地低保标准",
            counted_income.ref() < dibao_standard.ref(),
        ),
        financial_assets_within_limit,
        no_vehicle_above_exemption,
        Condition(
            "no_capable_supporter",
            "无法定赡养、抚养、扶养义务人，或义务人无履行能力",
            ~member.has_capable_supporter,
            value=member.has_capable_supporter,
            threshold=False,
        ),
        Condition(
            "not_in_child_scheme",
            "未成年人不属于孤儿或事实无人抚养儿童（此类儿童纳入儿童保障）",
            ~_in_child_scheme,
            value=member.child_status,
        ),
    ],
    amount=Param("tekun.basic_standard")
    + by_text(
        member.self_care,
        {
            "able": Param("tekun.care.able"),
            "partly_unable": Param("tekun.care.partly_unable"),
            "unable": Param("tekun.care.unable"),
        },
    ),
)
