"""Writing xlsx files the way every export here should: text cells for codes,
formula injection neutralised, a bold header, frozen first row, money through ``write_money``."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import xlsxwriter

from minzheng.core.money import fen_to_yuan

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
MAX_EXACT_FEN = 10**15  # amounts of at most 15 significant digits survive a double (DBL_DIG)


def write_money(ws, row: int, col: int, fen: int | None, fmt=None) -> None:
    """One amount of integer fen as a numeric yuan cell (formatted '#,##0.00' by ``fmt``).

    The choice: spreadsheets want numbers (sums, filters), and an xlsx number cell is an IEEE
    double. The yuan value comes from ``Decimal`` (``fen_to_yuan``) and is converted to float
    only here, at the file boundary. A decimal of at most 15 significant digits (DBL_DIG) is
    recovered exactly from the nearest double, so any amount under 10**15 fen (10 trillion
    yuan) reads back as written ('60.00' → 60.0 → '60.00'). (2**53 fen is not the bound: the
    yuan value 90071992547409.91 has 16 digits and does not survive.) The float is never used
    for arithmetic. Larger amounts (none in practice) go in as exact text, not a rounded number.
    """
    if fen is None:
        return
    fen = int(fen)
    if abs(fen) >= MAX_EXACT_FEN:
        ws.write_string(row, col, str(fen_to_yuan(fen)), fmt)
        return
    ws.write_number(row, col, float(fen_to_yuan(fen)), fmt)


def safe_cell(value):
    """A text cell starting with = + - @ would run as a formula in Excel: prefix a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_table(
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    sheet_name: str = "Sheet1",
    text_columns: Sequence[int] = (),
    money_columns: Sequence[int] = (),
) -> tuple[bytes, int]:
    """An xlsx of one sheet; ``money_columns`` hold integer fen, written by ``write_money``."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet(sheet_name)
    head = wb.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1})
    text = wb.add_format({"num_format": "@"})
    money = wb.add_format({"num_format": MONEY_FORMAT})
    for c, h in enumerate(headers):
        ws.write_string(0, c, h, head)
        ws.set_column(c, c, 16, text if c in text_columns else None)
    count = 0
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            value = safe_cell(value)
            if value is None:
                continue
            if c in money_columns and isinstance(value, int):
                write_money(ws, r, c, value, money)
            elif isinstance(value, str):
                ws.write_string(r, c, value, text if c in text_columns else None)
            else:
                ws.write(r, c, value)
        count += 1
    ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue(), count
