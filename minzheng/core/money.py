"""Money, exact: integer fen in storage and batch, ``Decimal`` yuan per case, never float.

One rounding rule: whenever a yuan amount comes from multiplying by a non-integer or from a
division, it is rounded half-up (away from zero on a tie) to the fen. Sums, differences and
multiplications by whole numbers are exact and need no rounding.

One formatter for screens, exports and documents: ``format_yuan(fen)`` → '1,234,567.89'.
Pure Python (no Django), so the rules engine uses it too.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

FEN = Decimal("0.01")
CENT = FEN  # older name
FEN_PER_YUAN = 100


class MoneyFormatError(ValueError):
    pass


def round_to_fen(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def to_decimal(value: object) -> Decimal:
    """An int, str or Decimal as ``Decimal`` exactly as written; floats only via their ``str``."""
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


def yuan_to_fen_rounded(amount: Decimal) -> int:
    """Whole fen of any yuan amount, rounded half-up."""
    return int(round_to_fen(amount) * FEN_PER_YUAN)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(int(fen)) / FEN_PER_YUAN).quantize(FEN)


def format_yuan(fen: int | None, *, grouping: bool = True) -> str:
    """12345 → '123.45'; 123456789 → '1,234,567.89' (no grouping for machine-readable output)."""
    if fen is None:
        return ""
    value = fen_to_yuan(fen)
    return f"{value:,}" if grouping else f"{value}"


def decimal_text(amount: Decimal) -> str:
    """Two-decimal string of a Decimal yuan amount, the form used in JSON ('750.00')."""
    return str(round_to_fen(amount))


def divide_half_up(numerator: int, denominator: int) -> int:
    """Integer ``numerator / denominator`` rounded half-up; ``denominator`` must be positive."""
    if numerator >= 0:
        return (2 * numerator + denominator) // (2 * denominator)
    return -((-2 * numerator + denominator) // (2 * denominator))


# A working ceiling for ONE amount a person types (a month's assistance, a subsidy, a fee): no
# program of the district pays anything near it, so a value above it is a typing error. It is
# not a policy figure — where a policy maximum exists, the line checks that first (issue 20).
MAX_TYPED_AMOUNT_FEN = 10_000_000  # 100,000.00 元


def amount_error(fen: int | None, *, label: str, allow_zero: bool = False) -> str:
    """The Chinese reason a typed amount is refused, naming the field ("" when it is fine)."""
    if fen is None:
        return f"请填写{label}"
    if fen < 0 or (fen == 0 and not allow_zero):
        return f"{label}应大于0"
    if fen > MAX_TYPED_AMOUNT_FEN:
        return f"{label}不能超过{format_yuan(MAX_TYPED_AMOUNT_FEN)}元，请核对"
    return ""


# A working ceiling on any single amount staff type (a donation, a registered capital, a budget):
# 1 亿元 is above every one the bureau records, so a larger figure is a typing error — and the
# 64-bit columns stay far from overflow. Lines with a policy maximum check it first.
MAX_RECORD_AMOUNT_FEN = 10_000_000_000


def read_typed_yuan(
    value, *, field: str, label: str, errors: dict[str, str], required: bool = True, missing=None,
    ceiling_fen: int = MAX_RECORD_AMOUNT_FEN,
):  # fmt: skip
    """Integer fen of a yuan amount typed by staff, or ``missing`` with the reason put on
    ``errors[field]`` (empty when required, not a number, more than two decimals, negative,
    above the ceiling)."""
    if value is None or str(value).strip() == "":
        if required:
            errors[field] = f"请填写{label}"
        return missing
    try:
        fen = yuan_to_fen(to_decimal(value))
    except MoneyFormatError:
        errors[field] = f"{label}应为金额（元），最多两位小数"
        return missing
    if fen < 0:
        errors[field] = f"{label}不能为负数"
        return missing
    if fen > ceiling_fen:
        errors[field] = f"{label}不能超过{format_yuan(ceiling_fen)}元，请核对"
        return missing
    return fen
