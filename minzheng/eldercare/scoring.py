"""老年人能力评估 GB/T 42195-2022: the 26 items, the total and the level. Pure: no Django.

The items, their ranges, the cut-offs and the adjustments are the standard's own (policy-facts
§8.1), not local policy, so they live here rather than in dated parameters. Higher is better:
90 is 能力完好.

Adjustments to the preliminary level (in this order):
- coma (昏迷) → 能力完全丧失 directly;
- diagnosed dementia or another mental/behavioural disorder → one level more severe;
- two or more care-risk events (falls, choking, self-harm, wandering, other) in the last
  30 days → one level more severe;
- the two raises add up when both apply; never beyond 能力完全丧失.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from minzheng.eldercare.enums import CapabilityLevel


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    label: str
    dimension: str
    max_score: int


DIMENSIONS: tuple[tuple[str, str], ...] = (
    ("self_care", "自理能力"),
    ("mobility", "基础运动能力"),
    ("mental", "精神状态"),
    ("perception_social", "感知觉与社会参与"),
)
DIMENSION_LABELS = dict(DIMENSIONS)

ITEMS: tuple[Item, ...] = (
    Item("eating", "进食", "self_care", 4),
    Item("grooming", "修饰", "self_care", 4),
    Item("bathing", "洗澡", "self_care", 4),
    Item("dressing_upper", "穿/脱上衣", "self_care", 4),
    Item("dressing_lower", "穿/脱裤子和鞋袜", "self_care", 4),
    Item("urine_control", "小便控制", "self_care", 4),
    Item("bowel_control", "大便控制", "self_care", 4),
    Item("toileting", "如厕", "self_care", 4),
    Item("bed_transfer", "床上体位转移", "mobility", 4),
    Item("chair_transfer", "床椅转移", "mobility", 4),
    Item("level_walking", "平地行走", "mobility", 4),
    Item("stairs", "上下楼梯", "mobility", 3),
    Item("time_orientation", "时间定向", "mental", 4),
    Item("place_orientation", "空间定向", "mental", 4),
    Item("person_orientation", "人物定向", "mental", 4),
    Item("memory", "记忆", "mental", 4),
    Item("comprehension", "理解能力", "mental", 4),
    Item("expression", "表达能力", "mental", 4),
    Item("aggression", "攻击行为", "mental", 1),
    Item("depression", "抑郁症状", "mental", 1),
    Item("consciousness", "意识水平", "mental", 2),
    Item("vision", "视力", "perception_social", 2),
    Item("hearing", "听力", "perception_social", 2),
    Item("daily_affairs", "执行日常事务", "perception_social", 4),
    Item("transport", "使用交通工具外出", "perception_social", 3),
    Item("social_interaction", "社会交往能力", "perception_social", 4),
)
ITEMS_BY_CODE = {item.code: item for item in ITEMS}
MAX_TOTAL = sum(item.max_score for item in ITEMS)  # 90

# Least to most severe; an adjustment moves right.
LEVEL_ORDER: tuple[str, ...] = (
    CapabilityLevel.INTACT,
    CapabilityLevel.MILD,
    CapabilityLevel.MODERATE,
    CapabilityLevel.SEVERE,
    CapabilityLevel.COMPLETE,
)
# Lowest total of each preliminary level (90; 66–89; 46–65; 30–45; 0–29).
LEVEL_FLOORS: tuple[tuple[int, str], ...] = (
    (90, CapabilityLevel.INTACT),
    (66, CapabilityLevel.MILD),
    (46, CapabilityLevel.MODERATE),
    (30, CapabilityLevel.SEVERE),
    (0, CapabilityLevel.COMPLETE),
)
RISK_EVENTS_RAISE_AT = 2  # ≥ 2 care-risk events in 30 days


class ScoringInputError(ValueError):
    """Missing, unknown or out-of-range items: {field: Chinese message}, every one named."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True, slots=True)
class ScoreResult:
    items: dict[str, int]
    dimension_scores: dict[str, int]
    total: int
    preliminary_level: str
    final_level: str
    adjustments: tuple[str, ...]

    @property
    def preliminary_label(self) -> str:
        return CapabilityLevel(self.preliminary_level).label

    @property
    def final_label(self) -> str:
        return CapabilityLevel(self.final_level).label


def level_for_total(total: int) -> str:
    if not 0 <= total <= MAX_TOTAL:
        raise ValueError(f"total {total} outside 0–{MAX_TOTAL}")
    for floor, level in LEVEL_FLOORS:
        if total >= floor:
            return level
    raise AssertionError("unreachable")


def validate_items(items: Mapping[str, object]) -> dict[str, int]:
    """Every one of the 26 items, each a whole number within its range; else every error."""
    errors: dict[str, str] = {}
    clean: dict[str, int] = {}
    if not isinstance(items, Mapping):
        raise ScoringInputError({"items": "应为“项目代码: 分值”的对象"})
    for item in ITEMS:
        key = f"items.{item.code}"
        if item.code not in items or items[item.code] is None or items[item.code] == "":
            errors[key] = f"缺少“{item.label}”的评分（0–{item.max_score}）"
            continue
        raw = items[item.code]
        if isinstance(raw, bool) or not isinstance(raw, (int, str)):
            errors[key] = f"“{item.label}”的评分应为 0–{item.max_score} 的整数"
            continue
        try:
            value = int(raw)
        except ValueError:
            errors[key] = f"“{item.label}”的评分应为 0–{item.max_score} 的整数"
            continue
        if not 0 <= value <= item.max_score:
            errors[key] = f"“{item.label}”的评分 {value} 超出范围 0–{item.max_score}"
            continue
        clean[item.code] = value
    for code in items:
        if code not in ITEMS_BY_CODE:
            errors[f"items.{code}"] = "未知的评估项目代码"
    if errors:
        raise ScoringInputError(errors)
    return clean


def score(
    items: Mapping[str, object],
    *,
    coma: bool = False,
    dementia_or_mental_disorder: bool = False,
    risk_events_30d: int = 0,
) -> ScoreResult:
    if isinstance(risk_events_30d, bool) or not isinstance(risk_events_30d, int) or risk_events_30d < 0:
        raise ScoringInputError({"risk_events_30d": "近30天风险事件次数应为不小于0的整数"})
    clean = validate_items(items)
    dimension_scores = {code: 0 for code, _ in DIMENSIONS}
    for code, value in clean.items():
        dimension_scores[ITEMS_BY_CODE[code].dimension] += value
    total = sum(dimension_scores.values())
    preliminary = level_for_total(total)
    adjustments: list[str] = []
    if coma:
        final = CapabilityLevel.COMPLETE
        adjustments.append("昏迷：直接评定为能力完全丧失")
    else:
        raise_by = 0
        if dementia_or_mental_disorder:
            raise_by += 1
            adjustments.append("确诊痴呆或精神疾病：提高一个等级")
        if risk_events_30d >= RISK_EVENTS_RAISE_AT:
            raise_by += 1
            adjustments.append(f"近30天发生{risk_events_30d}次照护风险事件：提高一个等级")
        index = min(LEVEL_ORDER.index(preliminary) + raise_by, len(LEVEL_ORDER) - 1)
        final = LEVEL_ORDER[index]
        if raise_by and LEVEL_ORDER.index(preliminary) + raise_by > len(LEVEL_ORDER) - 1:
            adjustments.append("已达能力完全丧失，不再提高")
    return ScoreResult(
        items=clean,
        dimension_scores=dimension_scores,
        total=total,
        preliminary_level=str(preliminary),
        final_level=str(final),
        adjustments=tuple(adjustments),
    )
