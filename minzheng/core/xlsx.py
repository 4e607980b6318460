"""Writing xlsx files the way every export here should: text cells for codes,
formula injection neutralised, a bold header, frozen first row.

``write_export(columns, rows)`` is the one helper every list's download uses: each column says
what it holds — ``text`` (ID numbers, codes, names: stored as text so Excel never turns
500102… into 5.00102E+17), ``fen`` (integer fen written as a numeric yuan cell with the 0.00
format, so sums work), ``yuan`` (a Decimal yuan amount, same cell), ``count`` (an integer),
``int`` (a number never totalled, such as 序号), ``date`` (a date cell shown 2026-12-04) — and an optional total row sums the money and count
columns. One amount
in a hand-made sheet goes through ``write_money``."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import NamedTuple

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


def _workbook(buf: io.BytesIO):
    """A streaming workbook that writes every cell as given (no number or formula guessing)."""
    # local import: xlsxwriter costs 65 ms to import; processes that write no workbook
    # (the screen command, the worker between jobs) should not pay it at start-up.
    import xlsxwriter

    return xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})


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
    wb = _workbook(buf)
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


class Column(NamedTuple):
    header: str
    kind: str = "text"  # text | fen | yuan | count | int (a number not totalled: 序号) | date
    width: int = 16


MONEY_FORMAT = "#,##0.00"
NUMERIC_KINDS = ("fen", "yuan", "count")


def _number(kind: str, value) -> float | int | None:
    """The cell's number. Excel cells are binary floats whatever we do; the amount is exact to
    the fen in Decimal first and only then handed over, so 1234.56 reads back as 1234.56."""
    if value is None or value == "":
        return None
    if kind == "fen":
        return float(fen_to_yuan(int(value)))
    if kind == "yuan":
        return float(Decimal(str(value)))
    return int(value)


def write_export(
    columns: Sequence[Column],
    rows: Iterable[Sequence],
    *,
    sheet_name: str = "Sheet1",
    total_label: str | None = None,
    empty_note: str = "",
) -> tuple[bytes, int]:
    """One sheet: header, the rows (typed by ``columns``), and when ``total_label`` is given a
    合计 row summing every fen/yuan/count column. ``empty_note`` is written under the header when
    there are no rows, so an empty list says so instead of looking broken. Returns (bytes, rows)."""
    buf = io.BytesIO()
    wb = _workbook(buf)
    ws = wb.add_worksheet(sheet_name)
    head = wb.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1})
    formats = {
        "text": wb.add_format({"num_format": "@"}),
        "fen": wb.add_format({"num_format": MONEY_FORMAT}),
        "yuan": wb.add_format({"num_format": MONEY_FORMAT}),
        "count": wb.add_format({"num_format": "#,##0"}),
        "int": wb.add_format({"num_format": "0"}),
        "date": wb.add_format({"num_format": "yyyy-mm-dd"}),
    }
    bold = {k: wb.add_format({"bold": True, "num_format": f.num_format}) for k, f in formats.items()}
    for c, col in enumerate(columns):
        ws.set_column(c, c, col.width, formats.get(col.kind) if col.kind == "text" else None)
        ws.write_string(0, c, col.header, head)
    totals = [Decimal(0) if col.kind in NUMERIC_KINDS else None for col in columns]
    count = 0
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            kind = columns[c].kind if c < len(columns) else "text"
            if value is None or value == "":
                continue
            if kind == "int" and isinstance(value, int):
                ws.write_number(r, c, value, formats["int"])
            elif kind in NUMERIC_KINDS and not isinstance(value, str):
                number = _number(kind, value)
                ws.write_number(r, c, number, formats[kind])
                totals[c] += Decimal(int(value)) if kind in ("fen", "count") else Decimal(str(value))
            elif kind == "date" and isinstance(value, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()) if not isinstance(value, dt.datetime) else value, formats["date"])
            else:
                ws.write_string(r, c, str(safe_cell(value)), formats["text"] if kind == "text" else None)
        count += 1
    last = count + 1
    if count == 0 and empty_note:
        ws.write_string(1, 0, empty_note)
        last = 2
    if total_label is not None and count:
        ws.write_string(last, 0, total_label, bold["text"])
        for c, total in enumerate(totals):
            if total is None or c == 0:
                continue
            kind = columns[c].kind
            value = float(fen_to_yuan(int(total))) if kind == "fen" else (float(total) if kind == "yuan" else int(total))
            ws.write_number(last, c, value, bold[kind])
    ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue(), count
