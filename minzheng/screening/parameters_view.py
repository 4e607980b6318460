"""The parameter catalogue as the browser shows it: every parameter, the value in force in a
month, and its dated history with references; provisional values flagged 参数待确认."""

from __future__ import annotations

from typing import Any

from minzheng.rules import Period, load_parameters
from minzheng.rules.engine.types import ValueType

GROUP_LABELS = {
    "dibao": "最低生活保障",
    "tekun": "特困人员救助供养",
    "low_income": "低收入人口",
    "children": "孤儿和事实无人抚养儿童",
    "disability": "残疾人两项补贴",
    "temporary_assistance": "临时救助",
    "price_subsidy": "价格临时补贴",
    "district": "区级统计数据",
    "eldercare": "养老服务",
    "referrals": "专项救助转介",
    "funeral": "惠民殡葬",
    "citizen": "群众网上办（留言答复期限）",
}


UNIT_LABELS = {
    "CNY": "元",
    "CNY/person/month": "元/人/月",
    "CNY/person/year": "元/人/年",
    "CNY/case": "元/件",
    "ratio": "比例",
    "multiple": "倍",
    "percent": "%",
    "months": "个月",
    "working_days": "个工作日",
    "days": "日",
    "years": "年",
    "grade": "级",
    "persons": "人",
}


def format_value(value: Any, value_type: ValueType) -> str:
    if value is None:
        return "—"
    if value_type is ValueType.MONEY:
        return f"{value:,.2f}"
    return str(value)


def parameter_catalogue(period: str) -> dict[str, Any]:
    parameters = load_parameters()
    on = Period.of(period).start
    groups: dict[str, dict[str, Any]] = {}
    for name in parameters.names():
        info = parameters.info(name)
        current = parameters.find(name, on)
        history = [
            {
                "effective_from": entry.effective_from,
                "value": format_value(entry.value, info.value_type),
                "reference": entry.reference,
                "provisional": entry.provisional,
                "in_force": current is not None and entry.effective_from == current.effective_from,
            }
            for entry in parameters.history(name)
        ]
        group_key = name.split(".", 1)[0]
        group = groups.setdefault(group_key, {"key": group_key, "label": GROUP_LABELS.get(group_key, group_key), "items": []})
        group["items"].append(
            {
                "name": name,
                "description": info.description,
                "unit": info.unit,
                "unit_label": UNIT_LABELS.get(info.unit, info.unit),
                "value": format_value(current.value, info.value_type) if current else None,
                "effective_from": current.effective_from if current else None,
                "reference": current.reference if current else "",
                "provisional": bool(current and current.provisional),
                "any_provisional": any(h["provisional"] for h in history),
                "history": list(reversed(history)),
            }
        )
    order = list(GROUP_LABELS)
    ordered = sorted(groups.values(), key=lambda g: order.index(g["key"]) if g["key"] in order else len(order))
    coverage = parameters.coverage
    return {
        "groups": ordered,
        "coverage": {"first": str(coverage.first), "last": str(coverage.last), "reference": coverage.reference},
    }
