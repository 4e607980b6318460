"""Money shown to people: integer fen in, exact text out (never through float)."""

from __future__ import annotations

from decimal import Decimal

CENT = Decimal("0.01")


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(int(fen)) / 100).quantize(CENT)


def format_yuan(fen: int | None, *, grouping: bool = True) -> str:
    """12345 → '123.45'; 123456789 → '1,234,567.89' (no grouping for machine-readable output)."""
    if fen is None:
        return ""
    value = fen_to_yuan(fen)
    return f"{value:,}" if grouping else f"{value}"
