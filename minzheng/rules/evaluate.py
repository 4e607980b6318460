"""Entry points: one household with explanations, or a whole register in batch."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, Mapping

import polars as pl

from minzheng.rules.engine.explain import CaseEvaluator, case_evaluator, format_parameter, type_checker
from minzheng.rules.engine.parameters import ParameterSet, load_parameters
from minzheng.rules.engine.periods import Period
from minzheng.rules.engine.polars_backend import (
    AGE_COLUMN,
    HOUSEHOLD_KEY,
    PolarsCompiler,
    age_column,
    dependency_layers,
    variable_column,
)
from minzheng.rules.engine.python_backend import PythonCompiler, household_scope
from minzheng.rules.facts import FactsValidationError, HouseholdFacts, parse_household_facts
from minzheng.rules.frames import FACT_COLUMNS, BatchInputError, conform_frames
from minzheng.rules.programs import HOUSEHOLD_PROGRAMS, MEMBER_PROGRAMS

_HOUSEHOLD_GROUP = "household_programs"


def _evaluator(parameters: ParameterSet, period: Period) -> CaseEvaluator:
    return case_evaluator(parameters, period, _HOUSEHOLD_GROUP, HOUSEHOLD_PROGRAMS + MEMBER_PROGRAMS)


def _check_covered(parameters: ParameterSet, period: Period) -> None:
    if not parameters.covers(period):
        coverage = parameters.coverage
        raise FactsValidationError(
            [{"field": "period", "message": f"核算期超出参数覆盖范围（{coverage.first}至{coverage.last}）"}]
        )


def evaluate_household(
    facts: HouseholdFacts | Mapping[str, Any], *, parameters: ParameterSet | None = None
) -> dict[str, Any]:
    """Every household program for the household and every member program for every member,
    each with its conditions explained, plus the parameter values used (for the record)."""
    parameters = parameters or load_parameters()
    if not isinstance(facts, HouseholdFacts):
        facts = parse_household_facts(facts, parameters=parameters)
    _check_covered(parameters, facts.period)
    evaluator = _evaluator(parameters, facts.period)
    scope = household_scope(facts, facts.period)
    used: set = set()
    results = [evaluator.evaluate(program.name, scope, "household", used) for program in HOUSEHOLD_PROGRAMS]
    for program in MEMBER_PROGRAMS:
        for member_scope in scope.members:
            results.append(evaluator.evaluate(program.name, member_scope, member_scope.facts.id, used))
    return {
        "period": str(facts.period),
        "provisional": any(result["provisional"] for result in results),
        "results": results,
        "parameters": evaluator.describe_parameters(used),
    }


# ---------------------------------------------------------------------------------------------
# Batch
# ---------------------------------------------------------------------------------------------


@dataclass
class BatchResult:
    """Long results: one row per (program, household) and per (program, member)."""

    period: Period
    results: pl.DataFrame
    parameters: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0

    def program(self, name: str) -> pl.DataFrame:
        return self.results.filter(pl.col("program") == name)

    def totals(self) -> pl.DataFrame:
        """Eligible count and total amount (fen) per program."""
        return (
            self.results.group_by("program", maintain_order=True)
            .agg(pl.col("eligible").sum().alias("eligible_count"), pl.col("amount_fen").sum().alias("amount_fen"))
        )


def compile_batch(parameters: ParameterSet, period: Period) -> tuple[list[list[pl.Expr]], dict[str, tuple[str, str]], dict]:
    """Polars expressions for every program, layer by layer; cached per parameter set and period."""
    cache_key = ("batch", period)
    cached = parameters.compiled_cache.get(cache_key)
    if cached is not None:
        return cached
    python = PythonCompiler(parameters, period, type_checker(parameters))
    compiler = PolarsCompiler(python, FACT_COLUMNS)
    programs = HOUSEHOLD_PROGRAMS + MEMBER_PROGRAMS
    roots = [variable for program in programs for variable in (program.eligible, program.amount)]
    layers = [[compiler.compile_variable(variable) for variable in layer] for layer in dependency_layers(roots)]
    outputs = {
        program.name: (variable_column(program.eligible), variable_column(program.amount)) for program in programs
    }
    used = {
        name: format_parameter(value, parameters.value_type(name))
        for name, value in sorted(python.parameter_values.items())
        if value is not None
    }
    used.update(
        {name: {"value": None, "note": "参数未设置"} for name, value in python.parameter_values.items() if value is None}
    )
    cached = (layers, outputs, used)
    parameters.compiled_cache[cache_key] = cached
    return cached


def evaluate_batch(
    households: pl.DataFrame,
    members: pl.DataFrame,
    period: str | Period,
    *,
    parameters: ParameterSet | None = None,
) -> BatchResult:
    """Evaluate every program for every household and member, vectorised (see ``frames``)."""
    started = time.perf_counter()
    parameters = parameters or load_parameters()
    period = Period.of(period)
    _check_covered(parameters, period)
    households, members = conform_frames(households, members)
    layers, outputs, used = compile_batch(parameters, period)

    household_columns = [column for column in households.columns if column != "division_code"]
    frame = members.lazy().join(households.lazy().select(household_columns), on=HOUSEHOLD_KEY, how="left")
    frame = frame.with_columns(age_column(pl.col("birth_date"), period).alias(AGE_COLUMN))
    for layer in layers:
        frame = frame.with_columns(layer)
    output_columns = sorted({column for pair in outputs.values() for column in pair})
    computed = frame.select(HOUSEHOLD_KEY, "member_id", *output_columns).collect()

    member_id_type = computed.schema["member_id"]
    first_rows = computed.filter(pl.col(HOUSEHOLD_KEY).is_first_distinct())
    parts = []
    for program in HOUSEHOLD_PROGRAMS:
        eligible, amount = outputs[program.name]
        parts.append(
            first_rows.select(
                pl.lit(program.name).alias("program"),
                pl.col(HOUSEHOLD_KEY),
                pl.lit(None, member_id_type).alias("member_id"),
                pl.col(eligible).alias("eligible"),
                pl.col(amount).alias("amount_fen"),
            )
        )
    for program in MEMBER_PROGRAMS:
        eligible, amount = outputs[program.name]
        parts.append(
            computed.select(
                pl.lit(program.name).alias("program"),
                pl.col(HOUSEHOLD_KEY),
                pl.col("member_id"),
                pl.col(eligible).alias("eligible"),
                pl.col(amount).alias("amount_fen"),
            )
        )
    results = pl.concat(parts, how="vertical")
    return BatchResult(period, results, dict(used), time.perf_counter() - started)


# Households per chunk of ``evaluate_batch_kept``. The batch result has ≈ 18 rows per household
# (82 M at scale 10, ≈ 15 GB at once); a chunk of 600,000 households is ≈ 11 M rows. Scale 1.0
# (449,466 households) stays one chunk.
CHUNK_HOUSEHOLDS = 600_000


def evaluate_batch_kept(
    households: pl.DataFrame,
    members: pl.DataFrame,
    period: str | Period,
    *,
    keep: Callable[[pl.DataFrame], pl.DataFrame],
    parameters: ParameterSet | None = None,
    chunk_households: int | None = None,
) -> BatchResult:
    """``evaluate_batch`` when only some result rows are wanted: households are evaluated in
    chunks of ``chunk_households`` (default CHUNK_HOUSEHOLDS; with their members), and each chunk's results are reduced
    by ``keep`` before the next, so the peak is one chunk's results whatever the population.
    Rows come in ``evaluate_batch``'s program order, chunk by chunk (households by id) within
    a program, the members' order inside a chunk. Every household is evaluated on its own, so
    the kept rows are the same."""
    started = time.perf_counter()
    parameters = parameters or load_parameters()
    chunk_households = chunk_households or CHUNK_HOUSEHOLDS
    if households.height <= chunk_households:
        batch = evaluate_batch(households, members, period, parameters=parameters)
        return replace(batch, results=keep(batch.results), seconds=time.perf_counter() - started)
    # A member of no household would fall between the chunks unseen: refused as in one batch.
    if orphans := members.join(households.select(HOUSEHOLD_KEY), on=HOUSEHOLD_KEY, how="anti").height:
        raise BatchInputError([f"members: {orphans}名成员的 household_id 不在 households 中"])
    households = households.sort(HOUSEHOLD_KEY)
    ids = households[HOUSEHOLD_KEY]
    kept: list[pl.DataFrame] = []
    used: dict[str, dict[str, Any]] = {}
    for start in range(0, households.height, chunk_households):
        part = households.slice(start, chunk_households)
        low, high = ids[start], ids[min(start + chunk_households, households.height) - 1]
        batch = evaluate_batch(
            part, members.filter(pl.col(HOUSEHOLD_KEY).is_between(low, high)), period, parameters=parameters
        )
        kept.append(keep(batch.results))
        used.update(batch.parameters)
    order = pl.DataFrame(
        {"program": [p.name for p in HOUSEHOLD_PROGRAMS + MEMBER_PROGRAMS]}
    ).with_row_index("_program_rank")
    results = (
        pl.concat(kept, how="vertical")
        .join(order, on="program", how="left", maintain_order="left")
        .sort("_program_rank", maintain_order=True)
        .drop("_program_rank")
    )
    return BatchResult(Period.of(period), results, used, time.perf_counter() - started)
