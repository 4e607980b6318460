"""The district outline and the towns' map points for the dashboard.

There are no town polygons yet, so each town is a point at a synthetic, deterministic position
inside the district outline (seeded by its code): the same on every run and every machine,
and marked as synthetic on the map. When town polygons exist, replace ``town_points``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
from pathlib import Path

from django.conf import settings

from minzheng.divisions.directory import get_directory

OUTLINE_FILE = "fuling_boundary.geojson"


@functools.lru_cache(maxsize=1)
def district_outline() -> dict:
    path = Path(settings.DIVISIONS_DATA_DIR) / OUTLINE_FILE
    return json.loads(path.read_text(encoding="utf-8"))


def _rings(outline: dict) -> list[list[list[float]]]:
    rings = []
    for feature in outline["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for polygon in polygons:
            rings.append(polygon[0])  # outer ring; the outline has no holes
    return rings


def _inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains(lon: float, lat: float) -> bool:
    return any(_inside(lon, lat, ring) for ring in _rings(district_outline()))


def _bbox() -> tuple[float, float, float, float]:
    points = [p for ring in _rings(district_outline()) for p in ring]
    return (min(p[0] for p in points), min(p[1] for p in points), max(p[0] for p in points), max(p[1] for p in points))


def synthetic_point(code: str) -> tuple[float, float]:
    seed = int(hashlib.sha256(f"fuling-town-{code}".encode()).hexdigest()[:16], 16)
    rng = random.Random(seed)
    west, south, east, north = _bbox()
    for _ in range(10_000):
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if contains(lon, lat):
            return round(lon, 5), round(lat, 5)
    raise RuntimeError("no point inside the outline")  # pragma: no cover


@functools.lru_cache(maxsize=1)
def town_points() -> dict[str, tuple[float, float]]:
    return {t.code: synthetic_point(t.code) for t in get_directory().towns()}
