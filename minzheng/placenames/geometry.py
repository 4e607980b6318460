"""The checks of coordinates and GeoJSON against the district outline (the outline and its
bounding box live with the divisions: divisions/outline.py)."""

from __future__ import annotations

from decimal import Decimal

from minzheng.divisions.outline import contains, district_bbox, district_outline, in_bbox, outline_ring

__all__ = ["check_geometry", "contains", "district_bbox", "district_outline", "in_bbox", "outline_ring"]


def check_geometry(value) -> str:
    """'' for a valid GeoJSON Point or LineString inside the district's bounding box, else the
    Chinese reason."""
    if value in (None, "", {}):
        return ""
    if not isinstance(value, dict) or value.get("type") not in ("Point", "LineString"):
        return "位置须为点（Point）或线（LineString）"
    coords = value.get("coordinates")
    points = [coords] if value["type"] == "Point" else coords
    try:
        parsed = [(Decimal(str(p[0])), Decimal(str(p[1]))) for p in points]
    except (TypeError, IndexError, ValueError, ArithmeticError):
        return "坐标格式无效"
    if not parsed or (value["type"] == "LineString" and len(parsed) < 2):
        return "线至少需要两个点"
    if not all(in_bbox(x, y) for x, y in parsed):
        return "坐标不在涪陵区范围内"
    return ""
