"""The 15-minute home-care service circle (一刻钟居家养老服务圈), indicator 18.

A village (or community) is *covered* when a community service facility — a 街道/乡镇养老服务
中心, 社区养老服务站 or 村养老服务点 in operation — lies within the service radius (a dated
parameter) of its map point, measured as a straight line (haversine). A person aged 60+ is
covered when a facility lies within the radius of *their* point (their village point plus a
deterministic offset from their person id, see geometry.person_point). Walking time is
approximated as distance ÷ walking speed (a parameter).

Indicator 18 = covered villages and communities ÷ all villages and communities (a ratio of
totals, never a mean of town percentages). The share of people 60+ covered is reported
beside it.

The computation is vectorised in Polars: facilities are bucketed into a grid whose cell is
the radius, each point is joined only to the facilities of its own and the 8 neighbouring
cells, and exact distances are computed on those candidate pairs. No per-row Python loop.
"""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass, field

import polars as pl
from django.db.models import StringAgg, TextField, Value
from django.db.models.functions import Cast

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.divisions.directory import get_directory
from minzheng.eldercare.enums import CIRCLE_KINDS, FacilityStatus
from minzheng.eldercare.geometry import EARTH_RADIUS_M, MOD, MULT_ANGLE, MULT_RADIUS
from minzheng.eldercare.models import Facility, VillageLocation
from minzheng.eldercare.params import param
from minzheng.eldercare.selectors import elders_for

# Synthetic geography only (not policy): how far from its village point a person may live.
PERSON_MAX_OFFSET_M = {"社区": 400.0, "村": 1500.0}
DEG = math.pi / 180.0


@dataclass
class CircleSettings:
    radius_m: float
    walking_m_per_min: float
    provisional: bool
    references: list[str] = field(default_factory=list)

    @classmethod
    def on(cls, day: dt.date) -> CircleSettings:
        radius = param("circle.service_radius", day)
        speed = param("circle.walking_speed", day)
        return cls(
            radius_m=float(radius.value),
            walking_m_per_min=float(speed.value),
            provisional=radius.provisional or speed.provisional,
            references=[radius.reference, speed.reference],
        )

    @property
    def walking_minutes(self) -> float:
        return self.radius_m / self.walking_m_per_min


def _haversine_expr(lon1: str, lat1: str, lon2: str, lat2: str) -> pl.Expr:
    p1, p2 = pl.col(lat1) * DEG, pl.col(lat2) * DEG
    dp = p2 - p1
    dl = (pl.col(lon2) - pl.col(lon1)) * DEG
    a = (dp / 2).sin().pow(2) + p1.cos() * p2.cos() * (dl / 2).sin().pow(2)
    return 2 * EARTH_RADIUS_M * a.sqrt().clip(upper_bound=1.0).arcsin()


def nearest_within(points: pl.DataFrame, facilities: pl.DataFrame, radius_m: float) -> pl.DataFrame:
    """For each point (id, lon, lat): the nearest facility (facility_id, distance_m) within
    radius_m, or nulls. Grid join: a facility within the radius is always in the point's
    own or a neighbouring cell, because the cell is at least the radius wide."""
    empty = points.select("id").with_columns(
        pl.lit(None, dtype=pl.Int64).alias("facility_id"), pl.lit(None, dtype=pl.Float64).alias("distance_m")
    )
    if points.height == 0 or facilities.height == 0:
        return empty
    lat0 = float(facilities["lat"].mean())
    lon0 = float(facilities["lon"].mean())
    kx = EARTH_RADIUS_M * DEG * math.cos(lat0 * DEG)
    ky = EARTH_RADIUS_M * DEG
    # 1 % margin for the equirectangular approximation over a district (< 0.1 % error).
    cell = radius_m * 1.01

    def cells(df: pl.DataFrame) -> pl.DataFrame:
        return df.with_columns(
            ((pl.col("lon") - lon0) * kx / cell).floor().cast(pl.Int64).alias("cx"),
            ((pl.col("lat") - lat0) * ky / cell).floor().cast(pl.Int64).alias("cy"),
        )

    neighbours = pl.DataFrame({"dx": [-1, -1, -1, 0, 0, 0, 1, 1, 1], "dy": [-1, 0, 1, -1, 0, 1, -1, 0, 1]})
    fac = (
        cells(facilities.select(pl.col("id").alias("facility_id"), "lon", "lat"))
        .rename({"lon": "flon", "lat": "flat"})
        .join(neighbours, how="cross")
        .select("facility_id", "flon", "flat", (pl.col("cx") + pl.col("dx")).alias("cx"), (pl.col("cy") + pl.col("dy")).alias("cy"))
    )
    pairs = (
        cells(points.select("id", "lon", "lat"))
        .join(fac, on=["cx", "cy"], how="inner")
        .with_columns(_haversine_expr("lon", "lat", "flon", "flat").alias("distance_m"))
        .filter(pl.col("distance_m") <= radius_m)
    )
    best = pairs.group_by("id").agg(
        pl.col("facility_id").get(pl.col("distance_m").arg_min()).cast(pl.Int64),
        pl.col("distance_m").min(),
    )
    return points.select("id").join(best, on="id", how="left")


def nearest_any(points: pl.DataFrame, facilities: pl.DataFrame) -> pl.DataFrame:
    """Nearest facility at any distance (small sets only: villages × facilities)."""
    if points.height == 0 or facilities.height == 0:
        return points.select("id").with_columns(
            pl.lit(None, dtype=pl.Int64).alias("facility_id"), pl.lit(None, dtype=pl.Float64).alias("distance_m")
        )
    fac = facilities.select(pl.col("id").alias("facility_id"), pl.col("lon").alias("flon"), pl.col("lat").alias("flat"))
    return (
        points.select("id", "lon", "lat")
        .join(fac, how="cross")
        .with_columns(_haversine_expr("lon", "lat", "flon", "flat").alias("distance_m"))
        .sort(["id", "distance_m", "facility_id"])
        .group_by("id", maintain_order=True)
        .first()
        .select("id", pl.col("facility_id").cast(pl.Int64), "distance_m")
    )


def person_points(people: pl.DataFrame, villages: pl.DataFrame) -> pl.DataFrame:
    """people (id, division_code) + villages (division_code, lon, lat, max_offset_m) →
    (id, division_code, lon, lat): the same formula as geometry.person_point, vectorised."""
    joined = people.join(villages.select("division_code", "lon", "lat", "max_offset_m"), on="division_code", how="inner")
    pid = pl.col("id").cast(pl.Int64)
    u_angle = ((pid * MULT_ANGLE) % MOD).cast(pl.Float64) / MOD
    u_radius = ((pid * MULT_RADIUS + 374_761_393) % MOD).cast(pl.Float64) / MOD
    r = u_radius * pl.col("max_offset_m")
    theta = u_angle * (2 * math.pi)
    east, north = r * theta.cos(), r * theta.sin()
    return joined.select(
        "id",
        "division_code",
        (pl.col("lon") + (east / (EARTH_RADIUS_M * (pl.col("lat") * DEG).cos())) / DEG).alias("lon"),
        (pl.col("lat") + (north / EARTH_RADIUS_M) / DEG).alias("lat"),
    )


@dataclass
class CoverageResult:
    settings: CircleSettings
    villages: pl.DataFrame  # division_code, town_code, lon, lat, covered, distance_m, facility_id, walk_minutes
    people_total: int
    people_covered: int
    by_town: list[dict]
    facilities_used: int
    elapsed_s: float

    @property
    def villages_total(self) -> int:
        return self.villages.height

    @property
    def villages_covered(self) -> int:
        return int(self.villages["covered"].sum()) if self.villages.height else 0

    @property
    def village_share(self) -> float | None:
        return _pct(self.villages_covered, self.villages_total)

    @property
    def people_share(self) -> float | None:
        return _pct(self.people_covered, self.people_total)

    def uncovered_villages(self) -> list[dict]:
        directory = get_directory()
        rows = self.villages.filter(~pl.col("covered")).sort("division_code").to_dicts()
        for r in rows:
            r["name"] = directory.name(r["division_code"])
            r["town_name"] = directory.name(r["town_code"])
        return rows

    def as_dict(self, *, include_villages: bool = False) -> dict:
        out = {
            "radius_m": self.settings.radius_m,
            "walking_m_per_min": self.settings.walking_m_per_min,
            "walking_minutes": round(self.settings.walking_minutes, 1),
            "provisional": self.settings.provisional,
            "definition": "指标18 = 服务半径内有社区养老服务设施的村（社区）数 ÷ 村（社区）总数；另报60周岁以上老年人覆盖比例",
            "villages_total": self.villages_total,
            "villages_covered": self.villages_covered,
            "village_share": self.village_share,
            "people_total": self.people_total,
            "people_covered": self.people_covered,
            "people_share": self.people_share,
            "facilities_used": self.facilities_used,
            "elapsed_s": round(self.elapsed_s, 3),
            "by_town": self.by_town,
            "uncovered_villages": [
                {k: r[k] for k in ("division_code", "name", "town_name", "distance_m", "walk_minutes")}
                for r in self.uncovered_villages()
            ],
        }
        if include_villages:
            out["villages"] = self.villages.to_dicts()
        return out


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def compute_coverage(
    villages: pl.DataFrame,
    facilities: pl.DataFrame,
    people: pl.DataFrame,
    settings: CircleSettings,
) -> CoverageResult:
    """Pure computation. villages: division_code, lon, lat, max_offset_m; facilities: id, lon,
    lat; people: id, division_code (or id, division_code, lon, lat if already placed)."""
    started = time.perf_counter()
    villages = villages.with_columns(pl.col("division_code").str.slice(0, 9).alias("town_code"))
    vpoints = villages.select(pl.col("division_code").alias("id"), "lon", "lat")
    vfac = facilities.select(pl.col("id").cast(pl.Int64), "lon", "lat")
    nearest = nearest_any(
        vpoints.with_row_index("rid").select(pl.col("rid").cast(pl.Int64).alias("id"), "lon", "lat"), vfac
    )
    vres = (
        villages.with_row_index("rid")
        .with_columns(pl.col("rid").cast(pl.Int64))
        .join(nearest.rename({"id": "rid"}), on="rid", how="left")
        .drop("rid")
        .with_columns(
            (pl.col("distance_m").is_not_null() & (pl.col("distance_m") <= settings.radius_m)).alias("covered"),
            (pl.col("distance_m") / settings.walking_m_per_min).round(1).alias("walk_minutes"),
        )
    )
    if "lon" not in people.columns:
        people = person_points(people, villages)
    pres = nearest_within(people.select("id", "lon", "lat"), vfac, settings.radius_m)
    people_cov = people.select("id", pl.col("division_code").str.slice(0, 9).alias("town_code")).join(
        pres.select("id", pl.col("distance_m").is_not_null().alias("covered")), on="id", how="left"
    )
    town_people = people_cov.group_by("town_code").agg(
        pl.len().alias("people"), pl.col("covered").sum().alias("people_covered")
    )
    town_villages = vres.group_by("town_code").agg(
        pl.len().alias("villages"), pl.col("covered").sum().alias("villages_covered")
    )
    towns = town_villages.join(town_people, on="town_code", how="full", coalesce=True).fill_null(0).sort("town_code")
    directory = get_directory()
    by_town = []
    for r in towns.to_dicts():
        by_town.append(
            {
                "code": r["town_code"],
                "name": directory.name(r["town_code"]),
                "villages": int(r["villages"]),
                "villages_covered": int(r["villages_covered"]),
                "village_share": _pct(int(r["villages_covered"]), int(r["villages"])),
                "people": int(r["people"]),
                "people_covered": int(r["people_covered"]),
                "people_share": _pct(int(r["people_covered"]), int(r["people"])),
            }
        )
    return CoverageResult(
        settings=settings,
        villages=vres,
        people_total=people_cov.height,
        people_covered=int(people_cov["covered"].sum() or 0),
        by_town=by_town,
        facilities_used=facilities.height,
        elapsed_s=time.perf_counter() - started,
    )


# --------------------------------------------------------------------------- from the database
def circle_facilities_frame() -> pl.DataFrame:
    """Every operating community facility of the district. Facility locations are public
    service points and a circle crosses town lines (a village may be served by the next
    town's station), so coverage reads them all through an explicit system actor; only the
    villages and people in the viewer's scope are counted and listed."""
    system = Actor.system("一刻钟服务圈计算（设施位置）")
    rows = (
        Facility.objects.visible_to(system)
        .filter(status=FacilityStatus.OPERATING, kind__in=CIRCLE_KINDS)
        .values_list("id", "lon", "lat", "name", "kind", "division_code")
    )
    return pl.DataFrame(
        list(rows),
        schema={"id": pl.Int64, "lon": pl.Float64, "lat": pl.Float64, "name": pl.String, "kind": pl.String, "division_code": pl.String},
        orient="row",
    )


def villages_frame(actor: Actor, division_code: str | None = None) -> pl.DataFrame:
    directory = get_directory()
    rows = VillageLocation.objects.within(actor, division_code).values_list("division_code", "lon", "lat")
    data = [
        (code, lon, lat, PERSON_MAX_OFFSET_M["社区" if (directory.get(code) and directory.get(code).kind == "社区") else "村"])
        for code, lon, lat in rows
        if directory.get(code) is not None
    ]
    return pl.DataFrame(
        data,
        schema={"division_code": pl.String, "lon": pl.Float64, "lat": pl.Float64, "max_offset_m": pl.Float64},
        orient="row",
    )


def elders_frame(actor: Actor, division_code: str | None, day: dt.date) -> pl.DataFrame:
    min_age = param("elderly.min_age", day).value
    qs = elders_for(actor, min_age=min_age, division_code=division_code, today=day).order_by()
    # One row per village with its people's ids joined in a string: the database sends 433
    # rows instead of 232,000 (SQLite spends most of a plain read building Python tuples),
    # and Polars splits them back. The queryset is the scoped one (visible_to, filters).
    rows = (
        qs.values("division_code")
        .annotate(ids=StringAgg(Cast("id", TextField()), delimiter=Value(",")))
        .values_list("division_code", "ids")
    )
    frame = pl.DataFrame(list(rows), schema={"division_code": pl.String, "ids": pl.String}, orient="row")
    return (
        frame.with_columns(pl.col("ids").str.split(","))
        .explode("ids")
        .select(pl.col("ids").cast(pl.Int64).alias("id"), "division_code")
    )


def coverage_for(actor: Actor, *, division_code: str | None = None, on: dt.date | None = None) -> CoverageResult:
    day = on or clock.today()
    started = time.perf_counter()
    result = compute_coverage(
        villages_frame(actor, division_code), circle_facilities_frame(), elders_frame(actor, division_code, day), CircleSettings.on(day)
    )
    result.elapsed_s = time.perf_counter() - started
    return result
