"""临时救助 (policy-facts §3 and the working defaults): amount by severity band, approval tier,
and the 先行救助 (pay first, papers later) limit for urgent cases."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from minzheng.rules.engine.expressions import Fact, Min, Param, Variable, by_text
from minzheng.rules.engine.model import Condition, Program
from minzheng.core.money import decimal_text
from minzheng.rules.engine.parameters import ParameterSet
from minzheng.rules.engine.types import Entity, ValueType
from minzheng.rules.programs.requests import evaluate_request, raise_if_invalid, start, validate_period

SEVERITIES = ("general", "serious", "severe")  # 一般, 较重, 严重
APPROVAL_TIERS = ("town", "district", "case_by_case")

_R = Entity.REQUEST
severity = Fact("severity", _R, ValueType.TEXT, "困难程度")
persons = Fact("persons", _R, ValueType.INT, "救助人数")
months = Fact("months", _R, ValueType.INT, "救助月数")
urgent = Fact("urgent", _R, ValueType.BOOL, "急难型")

_band_min = by_text(severity, {level: Param(f"temporary_assistance.months.{level}.min") for level in SEVERITIES})
_band_max = by_text(severity, {level: Param(f"temporary_assistance.months.{level}.max") for level in SEVERITIES})

# Above the top band a severe case is decided one by one (一事一议).
case_by_case = Variable(
    "temporary_assistance.case_by_case",
    _R,
    severity.equals("severe") & (months > _band_max),
    "一事一议",
)
one_month_worth = Variable(
    "temporary_assistance.one_month_worth", _R, Param("dibao.standard.urban") * persons, "城市低保标准×人数"
)
uncapped_amount = Variable(
    "temporary_assistance.uncapped_amount", _R, one_month_worth.ref() * months, "按月数计算的救助金额"
)
_case_cap = Param("temporary_assistance.case_cap")
capped_amount = Variable("temporary_assistance.capped_amount", _R, Min(uncapped_amount.ref(), _case_cap), "救助金额")
town_limit = Variable(
    "temporary_assistance.town_limit",
    _R,
    one_month_worth.ref() * Param("temporary_assistance.approval.town_max_months"),
    "乡镇（街道）审批上限",
)
advance_relief_limit = Variable(
    "temporary_assistance.advance_relief_limit",
    _R,
    one_month_worth.ref() * Param("temporary_assistance.advance_relief.max_months"),
    "先行救助上限",
)

program = Program(
    "temporary_assistance",
    "临时救助",
    _R,
    [
        Condition(
            "months_within_severity_band",
            "救助月数在困难程度对应的档次内（严重困难超过上限的，一事一议）",
            (months >= _band_min) & ((months <= _band_max) | case_by_case.ref()),
            value=months,
            threshold=(_band_min, _band_max),
        )
    ],
    amount=capped_amount.ref(),
    details=[
        Condition("within_case_cap", "按月数计算的金额不超过每案上限", uncapped_amount.ref() <= _case_cap),
        Condition(
            "within_town_approval",
            "金额在乡镇（街道）审批权限内（非一事一议）",
            ~case_by_case.ref() & (capped_amount.ref() <= town_limit.ref()),
            value=capped_amount.ref(),
            threshold=town_limit.ref(),
        ),
        Condition(
            "within_advance_relief_limit",
            "金额不超过急难型先行救助上限（超过部分补齐手续后发放）",
            capped_amount.ref() <= advance_relief_limit.ref(),
        ),
    ],
)


def temporary_assistance(
    period: Any,
    severity: str,
    persons: int,
    months: int,
    urgent: bool,
    *,
    parameters: ParameterSet | None = None,
) -> dict[str, Any]:
    """Amount, approval tier and 先行救助 limit of one temporary-assistance case.

    Amount = monthly urban dibao standard × persons × months, months within the severity band
    (above the severe band: 一事一议), capped per case. Tier: ``town`` up to the town's months'
    worth, ``district`` above, ``case_by_case`` for 一事一议. Urgent cases may be paid first up to
    the 先行救助 limit.
    """
    parameters, errors = start(parameters)
    checked_period = validate_period(period, parameters, errors)
    if severity not in SEVERITIES:
        errors.add("severity", "取值无效，应为：" + "、".join(SEVERITIES))
    for name, value in (("persons", persons), ("months", months)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors.add(name, "应为不小于1的整数")
    if not isinstance(urgent, bool):
        errors.add("urgent", "应为布尔值（true 或 false）")
    raise_if_invalid(errors)

    result, extras = evaluate_request(
        program,
        checked_period,
        {"severity": severity, "persons": persons, "months": months, "urgent": urgent},
        parameters,
        {
            "case_by_case": case_by_case,
            "advance_relief_limit": advance_relief_limit,
            "within_town": program.condition_variables["within_town_approval"],
        },
    )
    eligible = result["eligible"]
    amount = Decimal(result["amount"])
    limit = extras["advance_relief_limit"]
    if not eligible:
        tier = None
    elif extras["case_by_case"]:
        tier = "case_by_case"
    else:
        tier = "town" if extras["within_town"] else "district"
    result.update(
        case_by_case=bool(extras["case_by_case"]) and eligible,
        approval_tier=tier,
        advance_relief_limit=None if limit is None else decimal_text(limit),
        advance_relief_amount=decimal_text(min(amount, limit) if urgent and eligible and limit is not None else Decimal(0)),
    )
    return result
