"""The district outline (the project's real outline, divisions/data/fuling_boundary.geojson)
and the checks of coordinates and GeoJSON against it."""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path

from django.conf import settings

OUTLINE_FILE = "fuling_boundary.geojson"


@functools.lru_cache(maxsize=1)
def district_outline() -> dict:
    return json.loads((Path(settings.DIVISIONS_DATA_DIR) / OUTLINE_FILE).read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def district_bbox() -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(min lon, min lat, max lon, max lat) of the outline."""
    points = []
    for feature in district_outline()["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for polygon in polygons:
            points.extend(polygon[0])
    return (Decimal(str(min(p[0] for p in points))), Decimal(str(min(p[1] for p in points))),
            Decimal(str(max(p[0] for p in points))), Decimal(str(max(p[1] for p in points))))  # fmt: skip


def in_bbox(lon: Decimal, lat: Decimal) -> bool:
    x0, y0, x1, y1 = district_bbox()
    return x0 <= lon <= x1 and y0 <= lat <= y1


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


def outline_ring() -> list[list[float]]:
    """The outer ring of the district outline (one polygon)."""
    geom = district_outline()["features"][0]["geometry"]
    polygon = geom["coordinates"][0] if geom["type"] == "MultiPolygon" else geom["coordinates"]
    return polygon[0]


def contains(lon: float, lat: float) -> bool:
    ring = outline_ring()
    inside, j = False, len(ring) - 1
    for i in range(len(ring)):
        xi, yi, xj, yj = ring[i][0], ring[i][1], ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside
