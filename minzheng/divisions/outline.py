"""The district's real outline (divisions/data/fuling_boundary.geojson, with provenance in
PROVENANCE.md) and the check that a point lies within its bounding box — one place for every
line that puts something on the map (place names, markers, community facilities)."""

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


def random_point_inside(rng) -> tuple[float, float]:
    """A point drawn inside the outline (demo data: a facility or a name somewhere in the district)."""
    x0, y0, x1, y1 = (float(v) for v in district_bbox())
    while True:
        lon, lat = round(rng.uniform(x0, x1), 6), round(rng.uniform(y0, y1), 6)
        if contains(lon, lat):
            return lon, lat
