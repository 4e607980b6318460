"""The 15-minute circle on a small hand-made geography with known answers."""

from __future__ import annotations

import random

import polars as pl
import pytest

from minzheng.eldercare.coverage import (
    CircleSettings,
    compute_coverage,
    nearest_any,
    nearest_within,
    person_points,
)
from minzheng.eldercare.geometry import haversine_m, offset_point, person_point

LON, LAT = 107.0, 29.5
SETTINGS = CircleSettings(radius_m=1000.0, walking_m_per_min=50.0, provisional=True)


def north(metres: float) -> tuple[float, float]:
    """A point on the meridian LON, `metres` north of LAT (haversine along a meridian is exact)."""
    return offset_point(LON, LAT, 0.0, metres)


# Town A = 敦仁街道 (500102006), town B = 珍溪镇 (500102119). All distances are along one meridian.
VILLAGES = {
    "500102006001": north(0),  # V1: F1 300 m away → covered
    "500102006003": north(3000),  # V2: F1 2,700 m away → not covered
    "500102119001": north(10_000),  # V3: F2 999 m away → covered (just inside)
    "500102119002": north(13_000),  # V4: F3 1,001 m away → not covered (just outside)
    "500102119003": north(-500),  # V5: town B, covered by town A's F1 (800 m): circles cross town lines
}
FACILITIES = {1: north(300), 2: north(10_999), 3: north(14_001)}
PEOPLE = [  # (id, village, point)
    (11, "500102006001", north(0)),  # covered (300 m)
    (12, "500102006003", north(3000)),  # not covered
    (13, "500102006003", north(1000)),  # lives 2 km south of V2's point: 700 m from F1 → covered
    (14, "500102119002", north(14_000)),  # 1 m from F3 → covered though the village is not
    (15, "500102119002", north(20_000)),  # not covered
]


def frames():
    villages = pl.DataFrame(
        [(code, lon, lat, 1000.0) for code, (lon, lat) in VILLAGES.items()],
        schema={"division_code": pl.String, "lon": pl.Float64, "lat": pl.Float64, "max_offset_m": pl.Float64},
        orient="row",
    )
    facilities = pl.DataFrame(
        [(fid, lon, lat) for fid, (lon, lat) in FACILITIES.items()],
        schema={"id": pl.Int64, "lon": pl.Float64, "lat": pl.Float64},
        orient="row",
    )
    people = pl.DataFrame(
        [(pid, code, lon, lat) for pid, code, (lon, lat) in PEOPLE],
        schema={"id": pl.Int64, "division_code": pl.String, "lon": pl.Float64, "lat": pl.Float64},
        orient="row",
    )
    return villages, facilities, people


def test_villages_and_people_covered_as_worked_out_by_hand(db):
    result = compute_coverage(*frames(), SETTINGS)
    covered = dict(result.villages.select("division_code", "covered").iter_rows())
    assert covered == {
        "500102006001": True,
        "500102006003": False,
        "500102119001": True,
        "500102119002": False,
        "500102119003": True,
    }
    distances = {r["division_code"]: round(r["distance_m"]) for r in result.villages.to_dicts()}
    assert distances == {"500102006001": 300, "500102006003": 2700, "500102119001": 999, "500102119002": 1001, "500102119003": 800}
    assert result.villages_covered == 3 and result.villages_total == 5
    assert result.village_share == 60.0  # 3 ÷ 5, not the mean of 50 % and 66.7 %
    assert (result.people_covered, result.people_total) == (3, 5)
    towns = {t["code"]: t for t in result.by_town}
    assert (towns["500102006"]["villages_covered"], towns["500102006"]["villages"]) == (1, 2)
    assert (towns["500102119"]["villages_covered"], towns["500102119"]["villages"]) == (2, 3)
    assert (towns["500102006"]["people_covered"], towns["500102006"]["people"]) == (2, 3)
    assert (towns["500102119"]["people_covered"], towns["500102119"]["people"]) == (1, 2)
    assert [v["division_code"] for v in result.uncovered_villages()] == ["500102006003", "500102119002"]
    v2 = next(v for v in result.uncovered_villages() if v["division_code"] == "500102006003")
    assert v2["walk_minutes"] == 54.0  # 2,700 m at 50 m/min


def test_radius_is_the_parameter(db):
    wider = CircleSettings(radius_m=3000.0, walking_m_per_min=50.0, provisional=True)
    result = compute_coverage(*frames(), wider)
    assert result.villages_covered == 5


def test_grid_join_agrees_with_brute_force():
    rng = random.Random(5)
    pts = [(i, LON + rng.uniform(-0.1, 0.1), LAT + rng.uniform(-0.1, 0.1)) for i in range(3000)]
    fac = [(i, LON + rng.uniform(-0.1, 0.1), LAT + rng.uniform(-0.1, 0.1)) for i in range(60)]
    points = pl.DataFrame(pts, schema={"id": pl.Int64, "lon": pl.Float64, "lat": pl.Float64}, orient="row")
    facilities = pl.DataFrame(fac, schema={"id": pl.Int64, "lon": pl.Float64, "lat": pl.Float64}, orient="row")
    grid = nearest_within(points, facilities, 1200.0).sort("id")
    brute = nearest_any(points, facilities).sort("id")
    for g, b in zip(grid.to_dicts(), brute.to_dicts(), strict=True):
        if b["distance_m"] <= 1200.0:
            assert g["facility_id"] == b["facility_id"]
            assert g["distance_m"] == pytest.approx(b["distance_m"])
        else:
            assert g["facility_id"] is None
    # and the vectorised haversine (Polars) agrees with the scalar one (geometry.haversine_m) to
    # within a micrometre at every point — only floating-point rounding may differ
    point_of = {i: (lon, lat) for i, lon, lat in pts}
    facility_of = {i: (lon, lat) for i, lon, lat in fac}
    rows = brute.to_dicts()
    assert len(rows) == len(pts)
    for row in rows:
        scalar = haversine_m(*point_of[row["id"]], *facility_of[row["facility_id"]])
        assert abs(row["distance_m"] - scalar) <= 1e-6, (row, scalar)
    assert haversine_m(LON, LAT, *north(1234)) == pytest.approx(1234, abs=1e-6)


def test_person_points_vectorised_equal_the_scalar_formula():
    villages = pl.DataFrame(
        {"division_code": ["500102006001"], "lon": [LON], "lat": [LAT], "max_offset_m": [1500.0]}
    )
    ids = [1, 2, 77, 123_456, 1_150_000]
    people = pl.DataFrame({"id": ids, "division_code": ["500102006001"] * len(ids)})
    placed = person_points(people, villages).sort("id").to_dicts()
    for row in placed:
        lon, lat = person_point(row["id"], LON, LAT, 1500.0)
        assert row["lon"] == pytest.approx(lon, abs=1e-9)
        assert row["lat"] == pytest.approx(lat, abs=1e-9)
        assert haversine_m(LON, LAT, lon, lat) <= 1500.0 + 1e-6
