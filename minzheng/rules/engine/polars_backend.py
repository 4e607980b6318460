"""Batch evaluator: compiles the same expression tree into Polars expressions.

Everything is computed on one frame with a row per member, the household's facts joined on.
Household-level values are constant within a household; aggregations are window expressions
``.over(household_id)``. Money is ``Int64`` fen throughout; ratios and multiples (type NUMBER)
are constants of the period, folded at compile time into exact fractions, so that
"money × 0.8" becomes ``(fen × 4) / 5`` rounded half-up — the same result as the per-case
``Decimal`` path, to the fen.

Variables are materialised as columns, layer by layer in dependency order, so shared
quantities (per-capita income, dibao eligibility) are computed once.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, Mapping

import polars as pl

from minzheng.core import ages
from minzheng.rules.engine import expressions as ex
from minzheng.core.money import yuan_to_fen
from minzheng.rules.engine.periods import Period
from minzheng.rules.engine.python_backend import PythonCompiler
from minzheng.rules.engine.types import Entity, ValueType

HOUSEHOLD_KEY = "household_id"
AGE_COLUMN = "__age"

_POLARS_TYPES = {
    ValueType.MONEY: pl.Int64,
    ValueType.INT: pl.Int64,
    ValueType.BOOL: pl.Boolean,
    ValueType.TEXT: pl.Utf8,
}


class BatchCompileError(TypeError):
    """The tree uses something the vectorised backend cannot express exactly."""


@dataclass(frozen=True, slots=True)
class Compiled:
    """A compiled node: a Polars expression, or (for NUMBER) a period constant."""

    expr: pl.Expr | None
    nullable: bool
    constant: Decimal | None = None  # only for NUMBER nodes; None there means missing


def variable_column(variable: ex.Variable) -> str:
    return f"v:{variable.name}"


def half_up_divide(numerator: pl.Expr, denominator: pl.Expr | int) -> pl.Expr:
    """``numerator / denominator`` rounded half-up, in integers; denominator positive.

    Mirrors ``core.money.divide_half_up`` and ``Decimal.quantize(ROUND_HALF_UP)``.
    """
    doubled_denominator = denominator * 2
    return (
        pl.when(numerator >= 0)
        .then((numerator * 2 + denominator) // doubled_denominator)
        .otherwise(-((-numerator * 2 + denominator) // doubled_denominator))
    )


def age_column(birth_date: pl.Expr, period: Period) -> pl.Expr:
    """Age in completed years on the first day of the period (``periods.age_in_years``)."""
    return ages.age_expr(birth_date, period.start).cast(pl.Int64).clip(lower_bound=0)


class PolarsCompiler:
    def __init__(self, python: PythonCompiler, fact_columns: Mapping[str, str]):
        self.python = python
        self.checker = python.checker
        self.fact_columns = fact_columns
        self.variable_nullable: dict[ex.Variable, bool] = {}

    # -- constants of the period ---------------------------------------------------------------
    def _constant(self, expr: ex.Expr) -> Decimal | None:
        """Evaluate a NUMBER subtree once for the period; it may only read parameters."""
        closure = self.python.compile(expr)
        try:
            return closure(None, set())
        except AttributeError:
            raise BatchCompileError("NUMBER expressions must depend on parameters only") from None

    def compile(self, expr: ex.Expr) -> Compiled:
        info = self.checker.info(expr)
        if info.value_type == ValueType.NUMBER:
            constant = self._constant(expr)
            return Compiled(None, constant is None, constant)
        if info.entity == Entity.CONSTANT:
            # Parameters and literals are fixed for the period: fold them in Python.
            return self._literal(self._constant(expr), info.value_type)
        method = getattr(self, f"_compile_{type(expr).__name__}")
        return method(expr)

    def compile_variable(self, variable: ex.Variable) -> pl.Expr:
        compiled = self.compile(variable.expr)
        self.variable_nullable[variable] = compiled.nullable
        return compiled.expr.alias(variable_column(variable))

    # -- leaves --------------------------------------------------------------------------------
    def _literal(self, value: Any, value_type: ValueType) -> Compiled:
        dtype = _POLARS_TYPES[value_type]
        if value is None:
            return Compiled(pl.lit(None, dtype), True)
        if value_type == ValueType.MONEY:
            value = yuan_to_fen(value)
        return Compiled(pl.lit(value, dtype), False)

    def _compile_Const(self, expr: ex.Const) -> Compiled:
        return self._literal(expr.value, expr.value_type)

    def _compile_Param(self, expr: ex.Param) -> Compiled:
        found = self.python.parameter(expr.name)
        return self._literal(None if found is None else found.value, self.checker.type_of(expr))

    def _compile_Fact(self, expr: ex.Fact) -> Compiled:
        if expr.entity == Entity.REQUEST:
            raise BatchCompileError("request facts are evaluated per case only")
        # Text facts may be null (no child status), which is a value, not missing; an optional
        # fact's null is missing (as in the per-case evaluator).
        return Compiled(pl.col(self.fact_columns[expr.name]), expr.optional)

    def _compile_AgeInYears(self, expr: ex.AgeInYears) -> Compiled:
        return Compiled(pl.col(AGE_COLUMN), False)

    def _compile_Ref(self, expr: ex.Ref) -> Compiled:
        variable = expr.variable
        if variable not in self.variable_nullable:
            raise BatchCompileError(f"variable {variable.name} used before it is materialised")
        return Compiled(pl.col(variable_column(variable)), self.variable_nullable[variable])

    # -- arithmetic ----------------------------------------------------------------------------
    def _compile_Arithmetic(self, expr: ex.Arithmetic) -> Compiled:
        left_type, right_type = self.checker.type_of(expr.left), self.checker.type_of(expr.right)
        left, right = self.compile(expr.left), self.compile(expr.right)
        if ValueType.NUMBER in (left_type, right_type):
            return self._scale(expr, left, right, left_type)
        nullable = left.nullable or right.nullable
        if expr.op == "+":
            return Compiled(left.expr + right.expr, nullable)
        if expr.op == "-":
            return Compiled(left.expr - right.expr, nullable)
        if expr.op == "*":
            return Compiled(left.expr * right.expr, nullable)
        # Money divided by a count (per-capita amounts): the count is at least 1.
        return Compiled(half_up_divide(left.expr, right.expr), nullable)

    def _scale(self, expr: ex.Arithmetic, left: Compiled, right: Compiled, left_type: ValueType) -> Compiled:
        """Money or a count times/over a period constant, exactly, rounded half-up."""
        money, factor = (right, left.constant) if left_type == ValueType.NUMBER else (left, right.constant)
        if expr.op == "/" and left_type == ValueType.NUMBER:
            raise BatchCompileError("cannot divide a constant by a column")
        if expr.op not in "*/":
            raise BatchCompileError("cannot add a ratio to a column")
        if factor is None:
            return Compiled(pl.lit(None, pl.Int64), True)
        fraction = Fraction(factor) if expr.op == "*" else 1 / Fraction(factor)
        numerator = money.expr * fraction.numerator if fraction.numerator != 1 else money.expr
        if fraction.denominator == 1:
            return Compiled(numerator, money.nullable)
        return Compiled(half_up_divide(numerator, fraction.denominator), money.nullable)

    def _compile_Compare(self, expr: ex.Compare) -> Compiled:
        left_type = self.checker.type_of(expr.left)
        left, right = self.compile(expr.left), self.compile(expr.right)
        left_expr, right_expr = self._comparable(left), self._comparable(right)
        if left_type == ValueType.TEXT:
            method = {"==": "eq_missing", "!=": "ne_missing"}[expr.op]
            return Compiled(getattr(left_expr, method)(right_expr), False)
        compare = {
            "<": lambda a, b: a < b,
            "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b,
            ">=": lambda a, b: a >= b,
            "==": lambda a, b: a == b,
            "!=": lambda a, b: a != b,
        }[expr.op]
        return Compiled(compare(left_expr, right_expr), left.nullable or right.nullable)

    def _comparable(self, compiled: Compiled) -> pl.Expr:
        if compiled.expr is not None:
            return compiled.expr
        constant = compiled.constant
        if constant is None:
            return pl.lit(None, pl.Int64)
        if constant != constant.to_integral_value():
            raise BatchCompileError("comparison of a column with a fractional constant")
        return pl.lit(int(constant), pl.Int64)

    # -- logic ---------------------------------------------------------------------------------
    def _compile_And(self, expr: ex.And) -> Compiled:
        parts = [self.compile(operand) for operand in expr.operands]
        # ``&`` is Kleene logic in Polars, matching the per-case evaluator.
        return Compiled(functools.reduce(operator.and_, (part.expr for part in parts)), any(p.nullable for p in parts))

    def _compile_Or(self, expr: ex.Or) -> Compiled:
        parts = [self.compile(operand) for operand in expr.operands]
        return Compiled(functools.reduce(operator.or_, (part.expr for part in parts)), any(p.nullable for p in parts))

    def _compile_Not(self, expr: ex.Not) -> Compiled:
        operand = self.compile(expr.operand)
        return Compiled(~operand.expr, operand.nullable)

    def _compile_IsTrue(self, expr: ex.IsTrue) -> Compiled:
        operand = self.compile(expr.operand)
        return Compiled(operand.expr.fill_null(False) if operand.nullable else operand.expr, False)

    def _compile_IsSet(self, expr: ex.IsSet) -> Compiled:
        operand = self.compile(expr.operand)
        return Compiled(operand.expr.is_not_null() if operand.nullable else pl.lit(True), False)

    def _compile_IsIn(self, expr: ex.IsIn) -> Compiled:
        subject = self.compile(expr.subject)
        return Compiled(subject.expr.is_in(list(expr.values)).fill_null(False), False)

    # -- choice --------------------------------------------------------------------------------
    def _compile_If(self, expr: ex.If) -> Compiled:
        condition, then, otherwise = (self.compile(part) for part in expr.children())
        chosen = pl.when(condition.expr).then(then.expr).otherwise(otherwise.expr)
        if condition.nullable:
            chosen = pl.when(condition.expr.is_null()).then(None).otherwise(chosen)
        return Compiled(chosen, condition.nullable or then.nullable or otherwise.nullable)

    def _compile_Switch(self, expr: ex.Switch) -> Compiled:
        subject = self.compile(expr.subject).expr
        result_type = self.checker.type_of(expr)
        chain: Any = pl
        nullable = True  # an unlisted value is missing
        for key, branch in expr.cases:
            compiled = self.compile(branch)
            chain = chain.when(subject.eq_missing(pl.lit(key))).then(compiled.expr)
        return Compiled(chain.otherwise(pl.lit(None, _POLARS_TYPES[result_type])), nullable)

    def _compile_Extremum(self, expr: ex.Extremum) -> Compiled:
        parts = [self.compile(operand) for operand in expr.operands]
        horizontal: Callable = pl.max_horizontal if expr.kind == "max" else pl.min_horizontal
        result = horizontal(*(part.expr for part in parts))
        nullable = any(part.nullable for part in parts)
        if nullable:
            # Polars' horizontal max skips nulls; the engine's rule is that missing propagates.
            any_missing = pl.any_horizontal(*(part.expr.is_null() for part in parts))
            result = pl.when(any_missing).then(None).otherwise(result)
        return Compiled(result, nullable)

    # -- aggregations ----------------------------------------------------------------------------
    def _compile_SumMembers(self, expr: ex.SumMembers) -> Compiled:
        operand = self.compile(expr.operand)
        total = operand.expr.sum().over(HOUSEHOLD_KEY)
        if operand.nullable:
            total = pl.when(operand.expr.is_null().any().over(HOUSEHOLD_KEY)).then(None).otherwise(total)
        return Compiled(total, operand.nullable)

    def _compile_CountMembers(self, expr: ex.CountMembers) -> Compiled:
        if expr.where is None:
            return Compiled(pl.len().over(HOUSEHOLD_KEY).cast(pl.Int64), False)
        where = self.compile(expr.where)
        counted = where.expr.fill_null(False) if where.nullable else where.expr
        return Compiled(counted.cast(pl.Int64).sum().over(HOUSEHOLD_KEY), False)

    def _compile_AnyMember(self, expr: ex.AnyMember) -> Compiled:
        operand = self.compile(expr.operand)
        return Compiled(operand.expr.any(ignore_nulls=not operand.nullable).over(HOUSEHOLD_KEY), operand.nullable)


def dependency_layers(roots: list[ex.Variable]) -> list[list[ex.Variable]]:
    """Variables reachable from ``roots``, grouped so each layer only reads earlier layers."""
    depth: dict[ex.Variable, int] = {}
    order: list[ex.Variable] = []

    def visit(variable: ex.Variable, trail: tuple[str, ...]) -> int:
        if variable in depth:
            return depth[variable]
        if variable.name in trail:
            raise BatchCompileError(f"cyclic variables: {' -> '.join(trail + (variable.name,))}")
        dependencies = ex.referenced_variables(variable.expr)
        level = 1 + max((visit(dep, trail + (variable.name,)) for dep in dependencies), default=-1)
        depth[variable] = level
        order.append(variable)
        return level

    for root in roots:
        visit(root, ())
    layers: list[list[ex.Variable]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for variable in order:
        layers[depth[variable]].append(variable)
    return layers
