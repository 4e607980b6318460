"""Plane geometry for the demo district: the real outline, point-in-polygon, haversine, and
deterministic synthetic points (villages, facilities, people) inside the outline.

Synthetic coordinates are NOT real locations: the demo district has only its true outline
(divisions/data/fuling_boundary.geojson); every village, facility and person is placed by a
seeded generator so that runs are reproducible.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings

EARTH_RADIUS_M = 6_371_008.8
Ring = Sequence[tuple[float, float]]


@dataclass(frozen=True)
class Outline:
    """A (multi)polygon: a list of polygons, each an outer ring and optional holes."""

    polygons: tuple[tuple[tuple[tuple[float, float], ...], ...], ...]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        xs = [x for poly in self.polygons for ring in poly for x, _ in ring]
        ys = [y for poly in self.polygons for ring in poly for _, y in ring]
        return min(xs), min(ys), max(xs), max(ys)

    def contains(self, lon: float, lat: float) -> bool:
        for poly in self.polygons:
            if _in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, hole) for hole in poly[1:]):
                return True
        return False

    def geojson(self) -> dict:
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "涪陵区"},
                    "geometry": {
                        "type": "MultiPolygon",
                        "coordinates": [[[list(p) for p in ring] for ring in poly] for poly in self.polygons],
                    },
                }
            ],
        }


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    """Even-odd ray casting."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def outline_from_geojson(data: dict) -> Outline:
    features = data["features"] if data.get("type") == "FeatureCollection" else [data]
    polygons = []
    for feature in features:
        geometry = feature.get("geometry", feature)
        coords = geometry["coordinates"]
        polys = coords if geometry["type"] == "MultiPolygon" else [coords]
        for poly in polys:
            polygons.append(tuple(tuple((float(x), float(y)) for x, y, *_ in ring) for ring in poly))
    return Outline(tuple(polygons))


@functools.lru_cache(maxsize=1)
def district_outline() -> Outline:
    path = settings.DIVISIONS_DATA_DIR / "fuling_boundary.geojson"
    return outline_from_geojson(json.loads(path.read_text(encoding="utf-8")))


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def offset_point(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    dlat = north_m / EARTH_RADIUS_M
    dlon = east_m / (EARTH_RADIUS_M * math.cos(math.radians(lat)))
    return lon + math.degrees(dlon), lat + math.degrees(dlat)


def seeded_rng(*parts: object) -> random.Random:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def random_point_near(
    rng: random.Random, outline: Outline, lon: float, lat: float, *, max_m: float, min_m: float = 0.0, tries: int = 400
) -> tuple[float, float]:
    """A point inside the outline between min_m and max_m from (lon, lat)."""
    for attempt in range(tries):
        grow = 1.0 + attempt / 100  # widen slowly if the centre sits near the border
        r = math.sqrt(rng.uniform((min_m / max_m) ** 2, 1.0)) * max_m * grow
        theta = rng.uniform(0, 2 * math.pi)
        p = offset_point(lon, lat, r * math.cos(theta), r * math.sin(theta))
        if outline.contains(*p):
            return p
    raise ValueError("no point inside the outline near the centre")


def random_point_inside(rng: random.Random, outline: Outline) -> tuple[float, float]:
    x0, y0, x1, y1 = outline.bbox
    while True:
        p = (rng.uniform(x0, x1), rng.uniform(y0, y1))
        if outline.contains(*p):
            return p


# --------------------------------------------------------------------------- people
# A person's map point is their village point plus a small offset derived from the person
# id alone, so the same person always lands at the same place. The same integer formula is
# used per person here and vectorised over the whole population in coverage.py.
MULT_ANGLE = 2_654_435_761
MULT_RADIUS = 2_246_822_519
MOD = 2**32


def person_unit_pair(person_id: int) -> tuple[float, float]:
    return ((person_id * MULT_ANGLE) % MOD) / MOD, ((person_id * MULT_RADIUS + 374_761_393) % MOD) / MOD


def person_point(person_id: int, village_lon: float, village_lat: float, max_offset_m: float) -> tuple[float, float]:
    u_angle, u_radius = person_unit_pair(person_id)
    r = u_radius * max_offset_m  # denser near the village centre, as houses are
    theta = u_angle * 2 * math.pi
    return offset_point(village_lon, village_lat, r * math.cos(theta), r * math.sin(theta))


def bbox_of(points: Iterable[tuple[float, float]]) -> tuple[float, float, float, float]:
    pts = list(points)
    return min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)
