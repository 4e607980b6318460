"""Citations as users read them, and the one export helper's typed cells and totals."""

from __future__ import annotations

import datetime as dt
import io

from python_calamine import CalamineWorkbook

from minzheng.core.citations import WORKING_DEFAULT_TEXT, parse_citation
from minzheng.core.xlsx import Column, write_export


def test_a_citation_keeps_the_document_and_links_the_url():
    c = parse_citation("渝民规〔2025〕6号 http://www.dazu.gov.cn/qzfbm/t20250826_14938749.html")
    assert (c.text, c.url) == ("渝民规〔2025〕6号", "http://www.dazu.gov.cn/qzfbm/t20250826_14938749.html")


def test_internal_file_references_become_a_chinese_phrase():
    c = parse_citation("平台工作默认值（domain/policy-facts.md 末节“Working defaults”），待本地文件确认")
    assert c == parse_citation(WORKING_DEFAULT_TEXT) and c.text == "工作默认值（待区民政局确认）" and c.url == ""
    c = parse_citation("全国审核确认办法（二手来源 https://www.2wbiao.com/p/54096.html ）；平台工作默认值（domain/policy-facts.md 末节“Working defaults”），待本地文件确认")
    assert c.text == "全国审核确认办法（二手来源）；工作默认值（待区民政局确认）"
    assert c.url == "https://www.2wbiao.com/p/54096.html"
    assert parse_citation("") .text == "" and parse_citation(None).text == ""


def read(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_write_export_types_cells_and_totals():
    columns = [Column("序号", "int"), Column("身份证号码"), Column("金额（元）", "fen"), Column("人数", "count"), Column("日期", "date")]
    rows = [
        [1, "500102199001011234", 123456, 2, dt.date(2026, 12, 4)],
        [2, "=HYPERLINK(1)", 1, 3, None],
    ]
    content, count = write_export(columns, rows, sheet_name="测试", total_label="合计")
    sheet = read(content)
    assert count == 2
    assert sheet[1][:4] == [1.0, "500102199001011234", 1234.56, 2.0]  # the ID stays text, money is a number
    assert sheet[2][1] == "'=HYPERLINK(1)"  # no formula injection
    assert sheet[3][:4] == ["合计", "", 1234.57, 5.0]  # 序号 is not totalled


def test_an_empty_export_says_so():
    content, count = write_export([Column("姓名")], [], empty_note="没有符合条件的记录", total_label="合计")
    assert count == 0 and read(content) == [["姓名"], ["没有符合条件的记录"]]
