"""价格临时补贴 (policy-facts §7 and the working defaults): triggered when CPI or food CPI rises
year on year by at least the trigger; amount = the zone's dibao standard × the higher
triggering rise, at least the minimum amount, rounded half-up to the fen."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from minzheng.rules.engine.expressions import AnyOf, Fact, If, Max, Param, Variable
from minzheng.rules.engine.model import Condition, Program
from minzheng.core.money import MoneyFormatError, to_decimal
from minzheng.rules.engine.parameters import ParameterSet
from minzheng.rules.engine.types import Entity, ValueType
from minzheng.rules.facts import ZONES
from minzheng.rules.programs.requests import evaluate_request, raise_if_invalid, start, validate_period

PERCENT = Decimal(100)  # rises are given in percent (3.5 means 3.5%)

_R = Entity.REQUEST
cpi_yoy = Fact("cpi_yoy", _R, ValueType.NUMBER, "CPI同比涨幅（%）")
food_cpi_yoy = Fact("food_cpi_yoy", _R, ValueType.NUMBER, "食品CPI同比涨幅（%）")
recipient_zone = Fact("recipient_zone", _R, ValueType.TEXT, "领取人城乡类别")

_cpi_triggered = cpi_yoy >= Param("price_subsidy.trigger.cpi_yoy")
_food_triggered = food_cpi_yoy >= Param("price_subsidy.trigger.food_cpi_yoy")
cpi_triggered = Variable("price_subsidy.cpi_triggered", _R, _cpi_triggered, "CPI达到启动条件")
food_triggered = Variable("price_subsidy.food_triggered", _R, _food_triggered, "食品CPI达到启动条件")

applied_rise = Variable(
    "price_subsidy.applied_rise",
    _R,
    Max(
        If(cpi_triggered.ref(), cpi_yoy, Decimal(0)),
        If(food_triggered.ref(), food_cpi_yoy, Decimal(0)),
    ),
    "适用涨幅（%）",
)
_standard = If(recipient_zone.equals("urban"), Param("dibao.standard.urban"), Param("dibao.standard.rural"))
# standard × (rise / 100): the ratio is exact, so the money is rounded once.
computed_amount = Variable("price_subsidy.computed_amount", _R, _standard * (applied_rise.ref() / PERCENT), "按涨幅计算的金额")

program = Program(
    "price_subsidy",
    "价格临时补贴",
    _R,
    [
        Condition(
            "price_linkage_triggered",
            "CPI或食品CPI同比涨幅达到联动机制启动条件",
            AnyOf(cpi_triggered.ref(), food_triggered.ref()),
            threshold=True,
        )
    ],
    amount=Max(computed_amount.ref(), Param("price_subsidy.minimum_amount")),
    details=[
        Condition("cpi_trigger", "CPI单月同比涨幅达到启动条件（%）", _cpi_triggered),
        Condition("food_cpi_trigger", "食品CPI单月同比涨幅达到启动条件（%）", _food_triggered),
        Condition(
            "computed_amount_above_minimum",
            "按涨幅计算的金额不低于最低发放额",
            computed_amount.ref() >= Param("price_subsidy.minimum_amount"),
        ),
    ],
)


def price_subsidy(
    period: Any,
    cpi_yoy: Any,
    food_cpi_yoy: Any,
    recipient_zone: str,
    *,
    parameters: ParameterSet | None = None,
) -> dict[str, Any]:
    """Whether the price-linkage subsidy is triggered, by which index, and the amount per person.

    ``cpi_yoy`` and ``food_cpi_yoy`` are year-on-year rises in percent (int, float or str;
    converted exactly via ``str``).
    """
    parameters, errors = start(parameters)
    checked_period = validate_period(period, parameters, errors)
    rises = {}
    for name, value in (("cpi_yoy", cpi_yoy), ("food_cpi_yoy", food_cpi_yoy)):
        try:
            rises[name] = to_decimal(value)
        except MoneyFormatError:
            errors.add(name, "应为数字（百分数，如 3.5）")
    if recipient_zone not in ZONES:
        errors.add("recipient_zone", "取值无效，应为：" + "、".join(ZONES))
    raise_if_invalid(errors)

    result, extras = evaluate_request(
        program,
        checked_period,
        {**rises, "recipient_zone": recipient_zone},
        parameters,
        {"cpi": cpi_triggered, "food_cpi": food_triggered, "rise": applied_rise},
    )
    triggered_by = [index for index in ("cpi", "food_cpi") if extras[index] is True]
    applied_index = None
    if triggered_by:
        applied_index = max(triggered_by, key=lambda index: (rises[f"{index}_yoy"], index == "cpi"))
    result.update(
        triggered=result["eligible"],
        triggered_by=triggered_by,
        applied_index=applied_index,
        applied_rise=None if applied_index is None else str(extras["rise"]),
    )
    return result
