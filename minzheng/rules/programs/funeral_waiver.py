"""惠民殡葬 (domain service-lines §5 and the working defaults): for a deceased of Chongqing hukou
in a hardship group (城乡低保, 特困 — formerly urban 三无 and rural 五保 —, 困难重点优抚对象) who is
cremated, the basic services are waived: hearse transport, refrigeration up to
``funeral.waiver.refrigeration_max_days`` days, a body bag, the cremation, and one urn up to
``funeral.waiver.urn_cap``. The waived amount is the funeral home's filed price of each item
(an input), within those limits."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from minzheng.rules.engine.expressions import Fact, IsTrue, Min, Param, Variable
from minzheng.rules.engine.model import Condition, Program
from minzheng.rules.engine.parameters import ParameterSet
from minzheng.rules.engine.types import Entity, ValueType
from minzheng.rules.programs.requests import evaluate_request, raise_if_invalid, start, validate_period

HARDSHIP_GROUPS = ("dibao", "tekun", "youfu")  # 城乡低保, 特困（原三无、五保）, 困难重点优抚对象
PRICE_FACTS = ("transport_price", "refrigeration_day_price", "body_bag_price", "cremation_price", "urn_price")

_R = Entity.REQUEST
hardship_group = Fact("hardship_group", _R, ValueType.TEXT, "困难群众类别")
chongqing_hukou = Fact("chongqing_hukou", _R, ValueType.BOOL, "重庆市户籍")
cremated = Fact("cremated", _R, ValueType.BOOL, "已火化")
refrigeration_days = Fact("refrigeration_days", _R, ValueType.INT, "遗体冷藏天数")
transport_price = Fact("transport_price", _R, ValueType.MONEY, "遗体接运备案价格")
refrigeration_day_price = Fact("refrigeration_day_price", _R, ValueType.MONEY, "遗体冷藏备案价格（每日）")
body_bag_price = Fact("body_bag_price", _R, ValueType.MONEY, "尸袋备案价格")
cremation_price = Fact("cremation_price", _R, ValueType.MONEY, "遗体火化备案价格")
urn_price = Fact("urn_price", _R, ValueType.MONEY, "所选骨灰盒价格")

waived_days = Variable(
    "funeral_waiver.refrigeration_days", _R, Min(refrigeration_days, Param("funeral.waiver.refrigeration_max_days")),
    "减免冷藏天数",
)
refrigeration_amount = Variable(
    "funeral_waiver.refrigeration_amount", _R, refrigeration_day_price * waived_days.ref(), "减免冷藏费"
)
urn_amount = Variable("funeral_waiver.urn_amount", _R, Min(urn_price, Param("funeral.waiver.urn_cap")), "减免骨灰盒费")

program = Program(
    "funeral_waiver",
    "惠民殡葬基本服务费减免",
    _R,
    [
        Condition("in_hardship_group", "属于城乡低保、特困或困难重点优抚对象", hardship_group.is_in(HARDSHIP_GROUPS), threshold=True),
        Condition("chongqing_hukou", "具有重庆市户籍", IsTrue(chongqing_hukou), threshold=True),
        Condition("cremated", "遗体已火化", IsTrue(cremated), threshold=True),
    ],
    amount=transport_price + body_bag_price + cremation_price + refrigeration_amount.ref() + urn_amount.ref(),
    details=[
        Condition(
            "refrigeration_within_limit", "冷藏天数不超过免费天数", refrigeration_days <= Param("funeral.waiver.refrigeration_max_days")
        ),
        Condition("urn_within_cap", "骨灰盒价格不超过减免上限", urn_price <= Param("funeral.waiver.urn_cap")),
    ],
)


def funeral_waiver(
    period: Any,
    hardship_group: str,
    chongqing_hukou: bool,
    cremated: bool,
    refrigeration_days: int,
    prices: dict[str, Any],
    *,
    parameters: ParameterSet | None = None,
) -> dict[str, Any]:
    """Whether the basic services are waived and by how much, with one line per item.

    ``prices``: the filed price (yuan) of each of ``PRICE_FACTS``; ``urn_price`` is the chosen urn's."""
    parameters, errors = start(parameters)
    checked_period = validate_period(period, parameters, errors)
    for name, value in (("chongqing_hukou", chongqing_hukou), ("cremated", cremated)):
        if not isinstance(value, bool):
            errors.add(name, "应为布尔值（true 或 false）")
    if isinstance(refrigeration_days, bool) or not isinstance(refrigeration_days, int) or refrigeration_days < 0:
        errors.add("refrigeration_days", "应为不小于0的整数")
    money: dict[str, Decimal] = {}
    for name in PRICE_FACTS:
        try:
            amount = Decimal(str((prices or {})[name]))
        except (KeyError, ArithmeticError, ValueError):
            errors.add(f"prices.{name}", "请提供备案价格（元）")
            continue
        if amount < 0 or amount != amount.quantize(Decimal("0.01")):
            errors.add(f"prices.{name}", "金额应为不小于0、最多两位小数的数字")
            continue
        money[name] = amount
    raise_if_invalid(errors)

    result, extras = evaluate_request(
        program,
        checked_period,
        {
            "hardship_group": hardship_group, "chongqing_hukou": chongqing_hukou, "cremated": cremated,
            "refrigeration_days": refrigeration_days, **money,
        },
        parameters,
        {"days": waived_days, "refrigeration": refrigeration_amount, "urn": urn_amount},
    )
    eligible = result["eligible"]
    lines = []
    if eligible:
        lines = [
            {"item": "transport", "label": "遗体接运", "amount": f"{money['transport_price']:.2f}"},
            {"item": "refrigeration_day", "label": f"遗体冷藏（{extras['days']}天）", "amount": f"{extras['refrigeration']:.2f}"},
            {"item": "body_bag", "label": "尸袋", "amount": f"{money['body_bag_price']:.2f}"},
            {"item": "cremation", "label": "遗体火化", "amount": f"{money['cremation_price']:.2f}"},
            {"item": "urn", "label": "骨灰盒", "amount": f"{extras['urn']:.2f}"},
        ]
    result.update(lines=lines)
    return result
