"""Every row of an upload is validated, with the row number the user sees and a Chinese reason."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from minzheng.core.idnumber import InvalidIdNumber, check_digit, parse_id_number
from minzheng.exchange.parsing import ID_AS_NUMBER, fast_valid_id, parse_records, parse_upload
from minzheng.exchange.spec import ID_NUMBER, NAME, Choice, Column, ColumnType, ImportSpec
from minzheng.exchange.parsing import group_rows

TODAY = dt.date(2026, 11, 20)
SPEC = ImportSpec(
    kind="test_feed",
    title="测试数据",
    source="测试部门",
    columns=(
        ID_NUMBER,
        NAME,
        Column("on", "发生日期", ColumnType.DATE, required=True, example="2026-03-05"),
        Column("amount", "金额（元）", ColumnType.DECIMAL_YUAN, required=True, example=12.5),
        Column("count", "次数", ColumnType.INT, min_value=0, max_value=99, example=1),
        Column("level", "程度", ColumnType.CHOICE, required=True, choices=(Choice("low", "一般"), Choice("high", "严重", ("重",))), example="一般"),
        Column("note", "备注", ColumnType.TEXT, max_length=10),
    ),
    unique_key=("id_number", "on"),
    commit=lambda actor, batch, rows, today: {"inserted": len(rows)},
)
HEADERS = ["身份证号码*", "姓名*", "发生日期*", "金额（元）*", "次数", "程度*", "备注"]


def ident(birth="19520120", seq="101") -> str:
    first = "500102" + birth + seq
    return first + check_digit(first)


def xlsx(rows, headers=HEADERS, *, title_row: str | None = None) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_numbers": False})
    ws = wb.add_worksheet("数据")
    offset = 0
    if title_row:
        ws.write_string(0, 0, title_row)
        offset = 1
    for c, h in enumerate(headers):
        ws.write_string(offset, c, h)
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows, start=offset + 1):
        for c, v in enumerate(row):
            if v is None:
                continue
            if isinstance(v, dt.date):
                ws.write_datetime(r, c, dt.datetime.combine(v, dt.time()), date_fmt)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)
    wb.close()
    return buf.getvalue()


def good(seq="101", on=dt.date(2026, 3, 5), **kw):
    row = [ident(seq=seq), "张三", on, 1234.5, 2, "严重", "无"]
    for i, key in enumerate(["id", "name", "on", "amount", "count", "level", "note"]):
        if key in kw:
            row[i] = kw[key]
    return row


def test_good_rows_are_parsed_to_clean_values():
    parsed = parse_upload(SPEC, xlsx([good(), good("103", on="2026/3/6", amount="1,200.00元", level="重")]), today=TODAY)
    assert parsed.ok, parsed.errors
    assert [r.number for r in parsed.rows] == [2, 3]
    first, second = (r.values for r in parsed.rows)
    assert first == {"id_number": ident(), "name": "张三", "on": dt.date(2026, 3, 5), "amount": 123450, "count": 2, "level": "high", "note": "无"}
    assert second["on"] == dt.date(2026, 3, 6) and second["amount"] == 120000 and second["level"] == "high"


def test_each_bad_cell_is_reported_with_the_excel_row_and_column():
    bad_check = ident()[:-1] + ("0" if ident()[-1] != "0" else "1")
    rows = [
        good(),
        good("105", id=bad_check),  # row 3: check digit
        good("107", id=ident(seq="107")),  # row 4: the ID typed into a numeric cell (below)
        good("109", level="很严重"),  # row 5: not in the dictionary
        good("111", on=TODAY + dt.timedelta(days=1)),  # row 6: in the future
        good(),  # row 7: duplicate of row 2
        good("113", amount=12.345, count=100, note="这是一段超过十个字的备注内容"),  # row 8: three problems
        good("115", name=""),  # row 9: required
    ]
    rows[2][0] = float(ident(seq="107"))
    parsed = parse_upload(SPEC, xlsx(rows), today=TODAY)
    shown = [e.display() for e in parsed.errors]
    assert parsed.rows and [r.number for r in parsed.rows] == [2]
    assert "第3行 [身份证号码] 身份证号码校验位错误，请核对" in shown
    assert f"第4行 [身份证号码] {ID_AS_NUMBER}" in shown
    assert "请将身份证号码列设置为文本格式后重新填写" in ID_AS_NUMBER
    assert "第5行 [程度] “很严重”不是有效的程度，请从下拉列表中选择" in shown
    assert f"第6行 [发生日期] 日期不能晚于今天（{TODAY.isoformat()}）" in shown
    assert "第7行 [整行] 与第2行重复" in shown
    assert "第8行 [金额（元）] 金额最多保留两位小数" in shown
    assert "第8行 [次数] 不能大于99" in shown
    assert any(s.startswith("第8行 [备注] 不能超过10个字符") for s in shown)
    assert "第9行 [姓名] 必填项未填写" in shown
    assert parsed.error_rows == 7 and parsed.total_rows == 8
    # The raw cells of bad rows are kept for the report — with the ID number masked.
    assert parsed.bad_rows[3][0] == bad_check[:6] + "********" + bad_check[-4:]
    assert (4, "id_number") in parsed.bad_cells


def test_blank_rows_keep_the_numbering_and_a_title_row_above_the_header_is_tolerated():
    content = xlsx([good(), [None] * 7, good("103")], title_row="涪陵区测试数据（2026年3月）")
    parsed = parse_upload(SPEC, content, today=TODAY)
    assert parsed.ok and [r.number for r in parsed.rows] == [3, 5]


def test_the_template_example_row_is_skipped():
    example = ["500102195201207809", "张三", dt.date(2026, 3, 5), 12.5, 1, "一般", None]
    parsed = parse_upload(SPEC, xlsx([example, good()]), today=TODAY)
    assert parsed.example_rows == 1 and parsed.total_rows == 1 and parsed.ok


def test_missing_required_header_is_a_file_error():
    parsed = parse_upload(SPEC, xlsx([good()], headers=["身份证号码", "姓名", "日期"]), today=TODAY)
    assert not parsed.ok and parsed.file_errors and "未找到表头" in parsed.file_errors[0]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk"])
def test_csv_in_utf8_or_gbk(encoding):
    lines = [",".join(HEADERS), f"{ident()},李四,2026-03-05,88,1,一般,", f"5.00102E+17,王五,2026-03-05,88,1,一般,"]
    parsed = parse_upload(SPEC, "\r\n".join(lines).encode(encoding), filename="x.csv", today=TODAY)
    assert [r.values["name"] for r in parsed.rows] == ["李四"]
    assert [e.display() for e in parsed.errors] == [f"第3行 [身份证号码] {ID_AS_NUMBER}"]


def test_garbage_is_refused_with_a_chinese_message():
    parsed = parse_upload(SPEC, b"PK\x03\x04 not really a zip", filename="x.xlsx", today=TODAY)
    assert parsed.file_errors and "无法读取" in parsed.file_errors[0]
    assert parse_upload(SPEC, b"", today=TODAY).file_errors == ["文件为空"]


def test_json_records_are_validated_the_same_way():
    parsed = parse_records(
        SPEC,
        [
            {"id_number": ident(), "name": "张三", "on": "2026-03-05", "amount": "10.00", "level": "low"},
            {"身份证号码": ident("19600101", "201"), "姓名": "李四", "发生日期": "2026-03-05", "金额（元）": 10, "程度": "严重"},
            {"id_number": 500102195201207809, "name": "王五", "on": "2026-03-05", "amount": 1, "level": "low"},
            "not an object",
        ],
        today=TODAY,
    )
    assert [r.number for r in parsed.rows] == [1, 2]
    assert [e.display("条") for e in parsed.errors] == [f"第3条 [身份证号码] {ID_AS_NUMBER}", "第4条 [整行] 应为JSON对象"]


def test_excel_float_noise_in_money_is_one_fen_not_an_error():
    parsed = parse_upload(SPEC, xlsx([good(amount=3000.0000000000005)]), today=TODAY)
    assert parsed.ok and parsed.rows[0].values["amount"] == 300000



valid_shape = st.text(alphabet="0123456789", min_size=17, max_size=17).map(lambda s: s + check_digit(s))


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(alphabet="0123456789X", min_size=17, max_size=19), valid_shape))
def test_the_fast_id_path_agrees_with_the_validator(text):
    try:
        accepted = parse_id_number(text, today=TODAY).value == text
    except InvalidIdNumber:
        accepted = False
    assert fast_valid_id(text, TODAY) == accepted


MONTHLY = ImportSpec(
    kind="test_monthly",
    title="按月数据",
    source="测试部门",
    columns=(
        Column("group", "户编号", ColumnType.TEXT, required=True),
        ID_NUMBER,
        Column("start", "起始年月", ColumnType.MONTH, required=True),
        Column("later", "计划年月", ColumnType.MONTH, allow_future=True),
    ),
    name_column=None,
    commit=lambda *a, **k: {},
)


def test_month_column_accepts_the_usual_spellings_and_refuses_the_future():
    rows = [
        ["户编号*", "身份证号码*", "起始年月*", "计划年月"],
        ["1", ident(seq="101"), "2024-03", "2027-01"],
        ["1", ident(seq="102"), "2024年3月", ""],
        ["1", ident(seq="103"), dt.date(2024, 3, 17), ""],
        ["1", ident(seq="104"), "202403", ""],
        ["2", ident(seq="105"), "2026-12", ""],
        ["2", ident(seq="106"), "2024-13", ""],
        ["2", ident(seq="107"), "三月", ""],
    ]
    parsed = parse_upload(MONTHLY, xlsx(rows[1:], rows[0]), today=TODAY)
    assert [r.values["start"] for r in parsed.rows] == [dt.date(2024, 3, 1)] * 4
    assert parsed.rows[0].values["later"] == dt.date(2027, 1, 1)
    assert [(e.row, e.message) for e in parsed.errors] == [
        (6, "年月不能晚于本月（2026-11）"),
        (7, "月份不存在，请核对"),
        (8, "年月格式不正确，应为 2026-03 这样的年月"),
    ]


def test_group_rows_leaves_out_groups_with_a_bad_row_and_reject_reports_a_good_row():
    rows = [
        ["户编号*", "身份证号码*", "起始年月*"],
        ["1", ident(seq="101"), "2024-03"],
        ["2", ident(seq="102"), "2024-03"],
        ["1", ident(seq="103"), "2024-03"],
        ["2", ident(seq="104"), "不是年月"],
        ["3", ident(seq="105"), "2024-04"],
    ]
    parsed = parse_upload(MONTHLY, xlsx(rows[1:], rows[0]), today=TODAY)
    groups = group_rows(MONTHLY, parsed, "group")
    assert {k: [r.number for r in v] for k, v in groups.complete.items()} == {"1": [2, 4], "3": [6]}
    assert groups.incomplete == {"2": [5]}
    parsed.reject(MONTHLY, 6, "start", "晚于批准日期")
    assert parsed.errors[-1].display() == "第6行 [起始年月] 晚于批准日期"
    assert parsed.bad_rows[6] == ["3", ident(seq="105")[:6] + "********" + ident(seq="105")[-4:], "2024-04", ""]
    assert set(group_rows(MONTHLY, parsed, "group").complete) == {"1"}
