"""Exact money: ``Decimal`` yuan per case, integer fen in batch, one rounding rule.

The rule: whenever a yuan amount is produced by multiplying by a non-integer or by dividing,
it is rounded half-up (away from zero on a tie) to the fen. Sums, differences and
multiplications by whole numbers are exact and need no rounding.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
FEN_PER_YUAN = 100


class MoneyFormatError(ValueError):
    pass


def round_to_fen(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal:
    """Convert an int, float or str to ``Decimal`` exactly as written (floats via ``str``)."""
    if isinstance(value, bool):
        raise MoneyFormatError("boolean is not an amount")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, (int, float, str)):
        try:
            result = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise MoneyFormatError(f"not a number: {value!r}") from exc
    else:
        raise MoneyFormatError(f"not a number: {value!r}")
    if not result.is_finite():
        raise MoneyFormatError(f"not a finite number: {value!r}")
    return result


def yuan_to_fen(amount: Decimal) -> int:
    """Whole fen of an amount that has at most two decimal places (raises otherwise)."""
    fen = amount * FEN_PER_YUAN
    if fen != fen.to_integral_value():
        raise MoneyFormatError(f"amount has fractions of a fen: {amount}")
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / FEN_PER_YUAN).quantize(FEN)


def format_yuan(amount: Decimal) -> str:
    """Two-decimal string, the form used in JSON results (``"750.00"``)."""
    return str(round_to_fen(amount))


def divide_half_up(numerator: int, denominator: int) -> int:
    """Integer ``numerator / denominator`` rounded half-up; ``denominator`` must be positive.

    The Python reference for the batch evaluator's column-wise version.
    """
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))
