"""Programs as named conditions plus an amount formula (the one definition both evaluators use)."""

from __future__ import annotations

from dataclasses import dataclass

from minzheng.rules.engine.expressions import (
    And,
    as_expr,
    Compare,
    Expr,
    If,
    IsSet,
    IsTrue,
    Ref,
    Variable,
    yuan,
)
from minzheng.rules.engine.types import Entity


@dataclass(frozen=True, eq=False)
class Condition:
    """One legal test, shown to caseworkers as value / threshold / passed.

    For a comparison the shown value and threshold default to its two sides; otherwise give
    them explicitly (``threshold`` may be a ``(low, high)`` pair, shown as a range).
    """

    code: str
    label: str
    test: Expr
    value: Expr | None = None
    threshold: Expr | tuple[Expr, Expr] | None = None

    def __post_init__(self) -> None:
        # Allow literals (``threshold=True``) for readability in program definitions.
        if self.value is not None:
            object.__setattr__(self, "value", as_expr(self.value))
        if isinstance(self.threshold, tuple):
            object.__setattr__(self, "threshold", tuple(as_expr(part) for part in self.threshold))
        elif self.threshold is not None:
            object.__setattr__(self, "threshold", as_expr(self.threshold))

    @property
    def shown_value(self) -> Expr:
        if self.value is not None:
            return self.value
        return self.test.left if isinstance(self.test, Compare) else self.test

    @property
    def shown_threshold(self) -> Expr | tuple[Expr, Expr] | None:
        if self.threshold is not None:
            return self.threshold
        return self.test.right if isinstance(self.test, Compare) else None


class Program:
    """A benefit or status: eligible when every condition passes and the amount is computable.

    The derived variables (``eligible``, ``amount``) are ordinary expression-tree variables,
    so other programs can refer to them (``Ref(dibao.eligible)``) and both evaluators treat
    them like everything else.
    """

    def __init__(
        self,
        name: str,
        label: str,
        entity: Entity,
        conditions: list[Condition],
        amount: Expr,
        details: list[Condition] | None = None,
    ):
        self.name = name
        self.label = label
        self.entity = entity
        self.conditions = tuple(conditions)
        # Details are shown in the condition format but do not decide eligibility
        # (e.g. approval authority of a temporary-assistance case).
        self.details = tuple(details or ())
        codes = [condition.code for condition in self.conditions + self.details]
        if len(codes) != len(set(codes)):
            raise ValueError(f"duplicate condition codes in {name}")
        self.condition_variables = {
            condition.code: Variable(f"{name}.{condition.code}", entity, condition.test, condition.label)
            for condition in self.conditions + self.details
        }
        self.amount_formula = Variable(f"{name}.amount_formula", entity, amount, f"{label}金额公式")
        self.eligible = Variable(
            f"{name}.eligible",
            entity,
            And(
                tuple(IsTrue(Ref(self.condition_variables[c.code])) for c in self.conditions)
                + (IsSet(Ref(self.amount_formula)),)
            ),
            f"符合{label}条件",
        )
        self.amount = Variable(
            f"{name}.amount",
            entity,
            If(Ref(self.eligible), Ref(self.amount_formula), yuan(0)),
            f"{label}金额",
        )

    def __repr__(self) -> str:
        return f"Program({self.name})"
