"""Registry rows → the rules engine's batch frames (rules/frames.py schema), in bulk.

Alerts are re-checked with the engine's batch evaluator, so that the candidates of a
100,000-row feed are checked in one vectorised pass rather than household by household.
One query per chunk of households; living current members only (as ``household_facts``).
A person who lives in no household is evaluated as a one-person household whose id is the
negative person id.

(The per-case explanation shown on an alert uses ``minzheng.registry.facts.household_facts``
with ``evaluate_household``: see ``explain.py``. This module is the batch counterpart; if the
screening app grows a shared bulk loader, this one should be replaced by it.)
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from minzheng.divisions.directory import get_directory
from minzheng.rules import HOUSEHOLD_SCHEMA, MEMBER_SCHEMA

CHUNK = 5000
_MEMBER_FIELDS = (
    "birth_date",
    "sex",
    "disability_category",
    "disability_grade",
    "serious_illness",
    "student",
    "work_capacity",
    "has_capable_supporter",
    "self_care",
    "child_status",
    "in_institution",
    "income_wage_fen",
    "income_business_fen",
    "income_property_fen",
    "income_transfer_fen",
)
_HOUSEHOLD_COLUMNS = [*HOUSEHOLD_SCHEMA, "division_code"]
MEMBER_COLUMNS = list(MEMBER_SCHEMA)


_RAW_MEMBER_COLUMNS = ["household_id", "member_id", "relation", *_MEMBER_FIELDS]
_BOOLEAN_FIELDS = ("serious_illness", "student", "has_capable_supporter", "in_institution")


def _members_frame(rows: list[tuple]) -> pl.DataFrame:
    """Raw member tuples (registry columns, as the driver returns them) → MEMBER_SCHEMA."""
    if not rows:
        return pl.DataFrame(schema={**MEMBER_SCHEMA, "member_id": pl.Int64})
    raw = pl.DataFrame(rows, schema=_RAW_MEMBER_COLUMNS, orient="row", infer_schema_length=None)
    birth = pl.col("birth_date")
    birth = birth.str.to_date("%Y-%m-%d") if raw.schema["birth_date"] == pl.Utf8 else birth.cast(pl.Date)
    frame = raw.select(
        pl.col("household_id").cast(pl.Int64),
        pl.col("member_id").cast(pl.Int64),
        pl.col("relation").cast(pl.Utf8),
        birth.alias("birth_date"),
        pl.col("sex").cast(pl.Utf8),
        # A category without a grade is no disability (as registry.facts does).
        pl.when(pl.col("disability_grade").cast(pl.Int64) > 0)
        .then(pl.col("disability_category").cast(pl.Utf8).replace("", None))
        .otherwise(None)
        .alias("disability_category"),
        pl.col("disability_grade").cast(pl.Int8),
        *(pl.col(name).cast(pl.Boolean) for name in _BOOLEAN_FIELDS[:2]),
        (pl.col("work_capacity").cast(pl.Utf8) != "none").alias("able_to_work"),
        *(pl.col(name).cast(pl.Boolean) for name in _BOOLEAN_FIELDS[2:]),
        pl.col("self_care").cast(pl.Utf8),
        pl.col("child_status").cast(pl.Utf8).replace("", None).alias("child_status"),
        *(pl.col(f"income_{k}_fen").cast(pl.Int64) for k in ("wage", "business", "property", "transfer")),
    )
    return frame.select(list(MEMBER_SCHEMA))


def load_frames(household_ids: Iterable[int], solo_person_ids: Iterable[int] = ()) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(households, members) for the given households and one-person pseudo households.

    The querysets are built by the ORM; their rows are fetched raw (``raw_rows``) and typed by
    Polars in a few vectorised casts — the per-row converters would cost seconds here."""
    from minzheng.exchange.matching import InValues, raw_rows
    from minzheng.registry.models import Household, HouseholdMembership, Person

    household_ids = sorted({int(h) for h in household_ids if h is not None})
    solo_person_ids = sorted({int(p) for p in solo_person_ids})
    household_rows: list[tuple] = []
    member_rows: list[tuple] = []
    person_fields = [f"person__{f}" for f in _MEMBER_FIELDS]
    for start in range(0, len(household_ids), CHUNK):
        part = household_ids[start : start + CHUNK]
        household_rows.extend(
            raw_rows(
                Household.objects.filter(InValues("id", part)).values_list(
                    "id", "zone", "financial_assets_fen", "vehicle_value_fen", "rigid_spending_12m_fen", "division_code"
                )
            )
        )
        member_rows.extend(
            raw_rows(
                HouseholdMembership.objects.filter(InValues("household_id", part), valid_to__isnull=True, person__is_deceased=False)
                .values_list("household_id", "person_id", "relation", *person_fields)
            )
        )
    directory = get_directory()
    for start in range(0, len(solo_person_ids), CHUNK):
        part = solo_person_ids[start : start + CHUNK]
        for pk, division, *values in raw_rows(
            Person.objects.filter(id__in=part, is_deceased=False).values_list("id", "division_code", *_MEMBER_FIELDS)
        ):
            info = directory.get(division)
            household_rows.append((-pk, (info.zone if info and info.zone else "rural"), 0, 0, 0, division))
            member_rows.append((-pk, pk, "head", *values))
    households = pl.DataFrame(
        household_rows, schema={**HOUSEHOLD_SCHEMA, "division_code": pl.Utf8}, orient="row"
    )
    members = _members_frame(member_rows)
    # The engine refuses a frame with a household without members or a disability grade without
    # a category (registry validation prevents both; a stray row must not block everyone else).
    inconsistent = members.filter((pl.col("disability_grade") > 0) & pl.col("disability_category").is_null())
    if inconsistent.height:
        bad = inconsistent["household_id"].unique()
        members = members.filter(~pl.col("household_id").is_in(bad.implode()))
    households = households.filter(pl.col("household_id").is_in(members["household_id"].unique().implode()))
    return households, members


def subject_household(person_id: int, household_id: int | None) -> int:
    """The frame household of a person: their household, or their one-person pseudo household."""
    return household_id if household_id is not None else -person_id


__all__ = ["MEMBER_COLUMNS", "load_frames", "subject_household"]
