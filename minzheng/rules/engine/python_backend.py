"""Per-case evaluator: compiles the expression tree into Python closures over ``Decimal``.

Compiled once per (parameter set, period) and cached on the parameter set, so evaluating a
household only runs closures. Each closure takes ``(scope, used)``: the scope holds the facts
and a memo of variables already computed; ``used`` collects the names of the parameters read,
so every condition can cite the references (and provisional flags) of exactly the parameters
its verdict depended on.

``None`` stands for *missing* (see ``expressions`` for the semantics).
"""

from __future__ import annotations

import operator
from decimal import Decimal
from typing import Any, Callable

from minzheng.rules.engine import expressions as ex
from minzheng.core.money import round_to_fen
from minzheng.rules.engine.parameters import ParameterSet, ParameterValue
from minzheng.rules.engine.periods import Period, age_in_years
from minzheng.rules.engine.types import Entity, ValueType

Closure = Callable[[Any, set], Any]

_COMPARE = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


MISSING_FACT_PREFIX = "fact:"


def missing_fact_marker(name: str) -> str:
    """The entry an absent optional fact leaves in a closure's ``used`` set (beside the names
    of the parameters read)."""
    return MISSING_FACT_PREFIX + name


class Scope:
    """Facts of one household, member or request, plus the memo of computed variables."""

    __slots__ = ("facts", "household", "members", "cache", "age")

    def __init__(self, facts: Any, household: "Scope | None" = None, age: int | None = None):
        self.facts = facts
        self.household = household if household is not None else self
        self.members: list[Scope] = []
        self.cache: dict = {}
        self.age = age


def household_scope(facts: Any, period: Period) -> Scope:
    scope = Scope(facts)
    scope.members = [Scope(member, scope, age_in_years(member.birth_date, period.start)) for member in facts.members]
    return scope


def request_scope(facts: Any) -> Scope:
    return Scope(facts)


class PythonCompiler:
    def __init__(self, parameters: ParameterSet, period: Period, checker: ex.TypeChecker):
        self.parameters = parameters
        self.period = period
        self.checker = checker
        self.parameter_values: dict[str, ParameterValue | None] = {}
        self.fact_labels: dict[str, str] = {}  # optional facts compiled: name -> Chinese label
        self._variables: dict[ex.Variable, Closure] = {}

    # -- public ------------------------------------------------------------------------------
    def compile(self, expr: ex.Expr) -> Closure:
        method = getattr(self, f"_compile_{type(expr).__name__}")
        return method(expr)

    def variable(self, variable: ex.Variable) -> Closure:
        """A memoising closure for a variable: computed once per scope, with its parameters."""
        closure = self._variables.get(variable)
        if closure is None:
            self.checker.check_variable(variable)
            compute = self.compile(variable.expr)
            closure = _memoised(variable, compute)
            self._variables[variable] = closure
        return closure

    def parameter(self, name: str) -> ParameterValue | None:
        if name not in self.parameter_values:
            self.parameter_values[name] = self.parameters.find(name, self.period.start)
        return self.parameter_values[name]

    # -- leaves ------------------------------------------------------------------------------
    def _compile_Const(self, expr: ex.Const) -> Closure:
        value = expr.value

        def const(scope: Any, used: set) -> Any:
            return value

        return const

    def _compile_Param(self, expr: ex.Param) -> Closure:
        name = expr.name
        found = self.parameter(name)
        value = found.value if found is not None else None

        def param(scope: Any, used: set) -> Any:
            used.add(name)
            return value

        return param

    def _compile_Fact(self, expr: ex.Fact) -> Closure:
        get = operator.attrgetter(expr.name)
        household = expr.entity == Entity.HOUSEHOLD
        if expr.optional:
            marker = missing_fact_marker(expr.name)
            self.fact_labels[expr.name] = expr.label or expr.name

            def optional_fact(scope: Any, used: set) -> Any:
                value = get(scope.household.facts if household else scope.facts)
                if value is None:
                    used.add(marker)  # cited as "missing fact", never as a parameter
                return value

            return optional_fact
        if household:
            return lambda scope, used: get(scope.household.facts)
        return lambda scope, used: get(scope.facts)

    def _compile_AgeInYears(self, expr: ex.AgeInYears) -> Closure:
        return lambda scope, used: scope.age

    def _compile_Ref(self, expr: ex.Ref) -> Closure:
        return self.variable(expr.variable)

    # -- arithmetic and comparison -----------------------------------------------------------
    def _compile_Arithmetic(self, expr: ex.Arithmetic) -> Closure:
        left, right = self.compile(expr.left), self.compile(expr.right)
        result_type = self.checker.type_of(expr)
        rounds = result_type == ValueType.MONEY and (
            expr.op == "/" or ValueType.NUMBER in (self.checker.type_of(expr.left), self.checker.type_of(expr.right))
        )
        if expr.op == "/" and result_type == ValueType.NUMBER:
            operation = lambda a, b: Decimal(a) / Decimal(b)  # noqa: E731
        else:
            operation = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}[expr.op]

        if rounds:

            def arithmetic(scope: Any, used: set) -> Any:
                a = left(scope, used)
                b = right(scope, used)
                if a is None or b is None:
                    return None
                return round_to_fen(operation(a, b))

        else:

            def arithmetic(scope: Any, used: set) -> Any:
                a = left(scope, used)
                b = right(scope, used)
                if a is None or b is None:
                    return None
                return operation(a, b)

        return arithmetic

    def _compile_Compare(self, expr: ex.Compare) -> Closure:
        left, right = self.compile(expr.left), self.compile(expr.right)
        compare = _COMPARE[expr.op]
        if self.checker.type_of(expr.left) == ValueType.TEXT:
            # A null text fact is a value, not missing: None == "orphan" is simply false.
            return lambda scope, used: compare(left(scope, used), right(scope, used))

        def comparison(scope: Any, used: set) -> Any:
            a = left(scope, used)
            b = right(scope, used)
            if a is None or b is None:
                return None
            return compare(a, b)

        return comparison

    # -- logic -------------------------------------------------------------------------------
    def _compile_And(self, expr: ex.And) -> Closure:
        operands = [self.compile(operand) for operand in expr.operands]

        def all_of(scope: Any, used: set) -> Any:
            missing = False
            for operand in operands:
                value = operand(scope, used)
                if value is False:
                    return False
                if value is None:
                    missing = True
            return None if missing else True

        return all_of

    def _compile_Or(self, expr: ex.Or) -> Closure:
        operands = [self.compile(operand) for operand in expr.operands]

        def any_of(scope: Any, used: set) -> Any:
            missing = False
            for operand in operands:
                value = operand(scope, used)
                if value is True:
                    return True
                if value is None:
                    missing = True
            return None if missing else False

        return any_of

    def _compile_Not(self, expr: ex.Not) -> Closure:
        operand = self.compile(expr.operand)

        def negation(scope: Any, used: set) -> Any:
            value = operand(scope, used)
            return None if value is None else not value

        return negation

    def _compile_IsTrue(self, expr: ex.IsTrue) -> Closure:
        operand = self.compile(expr.operand)
        return lambda scope, used: operand(scope, used) is True

    def _compile_IsSet(self, expr: ex.IsSet) -> Closure:
        operand = self.compile(expr.operand)
        return lambda scope, used: operand(scope, used) is not None

    def _compile_IsIn(self, expr: ex.IsIn) -> Closure:
        subject = self.compile(expr.subject)
        values = frozenset(expr.values)
        return lambda scope, used: subject(scope, used) in values

    # -- choice ------------------------------------------------------------------------------
    def _compile_If(self, expr: ex.If) -> Closure:
        condition, then, otherwise = (self.compile(part) for part in expr.children())

        def choice(scope: Any, used: set) -> Any:
            decided = condition(scope, used)
            if decided is None:
                return None
            return then(scope, used) if decided else otherwise(scope, used)

        return choice

    def _compile_Switch(self, expr: ex.Switch) -> Closure:
        subject = self.compile(expr.subject)
        branches = {key: self.compile(branch) for key, branch in expr.cases}

        def switch(scope: Any, used: set) -> Any:
            branch = branches.get(subject(scope, used))
            return None if branch is None else branch(scope, used)

        return switch

    def _compile_Extremum(self, expr: ex.Extremum) -> Closure:
        operands = [self.compile(operand) for operand in expr.operands]
        pick = max if expr.kind == "max" else min

        def extremum(scope: Any, used: set) -> Any:
            values = [operand(scope, used) for operand in operands]
            if any(value is None for value in values):
                return None
            return pick(values)

        return extremum

    # -- aggregations over members -------------------------------------------------------------
    def _compile_SumMembers(self, expr: ex.SumMembers) -> Closure:
        operand = self.compile(expr.operand)
        zero = Decimal(0) if self.checker.type_of(expr.operand) == ValueType.MONEY else 0

        def total(scope: Any, used: set) -> Any:
            result = zero
            for member in scope.household.members:
                value = operand(member, used)
                if value is None:
                    return None
                result += value
            return result

        return total

    def _compile_CountMembers(self, expr: ex.CountMembers) -> Closure:
        if expr.where is None:
            return lambda scope, used: len(scope.household.members)
        where = self.compile(expr.where)
        return lambda scope, used: sum(1 for member in scope.household.members if where(member, used) is True)

    def _compile_AnyMember(self, expr: ex.AnyMember) -> Closure:
        operand = self.compile(expr.operand)

        def any_member(scope: Any, used: set) -> Any:
            missing = False
            for member in scope.household.members:
                value = operand(member, used)
                if value is True:
                    return True
                if value is None:
                    missing = True
            return None if missing else False

        return any_member


def _memoised(variable: ex.Variable, compute: Closure) -> Closure:
    key = variable
    if variable.entity == Entity.HOUSEHOLD:

        def household_variable(scope: Any, used: set) -> Any:
            target = scope.household
            hit = target.cache.get(key)
            if hit is None:
                local: set = set()
                hit = (compute(target, local), local)
                target.cache[key] = hit
            used.update(hit[1])
            return hit[0]

        return household_variable

    def own_variable(scope: Any, used: set) -> Any:
        hit = scope.cache.get(key)
        if hit is None:
            local: set = set()
            hit = (compute(scope, local), local)
            scope.cache[key] = hit
        used.update(hit[1])
        return hit[0]

    return own_variable
