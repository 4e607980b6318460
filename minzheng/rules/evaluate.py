"""Entry points: one household with explanations, or a whole register in batch."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
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
from minzheng.rules.frames import FACT_COLUMNS, conform_frames
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
