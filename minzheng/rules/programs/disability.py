"""残疾人两项补贴 (policy-facts §6): 困难残疾人生活补贴 and 重度残疾人护理补贴."""

from minzheng.rules.engine.expressions import AnyOf, Param
from minzheng.rules.engine.model import Condition, Program
from minzheng.rules.facts import member
from minzheng.rules.programs.common import MEMBER, is_disabled
from minzheng.rules.programs.dibao import dibao
from minzheng.rules.programs.tekun import tekun

_has_disability = Condition(
    "has_disability",
    "持证残疾人（残疾等级一至四级）",
    is_disabled,
    value=member.disability_grade,
)

disability_living_subsidy = Program(
    "disability_living_subsidy",
    "困难残疾人生活补贴",
    MEMBER,
    [
        # A 特困 member is no longer counted in the household's 低保 (one person is not
        # supported twice, programs/dibao.py), but stays in the subsidy's target group.
        Condition(
            "household_dibao_eligible_or_tekun",
            "所在家庭符合低保条件，或本人为特困人员",
            AnyOf(dibao.eligible.ref(), tekun.eligible.ref()),
            threshold=True,
        ),
        _has_disability,
    ],
    amount=Param("disability.living_subsidy.amount"),
)

severe_disability_care_subsidy = Program(
    "severe_disability_care_subsidy",
    "重度残疾人护理补贴",
    MEMBER,
    [
        _has_disability,
        Condition(
            "severe_grade",
            "残疾等级达到护理补贴规定的重度等级",
            member.disability_grade <= Param("disability.care_subsidy.max_grade"),
        ),
    ],
    amount=Param("disability.care_subsidy.amount"),
)
