"""Reform simulation (政策模拟): caseload and monthly cost by town under changed parameters,
beside the current ones, over the same registry read.

    simulate(actor, period="2026-11", overrides={"dibao.standard.rural": "654.50"})

Nothing is stored (a what-if is not a decision); the run is audited as a query.
"""

from __future__ import annotations

import time
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.divisions.directory import get_directory
from minzheng.registry.facts import load_facts_frames
from minzheng.registry.snapshot import current_facts_frames
from minzheng.rules import FactsValidationError, ParameterSet, Period, evaluate_batch, load_parameters
from minzheng.core.money import amount_error, round_to_fen
from minzheng.rules.engine.parameters import ParameterFileError, UnknownParameter
from minzheng.rules.engine.types import ValueType
from minzheng.rules.programs import PROGRAMS
from minzheng.screening.compare import with_subjects

PROGRAM_ORDER = tuple(PROGRAMS)


# A what-if beyond these is a typing error, not a policy (and 10^40 overflows the engine's
# 64-bit columns): amounts up to the kit's typed-money ceiling, counts and ratios up to a million.
NUMBER_CEILING = 1_000_000


def _out_of_range(value_type: ValueType, value) -> str:
    if value_type is ValueType.MONEY:
        return amount_error(int(value * 100), label="模拟金额", allow_zero=True)
    if abs(value) > NUMBER_CEILING:
        return f"数值过大（不能超过{NUMBER_CEILING:,}），请核对"
    return ""


def parse_overrides(
    pairs: list[str] | dict[str, Any], parameters: ParameterSet | None = None, *, allow_empty: bool = False
) -> dict[str, Any]:
    """``["dibao.standard.rural=654.50", ...]`` (or a dict) → typed values, checked against the
    parameter tree. Raises ``FactsValidationError`` naming each bad entry. ``allow_empty``: no
    change at all is a valid request (the API: the simulated figures equal the current ones)."""
    parameters = parameters or load_parameters()
    items = list(pairs.items()) if isinstance(pairs, dict) else []
    errors: list[dict[str, str]] = []
    if not isinstance(pairs, dict):
        for index, pair in enumerate(pairs):
            name, sep, value = str(pair).partition("=")
            if not sep or not name.strip():
                errors.append({"field": f"set[{index}]", "message": "格式应为 参数名=数值"})
                continue
            items.append((name.strip(), value.strip()))
    if not items and not errors and not allow_empty:
        errors.append({"field": "set", "message": "请至少设置一个参数"})
    out: dict[str, Any] = {}
    for name, raw in items:
        field = f"set.{name}"
        try:
            value_type = parameters.value_type(name)
        except UnknownParameter:
            errors.append({"field": field, "message": "没有这个参数"})
            continue
        try:
            if value_type is ValueType.INT:
                value: Any = int(str(raw))
            elif value_type in (ValueType.MONEY, ValueType.NUMBER):
                value = Decimal(str(raw))
                if not value.is_finite() or value < 0:
                    raise InvalidOperation
            else:
                errors.append({"field": field, "message": "此参数不是数值，不能模拟"})
                continue
            if reason := _out_of_range(value_type, value):
                errors.append({"field": field, "message": reason})
                continue
            parameters.with_overrides({name: value})
        except (ValueError, InvalidOperation, ParameterFileError):
            message = "应为整数" if value_type is ValueType.INT else "应为不小于0的数字（金额最多两位小数）"
            errors.append({"field": field, "message": message})
            continue
        out[name] = value
    if errors:
        raise FactsValidationError(errors)
    return out


def _scope_frames(households: pl.DataFrame, members: pl.DataFrame, prefixes: tuple[str, ...]):
    if prefixes == ("",):
        return households, members
    condition = pl.any_horizontal([pl.col("division_code").str.starts_with(p) for p in prefixes])
    households = households.filter(condition)
    return households, members.join(households.select("household_id"), on="household_id", how="semi")


def _by_town(subjects: pl.DataFrame, members: pl.DataFrame) -> pl.DataFrame:
    sizes = members.group_by("household_id").agg(pl.len().alias("size"))
    return (
        subjects.filter(pl.col("eligible"))
        .join(sizes, on="household_id", how="left")
        .group_by(pl.col("division_code").str.slice(0, 9).alias("town_code"), "program")
        .agg(
            pl.len().alias("cases"),
            pl.when(pl.col("subject_kind") == "household").then(pl.col("size")).otherwise(1).sum().alias("people"),
            pl.col("amount_fen").sum().alias("amount_fen"),
        )
    )


def simulate(
    actor: Actor,
    *,
    period: str | Period,
    overrides: dict[str, Any],
    parameters: ParameterSet | None = None,
    audit: bool = True,
    allow_empty: bool = False,
) -> dict[str, Any]:
    """Evaluate the actor's part of the registry under current and changed parameters.

    Returns ``{"period", "overrides", "changed": [{name, current, simulated}], "towns": [...],
    "totals": [...], "seconds"}``; every town row has per program the current and simulated
    caseload (cases, people) and monthly amount in fen, and their differences.
    """
    actor.require(Perm.VIEW_REGISTRY)
    started = time.perf_counter()
    period = Period.of(period)
    parameters = parameters or load_parameters()
    if not parameters.covers(period):
        raise FactsValidationError(
            [{"field": "period", "message": f"核算期超出参数覆盖范围（{parameters.coverage.first}至{parameters.coverage.last}）"}]
        )
    overrides = parse_overrides(overrides, parameters, allow_empty=allow_empty)
    reform = parameters.with_overrides(overrides)
    prefixes = actor.scope_prefixes if not actor.is_system else ("",)
    if not prefixes:
        return {"period": str(period), "overrides": {}, "changed": [], "towns": [], "totals": [], "seconds": 0.0}

    # One assignment (the usual case): read only that division instead of the whole district.
    only = prefixes[0] if len(prefixes) == 1 and prefixes[0] else None
    if only:
        households, members = load_facts_frames(period=period, division_prefix=only)
    else:  # the whole district: the columnar snapshot (registry/snapshot.py)
        households, members, _mark = current_facts_frames(period=period)
    households, members = _scope_frames(households, members, prefixes)
    frames = []
    for label, parameter_set in (("current", parameters), ("simulated", reform)):
        batch = evaluate_batch(households, members, period, parameters=parameter_set)
        eligible = with_subjects(batch.results.filter(pl.col("eligible")), households)
        frames.append(_by_town(eligible, members).with_columns(pl.lit(label).alias("scenario")))
    long = pl.concat(frames)
    wide = long.pivot(on="scenario", index=["town_code", "program"], values=["cases", "people", "amount_fen"])
    for column in ("cases", "people", "amount_fen"):
        for label in ("current", "simulated"):
            name = f"{column}_{label}"
            if name not in wide.columns:
                wide = wide.with_columns(pl.lit(0, pl.Int64).alias(name))
    wide = wide.with_columns(pl.exclude("town_code", "program").fill_null(0).cast(pl.Int64))
    directory = get_directory()
    order = {name: index for index, name in enumerate(PROGRAM_ORDER)}

    def rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
        out = []
        for row in sorted(frame.iter_rows(named=True), key=lambda r: order.get(r["program"], 99)):
            out.append(
                {
                    "program": row["program"],
                    "label": PROGRAMS[row["program"]].label if row["program"] in PROGRAMS else row["program"],
                    "cases_current": row["cases_current"],
                    "cases_simulated": row["cases_simulated"],
                    "cases_change": row["cases_simulated"] - row["cases_current"],
                    "people_current": row["people_current"],
                    "people_simulated": row["people_simulated"],
                    "people_change": row["people_simulated"] - row["people_current"],
                    "amount_fen_current": row["amount_fen_current"],
                    "amount_fen_simulated": row["amount_fen_simulated"],
                    "amount_fen_change": row["amount_fen_simulated"] - row["amount_fen_current"],
                }
            )
        return out

    towns = []
    for town_code in sorted(wide["town_code"].unique().to_list()):
        towns.append(
            {
                "code": town_code,
                "name": directory.name(town_code),
                "programs": rows(wide.filter(pl.col("town_code") == town_code)),
            }
        )
    totals = rows(wide.group_by("program").agg(pl.exclude("town_code").sum()))
    changed = [
        {
            "name": name,
            "description": parameters.info(name).description,
            "unit": parameters.info(name).unit,
            "current": _current_value(parameters, name, period),
            "simulated": str(value),
        }
        for name, value in overrides.items()
    ]
    seconds = round(time.perf_counter() - started, 3)
    if audit:
        record_audit_event(
            actor,
            AuditAction.SEARCH,
            object_type="reform_simulation",
            summary=f"{period} 政策模拟：" + "，".join(f"{c['name']}={c['simulated']}" for c in changed),
            extra={"period": str(period), "overrides": {k: str(v) for k, v in overrides.items()}, "seconds": seconds},
        )
    return {
        "period": str(period),
        "overrides": {k: str(v) for k, v in overrides.items()},
        "changed": changed,
        "towns": towns,
        "totals": totals,
        "households": households.height,
        "members": members.height,
        "seconds": seconds,
    }


def _current_value(parameters: ParameterSet, name: str, period: Period) -> str | None:
    found = parameters.find(name, period.start)
    return None if found is None else str(found.value)


def indicator_two_rural_standard(period: str | Period, parameters: ParameterSet | None = None) -> Decimal:
    """The plan's indicator 2 as a what-if: the rural standard at 85 % of the urban one,
    rounded half-up to the fen."""
    parameters = parameters or load_parameters()
    urban = parameters.value_at("dibao.standard.urban", Period.of(period)).value
    return round_to_fen(Decimal(urban) * Decimal("0.85"))
