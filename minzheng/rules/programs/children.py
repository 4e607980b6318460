"""孤儿 and 事实无人抚养儿童 basic-living allowances (policy-facts §5)."""

from minzheng.rules.engine.expressions import If, Param
from minzheng.rules.engine.model import Condition, Program
from minzheng.rules.facts import member
from minzheng.rules.programs.common import MEMBER, is_minor

_minor = Condition("is_minor", "未成年（未满规定年龄）", is_minor, value=member.age, threshold=Param("children.adult_age"))

orphan_allowance = Program(
    "orphan_allowance",
    "孤儿基本生活费",
    MEMBER,
    [
        Condition("is_orphan", "经认定的孤儿", member.child_status.equals("orphan")),
        _minor,
    ],
    amount=If(member.in_institution, Param("children.orphan.institutional"), Param("children.orphan.scattered")),
)

# From 2025-07 de-facto-unsupported children in institutions get the institutional amount;
# before that the institutional parameter carries the same value as the scattered one.
defacto_child_allowance = Program(
    "defacto_child_allowance",
    "事实无人抚养儿童基本生活补贴",
    MEMBER,
    [
        Condition(
            "is_de_facto_unsupported",
            "经认定的事实无人抚养儿童",
            member.child_status.equals("de_facto_unsupported"),
        ),
        _minor,
    ],
    amount=If(
        member.in_institution,
        Param("children.de_facto_unsupported.institutional"),
        Param("children.de_facto_unsupported.scattered"),
    ),
)
