"""Writing xlsx files the way every export here should: text cells for codes,
formula injection neutralised, a bold header, frozen first row."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

import xlsxwriter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A text cell starting with = + - @ would run as a formula in Excel: prefix a quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def write_table(
    headers: Sequence[str], rows: Iterable[Sequence], *, sheet_name: str = "Sheet1", text_columns: Sequence[int] = ()
) -> tuple[bytes, int]:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False})
    ws = wb.add_worksheet(sheet_name)
    head = wb.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1})
    text = wb.add_format({"num_format": "@"})
    for c, h in enumerate(headers):
        ws.write_string(0, c, h, head)
        ws.set_column(c, c, 16, text if c in text_columns else None)
    count = 0
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            value = safe_cell(value)
            if value is None:
                continue
            if isinstance(value, str):
                ws.write_string(r, c, value, text if c in text_columns else None)
            else:
                ws.write(r, c, value)
        count += 1
    ws.freeze_panes(1, 0)
    wb.close()
    return buf.getvalue(), count
