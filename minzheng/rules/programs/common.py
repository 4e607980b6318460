"""Quantities shared by several programs: the zone's standard, counted income, property tests.

Written once here so that 低保, 特困, 低保边缘 and 刚性支出困难 read the same per-capita income
and the same property tests, and both evaluators compute them once per household.
"""

from decimal import Decimal

from minzheng.rules.engine.expressions import CountMembers, If, Param, SumMembers, Variable
from minzheng.rules.engine.model import Condition
from minzheng.rules.engine.types import Entity
from minzheng.rules.facts import household, member

HOUSEHOLD = Entity.HOUSEHOLD
MEMBER = Entity.MEMBER
MONTHS_PER_YEAR = 12  # calendar arithmetic (monthly income to yearly), not policy

dibao_standard = Variable(
    "dibao_standard",
    HOUSEHOLD,
    If(household.zone.equals("urban"), Param("dibao.standard.urban"), Param("dibao.standard.rural")),
    "当地低保标准（按城乡类别）",
)

member_count = Variable("member_count", HOUSEHOLD, CountMembers(), "共同生活家庭成员人数")

# 工资性收入 counts after deducting the necessary employment costs (就业成本); the deducted wage is
# rounded to the fen per member, as it is shown on the member's income line.
counted_wage = Variable(
    "counted_wage",
    MEMBER,
    member.income_wage * (Decimal(1) - Param("dibao.income.employment_cost_deduction_rate")),
    "扣除必要就业成本后的工资性收入",
)

counted_income = Variable(
    "counted_income",
    MEMBER,
    counted_wage.ref() + member.income_business + member.income_property + member.income_transfer,
    "计入家庭收入的个人月收入",
)

household_income = Variable("household_income", HOUSEHOLD, SumMembers(counted_income.ref()), "家庭月收入")

per_capita_income = Variable(
    "per_capita_income", HOUSEHOLD, household_income.ref() / member_count.ref(), "家庭月人均收入"
)

per_capita_financial_assets = Variable(
    "per_capita_financial_assets",
    HOUSEHOLD,
    household.financial_assets / member_count.ref(),
    "家庭人均金融资产",
)

financial_asset_limit = Variable(
    "financial_asset_limit",
    HOUSEHOLD,
    dibao_standard.ref() * Param("dibao.property.financial_asset_multiple"),
    "人均金融资产上限（当地低保标准×规定倍数）",
)

# 残疾等级 0 records "no disability" (facts convention, not policy).
is_disabled = member.disability_grade >= 1

is_minor = member.age < Param("children.adult_age")

financial_assets_within_limit = Condition(
    "financial_assets_within_limit",
    "家庭人均金融资产不超过当地低保标准的规定倍数",
    per_capita_financial_assets.ref() <= financial_asset_limit.ref(),
)

no_vehicle_above_exemption = Condition(
    "no_vehicle_above_exemption",
    "家庭车辆现值不超过可不计入财产的上限",
    household.max_vehicle_value <= Param("dibao.property.vehicle_exemption_value"),
)
