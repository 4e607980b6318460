"""A file with more rows than an upload may hold (ImportSpec.max_rows data rows + the header
search, blank rows included) is refused as soon as that is known — an xlsx from its
dimensions, a CSV at the first row past the limit — with a Chinese message, and nothing of
the rest is read."""

from __future__ import annotations

import dataclasses

from minzheng.exchange import parsing
from minzheng.exchange.parsing import HEADER_SEARCH_ROWS, parse_upload, too_many_rows
from minzheng.exchange.tests.test_parsing import HEADERS, SPEC, TODAY, ident, xlsx

SMALL = dataclasses.replace(SPEC, max_rows=5)
ROW = [None, "张三", "2026-03-05", "12.50", "1", "一般", ""]


def _rows(n):
    return [[ident(seq=f"{i % 900 + 100}"), *ROW[1:]] for i in range(n)]


def test_the_message_names_the_limit():
    assert too_many_rows(200_000) == "文件行数超过每次导入的上限（200000行，含空行），请分批导入"
    assert SPEC.max_rows == 200_000 and HEADER_SEARCH_ROWS == 10


def test_an_xlsx_past_the_limit_is_refused_from_its_dimensions(monkeypatch):
    content = xlsx(_rows(5 + HEADER_SEARCH_ROWS))  # 16 rows with the header: one too many
    parsed = parse_upload(SMALL, content, filename="roster.xlsx", today=TODAY)
    assert parsed.file_errors == ["文件行数超过每次导入的上限（5行，含空行），请分批导入"]
    assert parsed.total_rows == 0  # refused before any row was validated


def test_blank_rows_count_towards_the_limit_in_a_csv():
    lines = [",".join(HEADERS)] + [""] * 14 + [",,,,,,"] * 30
    content = ("\n".join(lines) + "\n").encode("utf-8")
    parsed = parse_upload(SMALL, content, filename="roster.csv", today=TODAY)
    assert parsed.file_errors == ["文件行数超过每次导入的上限（5行，含空行），请分批导入"]


def test_a_csv_past_the_limit_is_refused_before_a_row_is_validated(monkeypatch):
    seen = []
    real = parsing._Validator.add

    def counting(self, number, cells):
        seen.append(number)
        return real(self, number, cells)

    monkeypatch.setattr(parsing._Validator, "add", counting)
    body = "\n".join([",".join(HEADERS)] + [",".join(r) for r in _rows(1000)]) + "\n"
    parsed = parse_upload(SMALL, body.encode("utf-8"), filename="roster.csv", today=TODAY)
    assert parsed.file_errors == ["文件行数超过每次导入的上限（5行，含空行），请分批导入"]
    assert seen == []


def test_within_the_physical_limit_the_data_row_limit_still_applies():
    body = "\n".join([",".join(HEADERS)] + [",".join(r) for r in _rows(8)]) + "\n"
    parsed = parse_upload(SMALL, body.encode("utf-8"), filename="roster.csv", today=TODAY)
    assert parsed.file_errors == ["数据超过5行，请分批导入"]


def test_a_file_within_the_limit_is_read_as_before():
    parsed = parse_upload(SMALL, xlsx(_rows(5)), filename="roster.xlsx", today=TODAY)
    assert parsed.file_errors == [] and parsed.total_rows == 5
