"""Worked examples for the GB/T 42195-2022 scoring tests."""

from __future__ import annotations

from minzheng.eldercare.scoring import ITEMS


def full_marks() -> dict[str, int]:
    return {item.code: item.max_score for item in ITEMS}


def items_with_total(total: int) -> dict[str, int]:
    """All items at full marks, then points taken off item by item (in the standard's order)
    until the total is reached: a reproducible worked example for any total 0–90."""
    items = full_marks()
    to_remove = 90 - total
    for item in ITEMS:
        take = min(to_remove, items[item.code])
        items[item.code] -= take
        to_remove -= take
    assert to_remove == 0 and sum(items.values()) == total
    return items
