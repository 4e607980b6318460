"""Synthetic households for tests and benchmarks (never real people).

``random_household_data`` builds one household in the JSON shape of ``parse_household_facts``
around the edges the rules care about: ages on birthdays that fall on the period's first day,
per-capita income one fen either side of the standard and of the edge line, assets exactly at
the limit, a vehicle exactly at the exemption, wages whose deduction needs rounding, children
in and out of institutions, every disability grade and self-care tier. Boundary values are
read from the parameters so the generator follows any dated change.

``synthetic_frames`` builds large batch frames directly in Polars (hash-based pseudo-random
columns), for the benchmark.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

import polars as pl

from minzheng.core.money import round_to_fen
from minzheng.rules.engine.parameters import ParameterSet, load_parameters
from minzheng.rules.engine.periods import Period
from minzheng.rules.facts import CHILD_STATUSES, DISABILITY_CATEGORIES, SELF_CARE_LEVELS

BOUNDARY_AGES = (0, 1, 5, 6, 7, 15, 16, 17, 18, 19, 35, 59, 60, 61, 69, 70, 71, 88)
HOUSEHOLD_SIZES = (1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 5, 6)
CENT = Decimal("0.01")


def _birth_date(rng: random.Random, period: Period) -> dt.date:
    age = rng.choice(BOUNDARY_AGES)
    start = period.start
    roll = rng.random()
    if roll < 0.4:  # birthday exactly on the first day of the period: just turned ``age``
        return dt.date(start.year - age, start.month, 1)
    if roll < 0.7:  # birthday the next day: still ``age - 1`` on the first day
        return dt.date(start.year - age, start.month, 2) if age else start
    return dt.date(start.year - age, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _money(rng: random.Random, high: int) -> Decimal:
    return Decimal(rng.randrange(0, high * 100 + 1)) / 100


def _member(rng: random.Random, period: Period, index: int) -> dict[str, Any]:
    birth = _birth_date(rng, period)
    if birth > period.end:
        birth = period.start
    grade = rng.choice((0, 0, 0, 0, 1, 2, 3, 4))
    minor_guess = period.start.year - birth.year < 19
    child_status = None
    if rng.random() < (0.3 if minor_guess else 0.03):
        child_status = rng.choice(CHILD_STATUSES)
    return {
        "id": f"m{index + 1}",
        "relation": "head" if index == 0 else rng.choice(("spouse", "child", "parent", "grandchild", "other")),
        "birth_date": birth.isoformat(),
        "sex": rng.choice(("M", "F")),
        "disability_category": rng.choice(DISABILITY_CATEGORIES) if grade else None,
        "disability_grade": grade,
        "serious_illness": rng.random() < 0.1,
        "student": rng.random() < 0.15,
        "able_to_work": rng.random() < 0.5,
        "has_capable_supporter": rng.random() < 0.4,
        "self_care": rng.choice(SELF_CARE_LEVELS),
        "child_status": child_status,
        "in_institution": rng.random() < 0.2,
        "monthly_income": {
            "wage": str(_money(rng, 2500)) if rng.random() < 0.4 else 0,
            "business": str(_money(rng, 600)) if rng.random() < 0.15 else 0,
            "property": str(_money(rng, 200)) if rng.random() < 0.1 else 0,
            "transfer": str(_money(rng, 400)) if rng.random() < 0.3 else 0,
        },
    }


def _counted_total(members: list[dict], deduction: Decimal) -> Decimal:
    total = Decimal(0)
    for member in members:
        income = member["monthly_income"]
        total += round_to_fen(Decimal(str(income["wage"])) * (1 - deduction))
        total += sum(Decimal(str(income[kind])) for kind in ("business", "property", "transfer"))
    return total


def random_household_data(
    rng: random.Random, period: Period | str, parameters: ParameterSet | None = None
) -> dict[str, Any]:
    """One household in the ``parse_household_facts`` shape, biased towards rule boundaries."""
    parameters = parameters or load_parameters()
    period = Period.of(period)
    zone = rng.choice(("urban", "rural"))
    standard = parameters.value_at(f"dibao.standard.{zone}", period).value
    deduction = parameters.value_at("dibao.income.employment_cost_deduction_rate", period).value
    size = rng.choice(HOUSEHOLD_SIZES)
    members = [_member(rng, period, index) for index in range(size)]

    # Steer per-capita income onto a boundary by adjusting the head's transfer income.
    edge_multiple = parameters.value_at("low_income.edge.income_multiple", period).value
    targets = {
        "below_standard": standard - CENT,
        "at_standard": standard,
        "below_edge": round_to_fen(standard * edge_multiple) - CENT,
        "at_edge": round_to_fen(standard * edge_multiple),
        "zero": Decimal(0),
    }
    mode = rng.choice((*targets, "free", "free"))
    if mode in targets:
        for member in members:
            member["monthly_income"]["transfer"] = 0
        current = _counted_total(members, deduction)
        wanted = targets[mode] * size + Decimal(rng.choice((0, 0, 1, -1))) * CENT
        if wanted < current:
            for member in members:
                member["monthly_income"].update(wage=0, business=0, property=0)
            current = Decimal(0)
        members[0]["monthly_income"]["transfer"] = str(max(wanted - current, Decimal(0)))

    multiple = parameters.value_at("dibao.property.financial_asset_multiple", period).value
    asset_limit_total = round_to_fen(standard * multiple) * size
    assets = rng.choice(
        (Decimal(0), asset_limit_total, asset_limit_total + CENT, asset_limit_total - CENT, _money(rng, 60000))
    )
    exemption = parameters.value_at("dibao.property.vehicle_exemption_value", period).value
    vehicles = rng.choice(([], [], [str(exemption)], [str(exemption + CENT)], [str(_money(rng, 80000)), "1000"]))

    annual = _counted_total(members, deduction) * 12
    share = parameters.value_at("low_income.rigid_spending.share_of_household_income", period).value
    rigid = rng.choice(
        (Decimal(0), round_to_fen(annual * share), round_to_fen(annual * share) + CENT, _money(rng, 80000))
    )
    return {
        "period": str(period),
        "household": {
            "zone": zone,
            "division_code": "500102006001",
            "financial_assets": str(max(assets, Decimal(0))),
            "vehicle_values": vehicles,
            "rigid_spending_12m": str(rigid),
            "members": members,
        },
    }


def synthetic_frames(households: int, period: Period | str = "2024-10", seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Large batch frames, vectorised: about 2.56 members per household on average."""
    period = Period.of(period)

    def uniform(key: pl.Expr, salt: int, modulus: int) -> pl.Expr:
        return (key.hash(seed * 1_000_003 + salt) % modulus).cast(pl.Int64)

    hid = pl.col("household_id")
    household_frame = pl.DataFrame({"household_id": pl.int_range(0, households, eager=True, dtype=pl.Int64)})
    size_roll = uniform(hid, 1, 100)
    household_frame = household_frame.with_columns(
        pl.when(size_roll < 22).then(1).when(size_roll < 54).then(2).when(size_roll < 78).then(3)
        .when(size_roll < 92).then(4).when(size_roll < 98).then(5).otherwise(6).cast(pl.Int64).alias("size"),
        pl.when(uniform(hid, 2, 10) < 6).then(pl.lit("urban")).otherwise(pl.lit("rural")).alias("zone"),
        (uniform(hid, 3, 40_000) * 100).alias("financial_assets_fen"),
        pl.when(uniform(hid, 4, 10) < 8).then(0).otherwise(uniform(hid, 5, 60_000) * 100).alias("max_vehicle_value_fen"),
        (uniform(hid, 6, 50_000) * 100).alias("rigid_spending_12m_fen"),
    )
    member_frame = (
        household_frame.select("household_id", pl.int_ranges(0, pl.col("size")).alias("index"))
        .explode("index")
        .with_columns((pl.col("household_id") * 8 + pl.col("index")).alias("member_id"))
    )
    key = pl.col("member_id")
    grade = pl.when(uniform(key, 10, 10) < 8).then(0).otherwise(uniform(key, 11, 4) + 1)
    categories = pl.Series(DISABILITY_CATEGORIES)
    age_days = uniform(key, 12, 90 * 365)
    member_frame = member_frame.with_columns(
        pl.when(pl.col("index") == 0).then(pl.lit("head")).otherwise(pl.lit("other")).alias("relation"),
        (pl.lit(period.start) - pl.duration(days=age_days)).cast(pl.Date).alias("birth_date"),
        pl.when(uniform(key, 13, 2) == 0).then(pl.lit("M")).otherwise(pl.lit("F")).alias("sex"),
        grade.cast(pl.Int8).alias("disability_grade"),
        pl.when(grade > 0).then(
            pl.lit(categories).gather(uniform(key, 14, len(DISABILITY_CATEGORIES)))
        ).otherwise(None).alias("disability_category"),
        (uniform(key, 15, 10) == 0).alias("serious_illness"),
        (uniform(key, 16, 7) == 0).alias("student"),
        (uniform(key, 17, 2) == 0).alias("able_to_work"),
        (uniform(key, 18, 3) == 0).alias("has_capable_supporter"),
        pl.lit(pl.Series(SELF_CARE_LEVELS)).gather(uniform(key, 19, 3)).alias("self_care"),
        pl.when(uniform(key, 20, 40) == 0).then(pl.lit("orphan"))
        .when(uniform(key, 20, 40) == 1).then(pl.lit("de_facto_unsupported")).otherwise(None).alias("child_status"),
        (uniform(key, 21, 10) == 0).alias("in_institution"),
        pl.when(uniform(key, 22, 3) == 0).then(uniform(key, 23, 300_000)).otherwise(0).alias("income_wage_fen"),
        pl.when(uniform(key, 24, 8) == 0).then(uniform(key, 25, 60_000)).otherwise(0).alias("income_business_fen"),
        pl.when(uniform(key, 26, 10) == 0).then(uniform(key, 27, 20_000)).otherwise(0).alias("income_property_fen"),
        pl.when(uniform(key, 28, 3) == 0).then(uniform(key, 29, 40_000)).otherwise(0).alias("income_transfer_fen"),
    ).drop("index")
    return household_frame.drop("size"), member_frame
