"""The batch input schema, its validation, and the converter from ``HouseholdFacts``.

Two frames, one row per household and one per member, money in integer fen:

households
    ``household_id`` Int64, ``zone`` Utf8 (urban/rural), ``financial_assets_fen`` Int64,
    ``max_vehicle_value_fen`` Int64 (0 when no vehicle), ``rigid_spending_12m_fen`` Int64 (nullable: not known),
    optional ``division_code`` Utf8.
members
    ``household_id`` Int64, ``member_id`` Int64 or Utf8, ``relation`` Utf8, ``birth_date`` Date,
    ``sex`` Utf8 (M/F), ``disability_category`` Utf8 nullable, ``disability_grade`` Int8 (0 = none),
    ``serious_illness``, ``student``, ``able_to_work``, ``has_capable_supporter`` Boolean,
    ``self_care`` Utf8, ``child_status`` Utf8 nullable, ``in_institution`` Boolean,
    ``income_wage_fen``, ``income_business_fen``, ``income_property_fen``, ``income_transfer_fen`` Int64.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import polars as pl

from minzheng.core.money import yuan_to_fen
from minzheng.rules.facts import (
    CHILD_STATUSES,
    DISABILITY_CATEGORIES,
    SELF_CARE_LEVELS,
    SEXES,
    ZONES,
    HouseholdFacts,
)

HOUSEHOLD_SCHEMA: dict[str, pl.DataType] = {
    "household_id": pl.Int64,
    "zone": pl.Utf8,
    "financial_assets_fen": pl.Int64,
    "max_vehicle_value_fen": pl.Int64,
    "rigid_spending_12m_fen": pl.Int64,
}
OPTIONAL_HOUSEHOLD_COLUMNS: dict[str, pl.DataType] = {"division_code": pl.Utf8}

MEMBER_SCHEMA: dict[str, pl.DataType] = {
    "household_id": pl.Int64,
    "member_id": pl.Utf8,  # or Int64
    "relation": pl.Utf8,
    "birth_date": pl.Date,
    "sex": pl.Utf8,
    "disability_category": pl.Utf8,
    "disability_grade": pl.Int8,
    "serious_illness": pl.Boolean,
    "student": pl.Boolean,
    "able_to_work": pl.Boolean,
    "has_capable_supporter": pl.Boolean,
    "self_care": pl.Utf8,
    "child_status": pl.Utf8,
    "in_institution": pl.Boolean,
    "income_wage_fen": pl.Int64,
    "income_business_fen": pl.Int64,
    "income_property_fen": pl.Int64,
    "income_transfer_fen": pl.Int64,
}
# An optional fact (facts.OPTIONAL_HOUSEHOLD_FACTS) may be null: "not known", so only the
# programs that read it cannot be decided (not eligible in batch).
NULLABLE_HOUSEHOLD_COLUMNS = frozenset({"rigid_spending_12m_fen"})
NULLABLE_MEMBER_COLUMNS = frozenset({"disability_category", "child_status"})

# Fact name (as used in the expression tree) -> column of the joined member frame.
FACT_COLUMNS: dict[str, str] = {
    "zone": "zone",
    "financial_assets": "financial_assets_fen",
    "max_vehicle_value": "max_vehicle_value_fen",
    "rigid_spending_12m": "rigid_spending_12m_fen",
    "income_wage": "income_wage_fen",
    "income_business": "income_business_fen",
    "income_property": "income_property_fen",
    "income_transfer": "income_transfer_fen",
    **{
        name: name
        for name in MEMBER_SCHEMA
        if name not in ("household_id", "member_id") and not name.endswith("_fen")
    },
}

_ENUMS = {
    ("households", "zone"): ZONES,
    ("members", "sex"): SEXES,
    ("members", "self_care"): SELF_CARE_LEVELS,
    ("members", "child_status"): CHILD_STATUSES,
    ("members", "disability_category"): DISABILITY_CATEGORIES,
}


class BatchInputError(ValueError):
    """The frames do not follow the batch schema; ``problems`` lists every finding."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("批量输入不符合规定格式：" + "；".join(problems))


def _conform(frame: pl.DataFrame, schema: dict[str, pl.DataType], name: str, problems: list[str]) -> pl.DataFrame:
    casts = []
    for column, dtype in schema.items():
        if column not in frame.columns:
            problems.append(f"{name}.{column}: 缺少列")
            continue
        actual = frame.schema[column]
        if column == "member_id":
            if not (actual.is_integer() or actual == pl.Utf8):
                problems.append(f"{name}.member_id: 应为 Int64 或 Utf8，实际为 {actual}")
            elif actual.is_integer() and actual != pl.Int64:
                casts.append(pl.col(column).cast(pl.Int64))
            continue
        if dtype.is_integer() and actual.is_integer():
            if actual != dtype:
                casts.append(pl.col(column).cast(dtype))
        elif dtype == pl.Utf8 and (actual in (pl.Categorical, pl.Null) or isinstance(actual, pl.Enum)):
            casts.append(pl.col(column).cast(pl.Utf8))
        elif actual != dtype:
            problems.append(f"{name}.{column}: 应为 {dtype}，实际为 {actual}")
    return frame.with_columns(casts) if casts and not problems else frame


def conform_frames(households: pl.DataFrame, members: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Check columns, types, nulls, enumerations and value ranges (vectorised); cast integer
    widths and categoricals to the schema. Raises ``BatchInputError`` listing every finding."""
    problems: list[str] = []
    households = _conform(households, HOUSEHOLD_SCHEMA, "households", problems)
    members = _conform(members, MEMBER_SCHEMA, "members", problems)
    if problems:
        raise BatchInputError(problems)

    checks = {"households": [], "members": []}
    for column in HOUSEHOLD_SCHEMA:
        if column in NULLABLE_HOUSEHOLD_COLUMNS:
            continue
        checks["households"].append(pl.col(column).is_null().sum().alias(f"{column}: 不应为空"))
    for column in MEMBER_SCHEMA:
        if column not in NULLABLE_MEMBER_COLUMNS:
            checks["members"].append(pl.col(column).is_null().sum().alias(f"{column}: 不应为空"))
    for (frame_name, column), allowed in _ENUMS.items():
        checks[frame_name].append(
            (pl.col(column).is_not_null() & ~pl.col(column).is_in(list(allowed))).sum().alias(
                f"{column}: 取值应为 {'/'.join(allowed)}"
            )
        )
    for column in ("financial_assets_fen", "max_vehicle_value_fen", "rigid_spending_12m_fen"):
        checks["households"].append((pl.col(column) < 0).sum().alias(f"{column}: 不能为负数"))
    for column in ("income_wage_fen", "income_business_fen", "income_property_fen", "income_transfer_fen"):
        checks["members"].append((pl.col(column) < 0).sum().alias(f"{column}: 不能为负数"))
    checks["members"].append(
        ((pl.col("disability_grade") < 0) | (pl.col("disability_grade") > 4)).sum().alias("disability_grade: 应为0至4")
    )
    checks["members"].append(
        ((pl.col("disability_grade") == 0) != pl.col("disability_category").is_null()).sum().alias(
            "disability_category: 与残疾等级不一致（等级0时为空，1至4级时必填）"
        )
    )
    checks["households"].append(pl.col("household_id").is_duplicated().sum().alias("household_id: 不应重复"))
    checks["members"].append(
        pl.struct("household_id", "member_id").is_duplicated().sum().alias("member_id: 同一户内不应重复")
    )
    for frame_name, frame in (("households", households), ("members", members)):
        counts = frame.select(checks[frame_name]).row(0, named=True)
        problems.extend(f"{frame_name}.{label}（{count}行）" for label, count in counts.items() if count)

    without_members = households.join(members, on="household_id", how="anti").height
    if without_members:
        problems.append(f"households: {without_members}户没有成员")
    orphan_rows = members.join(households, on="household_id", how="anti").height
    if orphan_rows:
        problems.append(f"members: {orphan_rows}名成员的 household_id 不在 households 中")
    if problems:
        raise BatchInputError(problems)
    return households, members


def facts_to_frames(
    households: Iterable[HouseholdFacts], household_ids: Sequence[int] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Convert parsed facts to the two batch frames (ids 1..n unless given)."""
    households = list(households)
    ids = list(household_ids) if household_ids is not None else list(range(1, len(households) + 1))
    household_rows = []
    member_rows = []
    for household_id, facts in zip(ids, households, strict=True):
        household_rows.append(
            {
                "household_id": household_id,
                "zone": facts.zone,
                "financial_assets_fen": yuan_to_fen(facts.financial_assets),
                "max_vehicle_value_fen": yuan_to_fen(facts.max_vehicle_value),
                "rigid_spending_12m_fen": None if facts.rigid_spending_12m is None else yuan_to_fen(facts.rigid_spending_12m),
                "division_code": facts.division_code,
            }
        )
        for member in facts.members:
            member_rows.append(
                {
                    "household_id": household_id,
                    "member_id": member.id,
                    "relation": member.relation,
                    "birth_date": member.birth_date,
                    "sex": member.sex,
                    "disability_category": member.disability_category,
                    "disability_grade": member.disability_grade,
                    "serious_illness": member.serious_illness,
                    "student": member.student,
                    "able_to_work": member.able_to_work,
                    "has_capable_supporter": member.has_capable_supporter,
                    "self_care": member.self_care,
                    "child_status": member.child_status,
                    "in_institution": member.in_institution,
                    "income_wage_fen": yuan_to_fen(member.income_wage),
                    "income_business_fen": yuan_to_fen(member.income_business),
                    "income_property_fen": yuan_to_fen(member.income_property),
                    "income_transfer_fen": yuan_to_fen(member.income_transfer),
                }
            )
    household_frame = pl.DataFrame(household_rows, schema={**HOUSEHOLD_SCHEMA, **OPTIONAL_HOUSEHOLD_COLUMNS})
    member_frame = pl.DataFrame(member_rows, schema=MEMBER_SCHEMA)
    return household_frame, member_frame
