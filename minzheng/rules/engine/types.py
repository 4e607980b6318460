"""Value types and entities shared by parameters, facts and the expression tree."""

from __future__ import annotations

import enum


class ValueType(enum.Enum):
    """What a value is, which fixes how each evaluator represents it.

    ======== ===================== =====================================================
    type     per case (Python)     batch (Polars)
    ======== ===================== =====================================================
    MONEY    ``Decimal`` yuan      ``Int64`` fen
    NUMBER   ``Decimal``           a constant only (ratios, multiples, percentages)
    INT      ``int``               ``Int64``
    BOOL     ``bool``              ``Boolean``
    TEXT     ``str`` or ``None``   ``Utf8``
    ======== ===================== =====================================================
    """

    MONEY = "money"
    NUMBER = "number"
    INT = "int"
    BOOL = "bool"
    TEXT = "text"


class Entity(enum.IntEnum):
    """Who a fact or variable belongs to. Ordered: a member-level expression may read
    household-level values, never the other way round (except through an aggregation)."""

    CONSTANT = 0
    HOUSEHOLD = 1
    MEMBER = 2
    # The single-request functions (临时救助, 价格临时补贴) have their own flat facts.
    REQUEST = 3
