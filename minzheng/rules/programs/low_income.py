"""低收入人口: 低保边缘家庭 and 刚性支出困难家庭 (policy-facts §4). Statuses, not payments:
their amount is always 0; other programs (medical, education aid) key off eligibility."""

from minzheng.rules.engine.expressions import CountMembers, Param, yuan
from minzheng.rules.engine.model import Condition, Program
from minzheng.rules.facts import household
from minzheng.rules.programs.common import (
    HOUSEHOLD,
    MONTHS_PER_YEAR,
    dibao_standard,
    financial_assets_within_limit,
    household_income,
    no_vehicle_above_exemption,
    per_capita_income,
)
from minzheng.rules.programs.dibao import dibao
from minzheng.rules.programs.tekun import tekun

_not_dibao = Condition(
    "not_dibao_eligible",
    "家庭不符合低保条件",
    ~dibao.eligible.ref(),
    value=dibao.eligible.ref(),
    threshold=False,
)

low_income_edge = Program(
    "low_income_edge",
    "低保边缘家庭",
    HOUSEHOLD,
    [
        _not_dibao,
        Condition(
            "no_member_tekun_eligible",
            "家庭成员均不符合特困人员条件（符合条件的人数为0）",
            CountMembers(tekun.eligible.ref()).equals(0),
        ),
        Condition(
            "income_below_edge_line",
            "家庭月人均收入低于当地低保标准的规定倍数",
            per_capita_income.ref() < dibao_standard.ref() * Param("low_income.edge.income_multiple"),
        ),
        financial_assets_within_limit,
        no_vehicle_above_exemption,
    ],
    amount=yuan(0),
)

rigid_spending_hardship = Program(
    "rigid_spending_hardship",
    "刚性支出困难家庭",
    HOUSEHOLD,
    [
        _not_dibao,
        Condition(
            "not_low_income_edge",
            "家庭不属于低保边缘家庭",
            ~low_income_edge.eligible.ref(),
            value=low_income_edge.eligible.ref(),
            threshold=False,
        ),
        Condition(
            "annual_income_below_disposable_income",
            "家庭人均年收入低于本区上年度居民人均可支配收入",
            per_capita_income.ref() * MONTHS_PER_YEAR < Param("district.per_capita_disposable_income_prev_year"),
        ),
        Condition(
            "rigid_spending_above_share",
            "近12个月刚性支出（医疗、教育、康复等）超过家庭年收入的规定比例",
            household.rigid_spending_12m
            > household_income.ref() * MONTHS_PER_YEAR * Param("low_income.rigid_spending.share_of_household_income"),
        ),
    ],
    amount=yuan(0),
)
