"""Household facts: the input of the rules engine, and their validation.

``parse_household_facts`` turns plain JSON-like data (what an app's ``facts.py`` builds from
its models, or what an API receives) into frozen dataclasses, or raises
``FactsValidationError`` listing *every* bad field with a Chinese message. Money is converted
to ``Decimal`` exactly (floats via ``str``) and must be whole fen.

The ``Fact`` nodes at the bottom are how programs refer to these facts in the expression tree.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable

from minzheng.core.ages import EARLIEST_BIRTH_YEAR
from minzheng.core.money import MoneyFormatError, to_decimal, yuan_to_fen
from minzheng.rules.engine.expressions import AgeInYears, Fact
from minzheng.rules.engine.parameters import ParameterSet, load_parameters
from minzheng.rules.engine.periods import Period
from minzheng.rules.engine.types import Entity, ValueType

ZONES = ("urban", "rural")
SEXES = ("M", "F")
SELF_CARE_LEVELS = ("able", "partly_unable", "unable")
CHILD_STATUSES = ("orphan", "de_facto_unsupported")
DISABILITY_CATEGORIES = ("visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple")
# 残疾等级 by GB/T 26341: grades 1 (most severe) to 4; 0 records "no disability".
DISABILITY_GRADES = range(0, 5)
INCOME_KINDS = ("wage", "business", "property", "transfer")

_DIVISION_CODE = re.compile(r"^\d{6}(\d{3}){0,2}$")


class FactsValidationError(ValueError):
    """Invalid facts. ``errors`` is a list of ``{"field": ..., "message": ...}``."""

    def __init__(self, errors: list[dict[str, str]]):
        self.errors = errors
        summary = "；".join(f"{error['field']}：{error['message']}" for error in errors[:5])
        super().__init__(f"事实数据校验未通过（{len(errors)}处）：{summary}")


@dataclass(frozen=True, slots=True)
class MemberFacts:
    id: str
    relation: str
    birth_date: dt.date
    sex: str
    disability_category: str | None
    disability_grade: int
    serious_illness: bool
    student: bool
    able_to_work: bool
    has_capable_supporter: bool
    self_care: str
    child_status: str | None
    in_institution: bool
    income_wage: Decimal
    income_business: Decimal
    income_property: Decimal
    income_transfer: Decimal


@dataclass(frozen=True, slots=True)
class HouseholdFacts:
    period: Period
    zone: str
    division_code: str | None
    financial_assets: Decimal
    vehicle_values: tuple[Decimal, ...]
    members: tuple[MemberFacts, ...]
    # Optional (not named by the household facts contract, issue 3): None when the input
    # leaves it out, and then only the programs that need it cannot be decided.
    rigid_spending_12m: Decimal | None = None

    @property
    def max_vehicle_value(self) -> Decimal:
        """The most valuable vehicle decides the vehicle test; no vehicle counts as 0."""
        return max(self.vehicle_values, default=Decimal(0))


# ----------------------------------------------------------------------------------------------
# Validation
# ----------------------------------------------------------------------------------------------

_MISSING = object()


class ErrorCollector:
    def __init__(self) -> None:
        self.errors: list[dict[str, str]] = []

    def add(self, field: str, message: str) -> None:
        self.errors.append({"field": field, "message": message})

    def take(self, data: Any, key: str, path: str, read: Callable[[Any, str], Any], *, required: bool = True) -> Any:
        if not isinstance(data, dict):
            return None
        value = data.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.add(path, "缺少必填字段")
            return None
        try:
            return read(value, path)
        except _Invalid as invalid:
            self.add(path, str(invalid))
            return None


class _Invalid(ValueError):
    pass


def _read_money(value: Any, path: str) -> Decimal:
    try:
        amount = to_decimal(value)
        yuan_to_fen(amount)
    except MoneyFormatError:
        raise _Invalid("金额格式无效（应为数字，最多两位小数）") from None
    if amount < 0:
        raise _Invalid("金额不能为负数")
    return amount


def _read_optional_money(value: Any, path: str) -> Decimal | None:
    """An optional money fact: absent or null means "not known" (missing), not 0."""
    return None if value is None else _read_money(value, path)


def _read_bool(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise _Invalid("应为布尔值（true 或 false）")
    return value


def _read_text(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid("应为非空文本")
    return value.strip()


def _choice(options: tuple[str, ...], *, nullable: bool = False) -> Callable[[Any, str], Any]:
    def read(value: Any, path: str) -> Any:
        if value is None and nullable:
            return None
        if value not in options:
            allowed = "、".join(options) + ("或 null" if nullable else "")
            raise _Invalid(f"取值无效，应为：{allowed}")
        return value

    return read


def _read_grade(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in DISABILITY_GRADES:
        raise _Invalid("残疾等级应为0至4的整数（0表示无残疾）")
    return value


def _read_date(value: Any, path: str) -> dt.date:
    message = "日期格式应为 YYYY-MM-DD，且为有效日期"
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise _Invalid(message)
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _Invalid(message) from None


def read_period(value: Any, path: str, parameters: ParameterSet, collector: ErrorCollector) -> Period | None:
    """Parse a period and check the parameters cover it (shared by the request functions)."""
    if not isinstance(value, str):
        collector.add(path, "核算期格式应为 YYYY-MM")
        return None
    try:
        period = Period.parse(value)
    except ValueError:
        collector.add(path, "核算期格式应为 YYYY-MM")
        return None
    if not parameters.covers(period):
        coverage = parameters.coverage
        collector.add(path, f"核算期超出参数覆盖范围（{coverage.first}至{coverage.last}）")
        return None
    return period


def parse_household_facts(data: Any, *, parameters: ParameterSet | None = None) -> HouseholdFacts:
    """Validate and convert household facts (see ``docs/rules.md`` for the shape)."""
    parameters = parameters or load_parameters()
    errors = ErrorCollector()
    if not isinstance(data, dict):
        raise FactsValidationError([{"field": "", "message": "应为JSON对象"}])

    period = None
    if "period" not in data:
        errors.add("period", "缺少必填字段")
    else:
        period = read_period(data["period"], "period", parameters, errors)

    household = data.get("household", _MISSING)
    if household is _MISSING:
        errors.add("household", "缺少必填字段")
        raise FactsValidationError(errors.errors)
    if not isinstance(household, dict):
        errors.add("household", "应为JSON对象")
        raise FactsValidationError(errors.errors)

    base = "household"
    zone = errors.take(household, "zone", f"{base}.zone", _choice(ZONES))
    division_code = errors.take(household, "division_code", f"{base}.division_code", _read_division_code, required=False)
    financial_assets = errors.take(household, "financial_assets", f"{base}.financial_assets", _read_money)
    rigid_spending = errors.take(
        household, "rigid_spending_12m", f"{base}.rigid_spending_12m", _read_optional_money, required=False
    )
    vehicles = _read_vehicles(household, base, errors)
    members = _read_members(household, base, period, errors)

    if errors.errors:
        raise FactsValidationError(errors.errors)
    return HouseholdFacts(
        period=period,
        zone=zone,
        division_code=division_code,
        financial_assets=financial_assets,
        vehicle_values=vehicles,
        rigid_spending_12m=rigid_spending,
        members=members,
    )


def _read_division_code(value: Any, path: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not _DIVISION_CODE.match(value):
        raise _Invalid("区划代码应为6、9或12位数字")
    return value


def _read_vehicles(household: dict, base: str, errors: ErrorCollector) -> tuple[Decimal, ...]:
    path = f"{base}.vehicle_values"
    if "vehicle_values" not in household:
        errors.add(path, "缺少必填字段（无车辆时填空列表）")
        return ()
    raw = household["vehicle_values"]
    if not isinstance(raw, list):
        errors.add(path, "应为车辆现值的列表")
        return ()
    values = []
    for index, item in enumerate(raw):
        try:
            values.append(_read_money(item, f"{path}[{index}]"))
        except _Invalid as invalid:
            errors.add(f"{path}[{index}]", str(invalid))
    return tuple(values)


def _read_members(household: dict, base: str, period: Period | None, errors: ErrorCollector) -> tuple[MemberFacts, ...]:
    path = f"{base}.members"
    if "members" not in household:
        errors.add(path, "缺少必填字段")
        return ()
    raw = household["members"]
    if not isinstance(raw, list) or not raw:
        errors.add(path, "应为至少包含一名成员的列表")
        return ()
    members = []
    seen_ids: set[str] = set()
    for index, item in enumerate(raw):
        member_path = f"{path}[{index}]"
        if not isinstance(item, dict):
            errors.add(member_path, "应为JSON对象")
            continue
        parsed = _read_member(item, member_path, period, errors)
        if parsed is not None:
            if parsed.id in seen_ids:
                errors.add(f"{member_path}.id", "成员编号在本户内重复")
            seen_ids.add(parsed.id)
            members.append(parsed)
    return tuple(members)


def _read_member(item: dict, path: str, period: Period | None, errors: ErrorCollector) -> MemberFacts | None:
    before = len(errors.errors)
    take = errors.take
    member_id = take(item, "id", f"{path}.id", _read_member_id)
    relation = take(item, "relation", f"{path}.relation", _read_text)
    birth_date = take(item, "birth_date", f"{path}.birth_date", _read_date)
    if birth_date is not None and period is not None and birth_date > period.end:
        errors.add(f"{path}.birth_date", "出生日期晚于核算期")
    elif birth_date is not None and birth_date.year < EARLIEST_BIRTH_YEAR:
        errors.add(f"{path}.birth_date", f"出生日期不合理（应在{EARLIEST_BIRTH_YEAR}年以后）")
    sex = take(item, "sex", f"{path}.sex", _choice(SEXES))
    category = take(item, "disability_category", f"{path}.disability_category", _choice(DISABILITY_CATEGORIES, nullable=True))
    grade = take(item, "disability_grade", f"{path}.disability_grade", _read_grade)
    flags = {
        name: take(item, name, f"{path}.{name}", _read_bool)
        for name in ("serious_illness", "student", "able_to_work", "has_capable_supporter", "in_institution")
    }
    self_care = take(item, "self_care", f"{path}.self_care", _choice(SELF_CARE_LEVELS))
    child_status = take(item, "child_status", f"{path}.child_status", _choice(CHILD_STATUSES, nullable=True))
    incomes = _read_incomes(item, f"{path}.monthly_income", errors)

    if grade is not None and "disability_category" in item:
        if grade == 0 and category is not None:
            errors.add(f"{path}.disability_category", "残疾等级为0（无残疾）时残疾类别应为 null")
        elif grade > 0 and item["disability_category"] is None:
            errors.add(f"{path}.disability_category", "残疾等级为1至4级时必须填写残疾类别")
    if len(errors.errors) > before:
        return None
    return MemberFacts(
        id=member_id,
        relation=relation,
        birth_date=birth_date,
        sex=sex,
        disability_category=category,
        disability_grade=grade,
        self_care=self_care,
        child_status=child_status,
        income_wage=incomes["wage"],
        income_business=incomes["business"],
        income_property=incomes["property"],
        income_transfer=incomes["transfer"],
        **flags,
    )


def _read_member_id(value: Any, path: str) -> str:
    # The contract's member id is text ("m1", or the registry's id written as text): a JSON
    # number is refused rather than silently read as text (issue 20).
    if not isinstance(value, str) or not value.strip():
        raise _Invalid("成员编号应为非空文本（如 \"m1\"），不能是数字")
    return value.strip()


def _read_incomes(item: dict, path: str, errors: ErrorCollector) -> dict[str, Decimal | None]:
    raw = item.get("monthly_income", _MISSING)
    if raw is _MISSING:
        errors.add(path, "缺少必填字段")
        return dict.fromkeys(INCOME_KINDS)
    if not isinstance(raw, dict):
        errors.add(path, "应为包含 wage、business、property、transfer 的对象")
        return dict.fromkeys(INCOME_KINDS)
    return {kind: errors.take(raw, kind, f"{path}.{kind}", _read_money) for kind in INCOME_KINDS}


def household_facts_to_data(facts: HouseholdFacts) -> dict[str, Any]:
    """The JSON form of parsed facts (money as strings), e.g. to store with a decision.

    ``parse_household_facts(household_facts_to_data(facts)) == facts``.
    """
    return {
        "period": str(facts.period),
        "household": {
            "zone": facts.zone,
            "division_code": facts.division_code,
            "financial_assets": str(facts.financial_assets),
            "vehicle_values": [str(value) for value in facts.vehicle_values],
            **({} if facts.rigid_spending_12m is None else {"rigid_spending_12m": str(facts.rigid_spending_12m)}),
            "members": [
                {
                    "id": member.id,
                    "relation": member.relation,
                    "birth_date": member.birth_date.isoformat(),
                    "sex": member.sex,
                    "disability_category": member.disability_category,
                    "disability_grade": member.disability_grade,
                    "serious_illness": member.serious_illness,
                    "student": member.student,
                    "able_to_work": member.able_to_work,
                    "has_capable_supporter": member.has_capable_supporter,
                    "self_care": member.self_care,
                    "child_status": member.child_status,
                    "in_institution": member.in_institution,
                    "monthly_income": {kind: str(getattr(member, f"income_{kind}")) for kind in INCOME_KINDS},
                }
                for member in facts.members
            ],
        },
    }


# ----------------------------------------------------------------------------------------------
# The facts as expression-tree leaves (names match the dataclass attributes above)
# ----------------------------------------------------------------------------------------------

_H, _M = Entity.HOUSEHOLD, Entity.MEMBER


class household:  # noqa: N801 - a namespace read as ``household.zone`` in program definitions
    zone = Fact("zone", _H, ValueType.TEXT, "城乡类别")
    financial_assets = Fact("financial_assets", _H, ValueType.MONEY, "家庭金融资产")
    max_vehicle_value = Fact("max_vehicle_value", _H, ValueType.MONEY, "家庭最高车辆现值")
    # Optional: the facts contract (issue 3) does not name it; only 刚性支出困难 reads it.
    rigid_spending_12m = Fact("rigid_spending_12m", _H, ValueType.MONEY, "近12个月刚性支出", optional=True)
OPTIONAL_HOUSEHOLD_FACTS = ("rigid_spending_12m",)


class member:  # noqa: N801
    age = AgeInYears()
    sex = Fact("sex", _M, ValueType.TEXT, "性别")
    relation = Fact("relation", _M, ValueType.TEXT, "与户主关系")
    disability_category = Fact("disability_category", _M, ValueType.TEXT, "残疾类别")
    disability_grade = Fact("disability_grade", _M, ValueType.INT, "残疾等级")
    serious_illness = Fact("serious_illness", _M, ValueType.BOOL, "重病")
    student = Fact("student", _M, ValueType.BOOL, "在校学生")
    able_to_work = Fact("able_to_work", _M, ValueType.BOOL, "有劳动能力")
    has_capable_supporter = Fact("has_capable_supporter", _M, ValueType.BOOL, "有履行能力的法定义务人")
    self_care = Fact("self_care", _M, ValueType.TEXT, "生活自理能力")
    child_status = Fact("child_status", _M, ValueType.TEXT, "儿童保障身份")
    in_institution = Fact("in_institution", _M, ValueType.BOOL, "机构集中供养/养育")
    income_wage = Fact("income_wage", _M, ValueType.MONEY, "工资性收入")
    income_business = Fact("income_business", _M, ValueType.MONEY, "经营净收入")
    income_property = Fact("income_property", _M, ValueType.MONEY, "财产净收入")
    income_transfer = Fact("income_transfer", _M, ValueType.MONEY, "转移净收入")
