"""Inputs and formulas. Definition period: the month (parameters in force on its first day)."""

from __future__ import annotations

import datetime
from fractions import Fraction

import numpy as np
from openfisca_core.indexed_enums import Enum
from openfisca_core.periods import MONTH
from openfisca_core.variables import Variable

from openfisca_fuling.entities import Household, Person


def fen(value) -> int:
    """A yuan parameter as integer fen."""
    return int(round(float(value) * 100))


def half_up_div(numerator, denominator):
    """Non-negative integer division rounded half-up (the engine's one rounding rule)."""
    n = np.asarray(numerator, dtype=np.int64)
    d = np.asarray(denominator, dtype=np.int64)
    return (2 * n + d) // (2 * d)


class Zone(Enum):
    urban = "城镇"
    rural = "农村"


class DisabilityCategory(Enum):
    none = "无"
    visual = "视力残疾"
    hearing = "听力残疾"
    speech = "言语残疾"
    physical = "肢体残疾"
    intellectual = "智力残疾"
    mental = "精神残疾"
    multiple = "多重残疾"


class SelfCare(Enum):
    able = "具备生活自理能力"
    partly_unable = "部分丧失生活自理能力"
    unable = "完全丧失生活自理能力"


class ChildStatus(Enum):
    none = "无"
    orphan = "孤儿"
    de_facto_unsupported = "事实无人抚养儿童"


def _input(name, entity, value_type, label, **extra):
    attributes = {"value_type": value_type, "entity": entity, "definition_period": MONTH, "label": label, **extra}
    return type(name, (Variable,), attributes)


# --- inputs ------------------------------------------------------------------------------------
zone = _input("zone", Household, Enum, "城乡类别", possible_values=Zone, default_value=Zone.rural)
financial_assets = _input("financial_assets", Household, int, "家庭金融资产（分）")
max_vehicle_value = _input("max_vehicle_value", Household, int, "家庭最高车辆现值（分）")
birth = _input("birth", Person, datetime.date, "出生日期")
disability_grade = _input("disability_grade", Person, int, "残疾等级（0为无）")
disability_category = _input(
    "disability_category", Person, Enum, "残疾类别", possible_values=DisabilityCategory, default_value=DisabilityCategory.none
)
has_capable_supporter = _input("has_capable_supporter", Person, bool, "有履行能力的法定义务人", default_value=True)
self_care = _input("self_care", Person, Enum, "生活自理能力", possible_values=SelfCare, default_value=SelfCare.able)
child_status = _input("child_status", Person, Enum, "儿童保障身份", possible_values=ChildStatus, default_value=ChildStatus.none)
income_wage = _input("income_wage", Person, int, "工资性收入（分/月）")
income_business = _input("income_business", Person, int, "经营净收入（分/月）")
income_property = _input("income_property", Person, int, "财产净收入（分/月）")
income_transfer = _input("income_transfer", Person, int, "转移净收入（分/月）")


# --- formulas ----------------------------------------------------------------------------------
class age(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "周岁（核算期首日）"

    def formula(person, period, parameters):
        born = person("birth", period).astype("datetime64[D]")
        start = period.start.date
        year = born.astype("datetime64[Y]").astype(np.int64) + 1970
        month = born.astype("datetime64[M]").astype(np.int64) % 12 + 1
        day = (born - born.astype("datetime64[M]")).astype(np.int64) + 1
        not_yet = (month > start.month) | ((month == start.month) & (day > start.day))
        return np.maximum(start.year - year - not_yet, 0)


class counted_income(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "计入家庭收入的个人月收入（分）"

    def formula(person, period, parameters):
        rate = Fraction(str(parameters(period).dibao.income.employment_cost_deduction_rate))
        kept = 1 - rate
        wage = half_up_div(person("income_wage", period).astype(np.int64) * kept.numerator, kept.denominator)
        return (
            wage
            + person("income_business", period)
            + person("income_property", period)
            + person("income_transfer", period)
        )


class household_size(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "共同生活家庭成员人数"

    def formula(household, period, parameters):
        return household.nb_persons()


class dibao_standard(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "当地低保标准（分）"

    def formula(household, period, parameters):
        standard = parameters(period).dibao.standard
        return np.where(household("zone", period) == Zone.urban, fen(standard.urban), fen(standard.rural))


class per_capita_income(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "家庭月人均收入（分，不含特困人员）"

    def formula(household, period, parameters):
        # 特困 members are supported as 特困 and not counted for 低保 (one person, one scheme).
        counted = np.where(household.members("tekun_eligible", period), 0, household.members("counted_income", period))
        total = household.sum(counted)
        return half_up_div(total, np.maximum(household("dibao_member_count", period), 1))


class dibao_member_count(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "计入低保的家庭成员人数（不含特困人员）"

    def formula(household, period, parameters):
        return household.sum(~household.members("tekun_eligible", period))


class property_within_rules(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "家庭财产符合低保规定"

    def formula(household, period, parameters):
        rules = parameters(period).dibao.property
        per_capita_assets = half_up_div(household("financial_assets", period), household("household_size", period))
        limit = household("dibao_standard", period).astype(np.int64) * int(rules.financial_asset_multiple)
        vehicle_ok = household("max_vehicle_value", period) <= fen(rules.vehicle_exemption_value)
        return (per_capita_assets <= limit) & vehicle_ok


class dibao_eligible(Variable):
    value_type = bool
    entity = Household
    definition_period = MONTH
    label = "符合低保条件"

    def formula(household, period, parameters):
        enough = household("dibao_member_count", period) >= int(parameters(period).dibao.members.min_not_tekun)
        income_ok = household("per_capita_income", period) < household("dibao_standard", period)
        return enough & income_ok & household("property_within_rules", period)


class dibao(Variable):
    value_type = int
    entity = Household
    definition_period = MONTH
    label = "低保金（分/月）"

    def formula(household, period, parameters):
        gap = household("dibao_standard", period) - household("per_capita_income", period)
        return np.where(household("dibao_eligible", period), gap * household("dibao_member_count", period), 0)


class tekun_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合特困人员条件"

    def formula(person, period, parameters):
        p = parameters(period)
        rules = p.tekun.no_labour_capacity
        age = person("age", period)
        grade = person("disability_grade", period)
        category = person("disability_category", period)
        disabled = grade >= 1

        def at_most(name):
            return (category == DisabilityCategory[name]) & disabled & (grade <= int(rules.max_disability_grade[name]))

        no_labour = (
            (age >= int(rules.min_age))
            | (age < int(rules.child_age_below))
            | at_most("intellectual")
            | at_most("mental")
            | at_most("physical")
            | at_most("visual")
        )
        income_ok = person("counted_income", period) < person.household("dibao_standard", period)
        property_ok = person.household("property_within_rules", period)
        minor = age < int(p.minors.adult_age)
        status = person("child_status", period)
        in_child_scheme = minor & ((status == ChildStatus.orphan) | (status == ChildStatus.de_facto_unsupported))
        return no_labour & income_ok & property_ok & ~person("has_capable_supporter", period) & ~in_child_scheme


class tekun(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "特困人员供养金（分/月）"

    def formula(person, period, parameters):
        p = parameters(period).tekun
        care = person("self_care", period)
        amount = fen(p.basic_standard) + np.select(
            [care == SelfCare.able, care == SelfCare.partly_unable, care == SelfCare.unable],
            [fen(p.care.able), fen(p.care.partly_unable), fen(p.care.unable)],
        )
        return np.where(person("tekun_eligible", period), amount, 0)


class disability_living_subsidy_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合困难残疾人生活补贴条件"

    def formula(person, period, parameters):
        # 低保 household or 特困 in person (a 特困 member is not counted for 低保).
        poor = person.household("dibao_eligible", period) | person("tekun_eligible", period)
        return poor & (person("disability_grade", period) >= 1)


class disability_living_subsidy(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "困难残疾人生活补贴（分/月）"

    def formula(person, period, parameters):
        amount = fen(parameters(period).disability.living_subsidy.amount)
        return np.where(person("disability_living_subsidy_eligible", period), amount, 0)


class severe_disability_care_subsidy_eligible(Variable):
    value_type = bool
    entity = Person
    definition_period = MONTH
    label = "符合重度残疾人护理补贴条件"

    def formula(person, period, parameters):
        grade = person("disability_grade", period)
        return (grade >= 1) & (grade <= int(parameters(period).disability.care_subsidy.max_grade))


class severe_disability_care_subsidy(Variable):
    value_type = int
    entity = Person
    definition_period = MONTH
    label = "重度残疾人护理补贴（分/月）"

    def formula(person, period, parameters):
        amount = fen(parameters(period).disability.care_subsidy.amount)
        return np.where(person("severe_disability_care_subsidy_eligible", period), amount, 0)


ALL = [
    zone, financial_assets, max_vehicle_value, birth, disability_grade, disability_category,
    has_capable_supporter, self_care, child_status, income_wage, income_business, income_property,
    income_transfer, age, counted_income, household_size, dibao_standard, dibao_member_count, per_capita_income,
    property_within_rules, dibao_eligible, dibao, tekun_eligible, tekun,
    disability_living_subsidy_eligible, disability_living_subsidy,
    severe_disability_care_subsidy_eligible, severe_disability_care_subsidy,
]
# (program, eligibility variable, amount variable, entity)
PROGRAMS = [
    ("dibao", "dibao_eligible", "dibao", "household"),
    ("tekun", "tekun_eligible", "tekun", "person"),
    ("disability_living_subsidy", "disability_living_subsidy_eligible", "disability_living_subsidy", "person"),
    ("severe_disability_care_subsidy", "severe_disability_care_subsidy_eligible", "severe_disability_care_subsidy", "person"),
]
