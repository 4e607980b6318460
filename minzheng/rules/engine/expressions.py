"""A small, backend-neutral expression tree in which every program is written once.

Nodes say *what* is computed, never *how*: ``python_backend`` turns a tree into closures over
``Decimal`` yuan for one household with a full explanation, ``polars_backend`` turns the same
tree into vectorised Polars expressions over integer fen. A SQL or Spark backend would be a
third walker over the same nodes.

Semantics shared by every backend (the agreement test holds them to it):

* A parameter with no value in force is *missing*. Missing propagates through arithmetic,
  comparisons, aggregations and ``If``/``Switch``; ``And``/``Or``/``AnyMember`` follow
  three-valued (Kleene) logic; ``IsTrue`` turns missing into false, ``IsSet`` tests for it.
* A null text fact (``child_status``, ``disability_category``) is an ordinary value, not
  missing: ``child_status == "orphan"`` is false for it.
* Money times a non-integer, and money divided by anything, is rounded half-up to the fen
  (``minzheng.core.money``). Money plus/minus money and money times a whole count are exact.
* An aggregation (``SumMembers``, ``CountMembers``, ``AnyMember``) turns a member-level
  expression into a household-level one; a member-level expression may read household-level
  values directly.

Comparisons are written with Python operators (``a < b``); equality is ``a.equals(b)``
because overloading ``==`` would break hashing of nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Mapping

from minzheng.rules.engine.types import Entity, ValueType


class ExpressionError(TypeError):
    """A tree is ill-typed or mixes entities (a programming error in a program definition)."""


class Expr:
    """Base node. Operators build new nodes; nothing is evaluated here."""

    __slots__ = ()

    def children(self) -> tuple["Expr", ...]:
        return ()

    # arithmetic
    def __add__(self, other: Any) -> "Expr":
        return Arithmetic("+", self, as_expr(other))

    def __radd__(self, other: Any) -> "Expr":
        return Arithmetic("+", as_expr(other), self)

    def __sub__(self, other: Any) -> "Expr":
        return Arithmetic("-", self, as_expr(other))

    def __rsub__(self, other: Any) -> "Expr":
        return Arithmetic("-", as_expr(other), self)

    def __mul__(self, other: Any) -> "Expr":
        return Arithmetic("*", self, as_expr(other))

    def __rmul__(self, other: Any) -> "Expr":
        return Arithmetic("*", as_expr(other), self)

    def __truediv__(self, other: Any) -> "Expr":
        return Arithmetic("/", self, as_expr(other))

    # comparisons
    def __lt__(self, other: Any) -> "Expr":
        return Compare("<", self, as_expr(other))

    def __le__(self, other: Any) -> "Expr":
        return Compare("<=", self, as_expr(other))

    def __gt__(self, other: Any) -> "Expr":
        return Compare(">", self, as_expr(other))

    def __ge__(self, other: Any) -> "Expr":
        return Compare(">=", self, as_expr(other))

    def equals(self, other: Any) -> "Expr":
        return Compare("==", self, as_expr(other))

    def differs(self, other: Any) -> "Expr":
        return Compare("!=", self, as_expr(other))

    def is_in(self, values: Iterable[Any]) -> "Expr":
        return IsIn(self, tuple(values))

    # logic
    def __and__(self, other: "Expr") -> "Expr":
        return And((self, other))

    def __or__(self, other: "Expr") -> "Expr":
        return Or((self, other))

    def __invert__(self) -> "Expr":
        return Not(self)


def as_expr(value: Any) -> Expr:
    """Wrap a Python literal. Money literals must be explicit (``yuan("0")``)."""
    if isinstance(value, Expr):
        return value
    if isinstance(value, bool):
        return Const(value, ValueType.BOOL)
    if isinstance(value, int):
        return Const(value, ValueType.INT)
    if isinstance(value, Decimal):
        return Const(value, ValueType.NUMBER)
    if isinstance(value, str):
        return Const(value, ValueType.TEXT)
    raise ExpressionError(f"cannot use {value!r} in an expression")


def yuan(amount: str | int) -> "Const":
    return Const(Decimal(amount), ValueType.MONEY)


@dataclass(frozen=True, eq=False, slots=True)
class Const(Expr):
    value: Any
    value_type: ValueType


@dataclass(frozen=True, eq=False, slots=True)
class Param(Expr):
    """The value of a parameter in force on the first day of the period."""

    name: str


@dataclass(frozen=True, eq=False, slots=True)
class Fact(Expr):
    """An input fact of the household, a member, or a single request."""

    name: str
    entity: Entity
    value_type: ValueType
    label: str = ""
    # An optional fact may be absent from the input (``None``): like a missing parameter it
    # propagates as *missing*, and the explanation says which fact was missing.
    optional: bool = False


@dataclass(frozen=True, eq=False, slots=True)
class AgeInYears(Expr):
    """The member's age in completed years on the first day of the period month."""


@dataclass(frozen=True, eq=False, slots=True)
class Arithmetic(Expr):
    op: str  # + - * /
    left: Expr
    right: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, eq=False, slots=True)
class Compare(Expr):
    op: str  # < <= > >= == !=
    left: Expr
    right: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True, eq=False, slots=True)
class And(Expr):
    operands: tuple[Expr, ...]

    def children(self) -> tuple[Expr, ...]:
        return self.operands


@dataclass(frozen=True, eq=False, slots=True)
class Or(Expr):
    operands: tuple[Expr, ...]

    def children(self) -> tuple[Expr, ...]:
        return self.operands


@dataclass(frozen=True, eq=False, slots=True)
class Not(Expr):
    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(frozen=True, eq=False, slots=True)
class If(Expr):
    condition: Expr
    then: Expr
    otherwise: Expr

    def __post_init__(self) -> None:
        for name in ("condition", "then", "otherwise"):
            object.__setattr__(self, name, as_expr(getattr(self, name)))

    def children(self) -> tuple[Expr, ...]:
        return (self.condition, self.then, self.otherwise)


@dataclass(frozen=True, eq=False, slots=True)
class Switch(Expr):
    """Pick a branch by the value of a text expression; an unlisted value is missing."""

    subject: Expr
    cases: tuple[tuple[str, Expr], ...]

    def children(self) -> tuple[Expr, ...]:
        return (self.subject, *(branch for _, branch in self.cases))


@dataclass(frozen=True, eq=False, slots=True)
class Extremum(Expr):
    kind: str  # "max" or "min"
    operands: tuple[Expr, ...]

    def children(self) -> tuple[Expr, ...]:
        return self.operands


@dataclass(frozen=True, eq=False, slots=True)
class IsIn(Expr):
    subject: Expr
    values: tuple[Any, ...]

    def children(self) -> tuple[Expr, ...]:
        return (self.subject,)


@dataclass(frozen=True, eq=False, slots=True)
class IsTrue(Expr):
    """True only if the operand is true; missing counts as false (a condition's verdict)."""

    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(frozen=True, eq=False, slots=True)
class IsSet(Expr):
    """False if the operand is missing (depends on a parameter with no value)."""

    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(frozen=True, eq=False, slots=True)
class SumMembers(Expr):
    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(frozen=True, eq=False, slots=True)
class CountMembers(Expr):
    """Number of members, or of members for whom ``where`` is true."""

    where: Expr | None = None

    def children(self) -> tuple[Expr, ...]:
        return (self.where,) if self.where is not None else ()


@dataclass(frozen=True, eq=False, slots=True)
class AnyMember(Expr):
    operand: Expr

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(frozen=True, eq=False, slots=True)
class Variable:
    """A named, reusable quantity (OpenFisca's "variable"). Evaluators compute it once per
    household or member and may show it in explanations."""

    name: str
    entity: Entity
    expr: Expr
    label: str = ""

    def ref(self) -> "Ref":
        return Ref(self)


@dataclass(frozen=True, eq=False, slots=True)
class Ref(Expr):
    variable: Variable


def Max(*operands: Any) -> Extremum:  # noqa: N802 - reads like the other node constructors
    return Extremum("max", tuple(as_expr(operand) for operand in operands))


def Min(*operands: Any) -> Extremum:  # noqa: N802
    return Extremum("min", tuple(as_expr(operand) for operand in operands))


def AllOf(*operands: Expr) -> And:  # noqa: N802
    return And(tuple(operands))


def AnyOf(*operands: Expr) -> Or:  # noqa: N802
    return Or(tuple(operands))


def by_text(subject: Expr, cases: Mapping[str, Expr]) -> Switch:
    return Switch(subject, tuple(cases.items()))


def walk(expr: Expr) -> Iterable[Expr]:
    """Every node of a tree, not following variable references."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(node.children())


def referenced_variables(expr: Expr) -> list[Variable]:
    return [node.variable for node in walk(expr) if isinstance(node, Ref)]


# --------------------------------------------------------------------------------------------
# Type and entity checking
# --------------------------------------------------------------------------------------------

_NUMERIC = (ValueType.INT, ValueType.NUMBER)


@dataclass(frozen=True, slots=True)
class NodeInfo:
    value_type: ValueType
    entity: Entity
    # How a MONEY result is produced, for the evaluators: "exact" or "rounded".
    rounding: str = "exact"


@dataclass
class TypeChecker:
    """Infers each node's type and entity, rejecting ill-formed trees.

    Parameter types come from their units, so checking needs a parameter set; the result is
    cached per node (trees are immutable).
    """

    parameter_type: Any  # callable: name -> ValueType
    _cache: dict[int, NodeInfo] = field(default_factory=dict)
    _nodes: list = field(default_factory=list)  # keep nodes alive so ids stay unique

    def info(self, expr: Expr) -> NodeInfo:
        key = id(expr)
        cached = self._cache.get(key)
        if cached is None:
            cached = self._infer(expr)
            self._cache[key] = cached
            self._nodes.append(expr)
        return cached

    def type_of(self, expr: Expr) -> ValueType:
        return self.info(expr).value_type

    def check_variable(self, variable: Variable) -> NodeInfo:
        info = self.info(variable.expr)
        if _entity_rank(info.entity) > _entity_rank(variable.entity) or _mixes_request(info.entity, variable.entity):
            raise ExpressionError(
                f"variable {variable.name} is declared {variable.entity.name} but reads {info.entity.name} values"
            )
        return info

    # -- inference ---------------------------------------------------------------------------
    def _infer(self, expr: Expr) -> NodeInfo:
        method = getattr(self, f"_infer_{type(expr).__name__}", None)
        if method is None:
            raise ExpressionError(f"unknown node {type(expr).__name__}")
        return method(expr)

    def _infer_Const(self, expr: Const) -> NodeInfo:
        return NodeInfo(expr.value_type, Entity.CONSTANT)

    def _infer_Param(self, expr: Param) -> NodeInfo:
        return NodeInfo(self.parameter_type(expr.name), Entity.CONSTANT)

    def _infer_Fact(self, expr: Fact) -> NodeInfo:
        return NodeInfo(expr.value_type, expr.entity)

    def _infer_AgeInYears(self, expr: AgeInYears) -> NodeInfo:
        return NodeInfo(ValueType.INT, Entity.MEMBER)

    def _infer_Ref(self, expr: Ref) -> NodeInfo:
        info = self.check_variable(expr.variable)
        return NodeInfo(info.value_type, expr.variable.entity, info.rounding)

    def _infer_Arithmetic(self, expr: Arithmetic) -> NodeInfo:
        left, right = self.info(expr.left), self.info(expr.right)
        entity = _combine(left.entity, right.entity, expr)
        lt, rt, op = left.value_type, right.value_type, expr.op
        money = ValueType.MONEY
        if op in "+-":
            if lt == rt and lt in (money, ValueType.INT):
                return NodeInfo(lt, entity)
            if lt in _NUMERIC and rt in _NUMERIC:
                return NodeInfo(ValueType.NUMBER, entity)
        elif op == "*":
            if money in (lt, rt):
                other = rt if lt == money else lt
                if other == ValueType.INT:
                    return NodeInfo(money, entity, "exact")
                if other == ValueType.NUMBER:
                    return NodeInfo(money, entity, "rounded")
            elif lt == rt == ValueType.INT:
                return NodeInfo(ValueType.INT, entity)
            elif lt in _NUMERIC and rt in _NUMERIC:
                return NodeInfo(ValueType.NUMBER, entity)
        elif op == "/":
            if lt == money and rt in _NUMERIC:
                return NodeInfo(money, entity, "rounded")
            if lt in _NUMERIC and rt in _NUMERIC:
                return NodeInfo(ValueType.NUMBER, entity)
        raise ExpressionError(f"cannot compute {lt.name} {op} {rt.name}")

    def _infer_Compare(self, expr: Compare) -> NodeInfo:
        left, right = self.info(expr.left), self.info(expr.right)
        entity = _combine(left.entity, right.entity, expr)
        lt, rt = left.value_type, right.value_type
        comparable = lt == rt or (lt in _NUMERIC and rt in _NUMERIC)
        if not comparable:
            raise ExpressionError(f"cannot compare {lt.name} with {rt.name}")
        if lt in (ValueType.TEXT, ValueType.BOOL) and expr.op not in ("==", "!="):
            raise ExpressionError(f"{lt.name} values only support == and !=")
        return NodeInfo(ValueType.BOOL, entity)

    def _logic(self, operands: tuple[Expr, ...], node: Expr) -> NodeInfo:
        entity = Entity.CONSTANT
        for operand in operands:
            info = self.info(operand)
            if info.value_type != ValueType.BOOL:
                raise ExpressionError(f"logic over {info.value_type.name}")
            entity = _combine(entity, info.entity, node)
        return NodeInfo(ValueType.BOOL, entity)

    def _infer_And(self, expr: And) -> NodeInfo:
        return self._logic(expr.operands, expr)

    def _infer_Or(self, expr: Or) -> NodeInfo:
        return self._logic(expr.operands, expr)

    def _infer_Not(self, expr: Not) -> NodeInfo:
        return self._logic((expr.operand,), expr)

    def _infer_IsTrue(self, expr: IsTrue) -> NodeInfo:
        return self._logic((expr.operand,), expr)

    def _infer_IsSet(self, expr: IsSet) -> NodeInfo:
        return NodeInfo(ValueType.BOOL, self.info(expr.operand).entity)

    def _same_type(self, branches: Iterable[Expr], node: Expr, entity: Entity) -> NodeInfo:
        types = set()
        rounding = "exact"
        for branch in branches:
            info = self.info(branch)
            types.add(info.value_type)
            entity = _combine(entity, info.entity, node)
            if info.rounding == "rounded":
                rounding = "rounded"
        if len(types) != 1:
            raise ExpressionError(f"branches of {type(node).__name__} have types {sorted(t.name for t in types)}")
        return NodeInfo(types.pop(), entity, rounding)

    def _infer_If(self, expr: If) -> NodeInfo:
        condition = self.info(expr.condition)
        if condition.value_type != ValueType.BOOL:
            raise ExpressionError("If needs a BOOL condition")
        return self._same_type((expr.then, expr.otherwise), expr, condition.entity)

    def _infer_Switch(self, expr: Switch) -> NodeInfo:
        subject = self.info(expr.subject)
        if subject.value_type != ValueType.TEXT:
            raise ExpressionError("Switch needs a TEXT subject")
        return self._same_type((branch for _, branch in expr.cases), expr, subject.entity)

    def _infer_Extremum(self, expr: Extremum) -> NodeInfo:
        return self._same_type(expr.operands, expr, Entity.CONSTANT)

    def _infer_IsIn(self, expr: IsIn) -> NodeInfo:
        subject = self.info(expr.subject)
        if subject.value_type not in (ValueType.TEXT, ValueType.INT):
            raise ExpressionError("IsIn needs a TEXT or INT subject")
        return NodeInfo(ValueType.BOOL, subject.entity)

    def _aggregate(self, operand: Expr | None, node: Expr, allowed: tuple[ValueType, ...]) -> NodeInfo:
        if operand is None:
            return NodeInfo(ValueType.INT, Entity.HOUSEHOLD)
        info = self.info(operand)
        if info.entity == Entity.REQUEST:
            raise ExpressionError("aggregation over request facts")
        if info.value_type not in allowed:
            raise ExpressionError(f"{type(node).__name__} over {info.value_type.name}")
        return info

    def _infer_SumMembers(self, expr: SumMembers) -> NodeInfo:
        info = self._aggregate(expr.operand, expr, (ValueType.MONEY, ValueType.INT))
        return NodeInfo(info.value_type, Entity.HOUSEHOLD)

    def _infer_CountMembers(self, expr: CountMembers) -> NodeInfo:
        self._aggregate(expr.where, expr, (ValueType.BOOL,))
        return NodeInfo(ValueType.INT, Entity.HOUSEHOLD)

    def _infer_AnyMember(self, expr: AnyMember) -> NodeInfo:
        self._aggregate(expr.operand, expr, (ValueType.BOOL,))
        return NodeInfo(ValueType.BOOL, Entity.HOUSEHOLD)


def _entity_rank(entity: Entity) -> int:
    return {Entity.CONSTANT: 0, Entity.HOUSEHOLD: 1, Entity.MEMBER: 2, Entity.REQUEST: 1}[entity]


def _mixes_request(a: Entity, b: Entity) -> bool:
    household_side = {Entity.HOUSEHOLD, Entity.MEMBER}
    return (a == Entity.REQUEST and b in household_side) or (b == Entity.REQUEST and a in household_side)


def _combine(a: Entity, b: Entity, node: Expr) -> Entity:
    if _mixes_request(a, b):
        raise ExpressionError(f"{type(node).__name__} mixes request facts with household facts")
    return a if _entity_rank(a) >= _entity_rank(b) and a != Entity.CONSTANT else b
