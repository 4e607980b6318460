"""The template a department fills in, and the error report it gets back (xlsxwriter).

Template (ecosystem §1.2): the data sheet with ``*`` on required headers, a grey example row
and text-formatted ID columns; a 填表说明 sheet; a hidden 字典 sheet whose columns feed the
dropdowns through ``=字典!$A$1:$A$N`` (a list longer than 255 characters cannot be inlined).

Every string goes through ``safe_cell`` and is written with ``write_string``: a value
starting with = + - @ is never a formula here.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from minzheng.core.xlsx import safe_cell
from minzheng.exchange.parsing import ParsedImport, RowError
from minzheng.exchange.spec import TYPE_LABELS, Column, ColumnType, ImportSpec

TEMPLATE_ROWS = 100_000  # rows that carry the dropdowns and formats
DICTIONARY_SHEET = "字典"
GUIDE_SHEET = "填表说明"
_WORKBOOK_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}


def _width(column: Column) -> int:
    if column.type is ColumnType.ID_NUMBER:
        return 22
    if column.type is ColumnType.DATE:
        return 13
    return max(12, min(30, len(column.header) * 2 + 4))


def _write_text(ws, row: int, col: int, value, fmt=None) -> None:
    value = safe_cell(value)
    if value is None or value == "":
        return
    if isinstance(value, str):
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, (dt.datetime, dt.date)):
        ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()) if type(value) is dt.date else value, fmt)
    else:
        ws.write(row, col, value, fmt)


def dictionary_ranges(spec: ImportSpec) -> dict[str, str]:
    """{column key: '=字典!$A$1:$A$N'} for the choice columns, in column order."""
    out = {}
    for i, column in enumerate(c for c in spec.columns if c.type is ColumnType.CHOICE):
        letter = xl_col_to_name(i)
        out[column.key] = f"={DICTIONARY_SHEET}!${letter}$1:${letter}${len(column.choices)}"
    return out


def build_template(spec: ImportSpec, *, extra_lines: Sequence[str] = ()) -> bytes:
    """``extra_lines``: more 填表说明 lines computed for this download (e.g. the codes a user may fill)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, **_WORKBOOK_OPTIONS})
    head = wb.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1, "text_wrap": True, "valign": "vcenter"})
    head_required = wb.add_format(
        {"bold": True, "bg_color": "#EEF1F5", "border": 1, "font_color": "#C62828", "text_wrap": True, "valign": "vcenter"}
    )
    text = wb.add_format({"num_format": "@"})
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    money = wb.add_format({"num_format": "0.00"})
    grey_text = wb.add_format({"num_format": "@", "font_color": "#808080", "italic": True})
    grey_date = wb.add_format({"num_format": "yyyy-mm-dd", "font_color": "#808080", "italic": True})
    grey = wb.add_format({"font_color": "#808080", "italic": True})
    bold = wb.add_format({"bold": True})
    title = wb.add_format({"bold": True, "font_size": 14})
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})

    data = wb.add_worksheet(spec.sheet_name)
    guide = wb.add_worksheet(GUIDE_SHEET)
    choice_columns = [c for c in spec.columns if c.type is ColumnType.CHOICE]
    dictionary = wb.add_worksheet(DICTIONARY_SHEET) if choice_columns else None  # only for dropdowns
    ranges = dictionary_ranges(spec)

    # -- data sheet ------------------------------------------------------------------------
    data.set_row(0, 30)
    for c, column in enumerate(spec.columns):
        fmt = {ColumnType.DATE: date, ColumnType.DECIMAL_YUAN: money, ColumnType.INT: None}.get(column.type, text)
        data.set_column(c, c, _width(column), fmt)
        _write_text(data, 0, c, column.header + ("*" if column.required else ""), head_required if column.required else head)
        data.write_comment(0, c, safe_cell(f"{TYPE_LABELS[column.type]}。{column.note}".strip("。") + "。"))
        last = TEMPLATE_ROWS
        if column.type is ColumnType.CHOICE:
            data.data_validation(
                1, c, last, c,
                {
                    "validate": "list",
                    "source": ranges[column.key],
                    "error_title": "输入值无效",
                    "error_message": f"请从下拉列表中选择{column.header}"[:255],
                },
            )  # fmt: skip
        elif column.type is ColumnType.ID_NUMBER:
            data.data_validation(
                1, c, last, c,
                {
                    "validate": "length", "criteria": "between", "minimum": 15, "maximum": 18,
                    "error_title": "身份证号码位数不正确", "error_message": "请填写18位身份证号码（单元格为文本格式）",
                },
            )  # fmt: skip
        elif column.type is ColumnType.DATE:
            data.data_validation(
                1, c, last, c,
                {
                    "validate": "date", "criteria": "between",
                    "minimum": dt.date(1900, 1, 1), "maximum": dt.date(2099, 12, 31),
                    "error_title": "日期无效", "error_message": "请填写日期，如 2026-03-05",
                },
            )  # fmt: skip
        example = column.example
        if example is None:
            continue
        if column.type is ColumnType.DATE:
            day = example if isinstance(example, dt.date) else dt.date.fromisoformat(str(example))
            data.write_datetime(1, c, dt.datetime.combine(day, dt.time()), grey_date)
        elif column.type in (ColumnType.DECIMAL_YUAN, ColumnType.INT) and not isinstance(example, str):
            data.write_number(1, c, example, grey)
        else:
            _write_text(data, 1, c, str(example), grey_text)
    data.write_comment(1, 0, "示例行（灰色斜体）：导入时自动跳过，可保留或删除。")
    data.freeze_panes(1, 0)
    data.activate()

    # -- 填表说明 ---------------------------------------------------------------------------
    guide.set_column(0, 0, 22)
    guide.set_column(1, 1, 8)
    guide.set_column(2, 2, 26)
    guide.set_column(3, 3, 60)
    guide.set_column(4, 4, 40)
    _write_text(guide, 0, 0, f"{spec.title}导入模板 — 填表说明", title)
    general = [
        f"数据来源：{spec.source}。{spec.description}".rstrip("。") + "。",
        f"请在“{spec.sheet_name}”工作表第2行起逐行填写，一行一条记录；不要修改、删除或调换第1行的列名。",
        "列名带 * 的为必填项；灰色斜体的示例行导入时自动跳过。",
        "身份证号码列已设置为文本格式：请直接输入或“选择性粘贴—数值”，不要设置为数字格式，"
        "否则18位号码会被截断，系统将拒绝该行。",
        "日期请填写为 2026-03-05（也接受 2026/3/5、2026.03.05、2026年3月5日）；日期不能晚于今天。",
        "金额单位为元，最多两位小数。"
        + ("下拉列表的可选值见最后一列，也可在“字典”工作表中查看（已隐藏，可取消隐藏）。" if choice_columns else ""),
        "同一文件中不能有重复记录；同一文件重复导入不会重复写入数据。",
        *spec.instructions,
        *extra_lines,
    ]
    row = 2
    for line in general:
        _write_text(guide, row, 0, f"{row - 1}. {line}")
        row += 1
    row += 1
    for c, label in enumerate(("列名", "必填", "格式", "说明", "可选值")):
        _write_text(guide, row, c, label, head)
    for column in spec.columns:
        row += 1
        _write_text(guide, row, 0, column.header, bold if column.required else None)
        _write_text(guide, row, 1, "是" if column.required else "否")
        fmt = TYPE_LABELS[column.type] + (f"，不超过{column.max_length}字" if column.max_length else "")
        _write_text(guide, row, 2, fmt, wrap)
        _write_text(guide, row, 3, column.note, wrap)
        if column.choices:
            _write_text(guide, row, 4, "、".join(ch.label for ch in column.choices), wrap)

    # -- 字典 (hidden) ----------------------------------------------------------------------
    for i, column in enumerate(choice_columns):
        dictionary.set_column(i, i, 16, text)
        for r, choice in enumerate(column.choices):
            _write_text(dictionary, r, i, choice.label, text)
    if dictionary is not None:
        dictionary.hide()

    wb.close()
    return buf.getvalue()


def build_error_report(
    spec: ImportSpec,
    parsed: ParsedImport,
    *,
    unmatched: Sequence[dict] = (),
    warnings: Sequence[RowError] = (),
    summary: Sequence[tuple[str, object]] = (),
) -> bytes:
    """The 错误报告: bad rows with the offending cells highlighted and an 错误原因 column,
    then the unmatched persons and the warnings. ID numbers are masked."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "constant_memory": True, **_WORKBOOK_OPTIONS})
    head = wb.add_format({"bold": True, "bg_color": "#EEF1F5", "border": 1})
    text = wb.add_format({"num_format": "@"})
    bad = wb.add_format({"num_format": "@", "bg_color": "#FDE2E1", "font_color": "#C62828", "border": 1, "border_color": "#C62828"})
    reason_fmt = wb.add_format({"font_color": "#C62828", "text_wrap": True})

    overview = wb.add_worksheet("汇总")
    overview.set_column(0, 0, 24)
    overview.set_column(1, 1, 60)
    lines = list(summary) or [
        ("数据行数", parsed.total_rows),
        ("通过校验", parsed.valid_rows),
        ("有错误的行", parsed.error_rows),
        ("未匹配到人员", len(unmatched)),
    ]
    for r, (label, value) in enumerate([("导入类型", spec.title), *lines]):
        _write_text(overview, r, 0, label, head)
        _write_text(overview, r, 1, value if not isinstance(value, str) else value, text if isinstance(value, str) else None)
    for r, message in enumerate(parsed.file_errors, start=len(lines) + 2):
        _write_text(overview, r, 0, "文件错误", head)
        _write_text(overview, r, 1, message, reason_fmt)

    errors = wb.add_worksheet("错误明细")
    unit = parsed.unit
    headers = [f"{unit}号", *spec.headers, "错误原因"]
    for c, h in enumerate(headers):
        _write_text(errors, 0, c, h, head)
        errors.set_column(c, c, 10 if c == 0 else (50 if c == len(headers) - 1 else 16))
    by_row: dict[int, list[RowError]] = {}
    for e in parsed.errors:
        by_row.setdefault(e.row, []).append(e)
    keys = [c.key for c in spec.columns]
    for r, number in enumerate(sorted(parsed.bad_rows), start=1):
        errors.write_number(r, 0, number)
        for c, value in enumerate(parsed.bad_rows[number], start=1):
            highlighted = (number, keys[c - 1]) in parsed.bad_cells
            if value == "" and highlighted:
                errors.write_blank(r, c, None, bad)
            else:
                _write_text(errors, r, c, value, bad if highlighted else text)
        reasons = "；".join(f"[{e.column or '整行'}] {e.message}" for e in by_row.get(number, []))
        _write_text(errors, r, len(headers) - 1, reasons, reason_fmt)
    errors.freeze_panes(1, 1)

    sheet = wb.add_worksheet("未匹配人员")
    for c, h in enumerate((f"{unit}号", "身份证号码（脱敏）", "姓名", "说明")):
        _write_text(sheet, 0, c, h, head)
        sheet.set_column(c, c, (10, 22, 12, 40)[c])
    for r, item in enumerate(unmatched, start=1):
        sheet.write_number(r, 0, item["row"])
        _write_text(sheet, r, 1, item["id_number"], text)
        _write_text(sheet, r, 2, item.get("name", ""), text)
        _write_text(sheet, r, 3, "人员库中未找到此身份证号码，未导入（不会自动新建人员）", text)

    sheet = wb.add_worksheet("提示")
    for c, h in enumerate((f"{unit}号", "列名", "提示")):
        _write_text(sheet, 0, c, h, head)
        sheet.set_column(c, c, (10, 16, 60)[c])
    for r, w in enumerate(warnings, start=1):
        sheet.write_number(r, 0, w.row)
        _write_text(sheet, r, 1, w.column, text)
        _write_text(sheet, r, 2, w.message, text)

    wb.close()
    return buf.getvalue()


__all__ = ["build_error_report", "build_template", "dictionary_ranges"]
