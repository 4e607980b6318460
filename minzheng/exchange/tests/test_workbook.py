"""The template (read back with openpyxl) and the error report: hidden dictionary feeding the
dropdowns, text-formatted ID column, and no cell that Excel would run as a formula."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl

from minzheng.exchange.parsing import parse_upload
from minzheng.exchange.spec import ID_NUMBER, NAME, Choice, Column, ColumnType, ImportSpec
from minzheng.exchange.tests.test_parsing import SPEC, TODAY, good, ident, xlsx
from minzheng.exchange.workbook import build_error_report, build_template
from minzheng.exchange.tests.test_parsing import MONTHLY

EVIL = ImportSpec(
    kind="evil_feed",
    title="注入测试",
    source="=cmd|' /C calc'!A0",
    columns=(
        ID_NUMBER,
        NAME,
        Column("level", "程度", ColumnType.CHOICE, required=True, example="=1+1",
               choices=(Choice("a", "=1+1"), Choice("b", "@SUM(A1)"), Choice("c", "-2"), Choice("d", "+3"))),  # fmt: skip
    ),
    commit=lambda *a, **k: {},
)


def load(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def test_template_has_instructions_a_hidden_dictionary_and_dropdowns():
    wb = load(build_template(SPEC))
    assert wb.sheetnames == ["数据", "填表说明", "字典"]
    data, guide, dictionary = wb["数据"], wb["填表说明"], wb["字典"]
    assert dictionary.sheet_state == "hidden"
    assert [dictionary.cell(row=r, column=1).value for r in (1, 2)] == ["一般", "严重"]
    # Required headers carry a *, in spec order.
    assert [c.value for c in data[1]] == ["身份证号码*", "姓名*", "发生日期*", "金额（元）*", "次数", "程度*", "备注"]
    lists = [dv for dv in data.data_validations.dataValidation if dv.type == "list"]
    assert len(lists) == 1 and lists[0].formula1 == "字典!$A$1:$A$2"
    assert str(lists[0].sqref).startswith("F2:F")
    # The ID column is formatted as text (an 18-digit number would lose its last digits).
    assert data.column_dimensions["A"].number_format == "@"
    assert data["A2"].number_format == "@" and data["A2"].data_type == "s"
    assert data["A2"].value == "500102195201207809"
    assert "填表说明" in guide["A1"].value
    assert any("文本格式" in (row[0].value or "") for row in guide.iter_rows(min_row=2, max_row=12))


def test_a_filled_in_template_imports_and_its_example_row_is_skipped():
    wb = load(build_template(SPEC))
    ws = wb["数据"]
    for c, v in enumerate(good(), start=1):
        ws.cell(row=3, column=c, value=v)
    ws.cell(row=3, column=1).number_format = "@"
    buf = io.BytesIO()
    wb.save(buf)
    parsed = parse_upload(SPEC, buf.getvalue(), today=TODAY)
    assert parsed.ok and parsed.example_rows == 1 and [r.number for r in parsed.rows] == [3]


def test_template_neutralises_formula_injection():
    wb = load(build_template(EVIL))
    cells = [wb["字典"].cell(row=r, column=1) for r in range(1, 5)]
    assert [c.value for c in cells] == ["'=1+1", "'@SUM(A1)", "'-2", "'+3"]
    assert all(c.data_type == "s" for c in cells)
    assert wb["数据"]["C2"].data_type == "s" and wb["数据"]["C2"].value == "'=1+1"
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)


def test_error_report_highlights_bad_cells_masks_ids_and_neutralises_formulas():
    rows = [good(), good("103", name="=HYPERLINK(\"http://x\",\"点我\")", level="@SUM(1)"), good("105", id=ident()[:-1] + "0" if ident()[-1] != "0" else ident()[:-1] + "1")]
    parsed = parse_upload(SPEC, xlsx(rows), today=TODAY)
    assert parsed.error_rows == 2
    unmatched = [{"row": 2, "id_number": "500102********0000", "name": "-危险"}]
    wb = load(build_error_report(SPEC, parsed, unmatched=unmatched))
    assert wb.sheetnames == ["汇总", "错误明细", "未匹配人员", "提示"]
    errors = wb["错误明细"]
    header = [c.value for c in errors[1]]
    assert header[0] == "行号" and header[-1] == "错误原因"
    by_row = {row[0].value: row for row in errors.iter_rows(min_row=2)}
    assert set(by_row) == {3, 4}
    name_cell = by_row[3][2]
    assert name_cell.value.startswith("'=HYPERLINK") and name_cell.data_type == "s"
    assert by_row[3][6].fill.fgColor.rgb.endswith("FDE2E1")  # the bad 程度 cell is highlighted
    assert "请从下拉列表中选择" in by_row[3][-1].value
    assert "*" in by_row[4][1].value and len(by_row[4][1].value) == 18  # masked ID
    assert wb["未匹配人员"]["C2"].value == "'-危险"
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"


def test_template_without_dropdowns_has_no_dictionary_sheet():
    wb = load(build_template(MONTHLY))
    assert wb.sheetnames == ["数据", "填表说明"]
    assert [c.value for c in wb["数据"][1]] == ["户编号*", "身份证号码*", "起始年月*", "计划年月"]
    assert wb["数据"].column_dimensions["C"].number_format == "@"  # 2026-03 stays text, not a date
