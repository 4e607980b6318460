"""The daily and the monthly report, read back: xlsx with openpyxl, PDF with pdftotext."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from minzheng.rescue import actions, reports

from .conftest import at

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def day_of_work(staff, station, take_in):
    s = staff.station
    a = take_in(name="张老三", sex="M", estimated_age=66, arrived_at=at(2026, 11, 20), bed_id=station.beds.get(number="001").pk)
    b = take_in(name="小红", sex="F", estimated_age=15, source="public", source_unit="", arrived_at=at(2026, 12, 3, 21, 5), bed_id=station.beds.get(number="002").pk)
    c = take_in(name="李四", arrived_at=at(2026, 12, 1))
    c = actions.do_identify(s, c, expected_version=c.version, name="李四", identified_on=D(2026, 12, 2), home_address="贵州省遵义市", how="本人陈述")
    actions.do_return_home(s, c, expected_version=c.version, mode="ticket", receiver_kind="family", receiver_name="家属", handed_over_on=D(2026, 12, 3))
    return a, b, c


def pdf_text(pdf: bytes) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    assert pdf.startswith(b"%PDF")
    return subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


def test_daily_report_xlsx_and_pdf(staff, station, day_of_work):
    a, b, c = day_of_work
    report = reports.daily_report(staff.station, station, D(2026, 12, 3))
    wb = load_workbook(io.BytesIO(reports.daily_xlsx(report)))
    assert wb.sheetnames == ["2026-12-03在站人员", "当日出入站", "在院救治"]
    rows = [[cell.value for cell in row] for row in wb["2026-12-03在站人员"].iter_rows()]
    assert rows[0] == list(reports.PEOPLE_HEADERS)
    assert rows[1:] == [
        [a.number, "张老三", "男", "66", "", "老年人", "2026-11-20 10:00", "13", "001", "在站救助", "2026-11-30", "超期"],
        [b.number, "小红", "女", "15", "", "未成年人", "2026-12-03 21:05", "0", "002", "在站救助", "2026-12-13", ""],
    ]
    moves = [[cell.value for cell in row] for row in wb["当日出入站"].iter_rows(min_row=2)]
    assert moves == [["入站", b.number, "小红", "群众报告"], ["离站", c.number, "李四", "接送返回中"]]
    text = pdf_text(reports.daily_pdf(report))
    assert "涪陵区救助管理站日报" in text and "2026年12月3日" in text
    assert "在站2人（其中未成年人1人，超期1人，在院救治0人）" in text and "床位2/80张" in text
    assert "张老三" in text and "小红" in text and "李四" in text


def test_monthly_report_xlsx_and_pdf(staff, station, day_of_work):
    report = reports.monthly_report(staff.station, station, "2026-12")
    wb = load_workbook(io.BytesIO(reports.monthly_xlsx(report)))
    summary = dict((r[0].value, r[1].value) for r in wb["月报汇总"].iter_rows(min_row=2))
    assert (summary["救助人次"], summary["查明身份"], summary["接送返回"], summary["接送返回率（指标12）"]) == ("2", "1", "1", "100.0%（1/1）")
    assert summary["风险情形：未成年人"] == "1" and summary["来源：公安机关护送"] == "1"
    people = [r[1].value for r in wb["本月受助人员"].iter_rows(min_row=2)]
    assert people == ["李四", "小红"]
    text = pdf_text(reports.monthly_pdf(report))
    assert "涪陵区救助管理站月报" in text and "2026-12-01 至 2026-12-31" in text and "100.0%（1/1）" in text


def test_reports_are_the_stations(client, staff, station, day_of_work):
    client.force_login(staff.station_user)
    response = client.get("/rescue/reports/daily.xlsx?day=2026-12-03")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/rescue/reports/monthly.pdf?period=2026-12").content.startswith(b"%PDF")
    response = client.get("/rescue/reports/monthly.pdf?period=2026-13")
    assert response.status_code == 422 and "统计月份有误：月份“2026-13”不存在（月份须在 01–12 之间）" in response.content.decode()
    assert client.get("/rescue/reports/weekly.pdf").status_code == 404
    for user in (staff.leader_user, staff.town_user):
        client.force_login(user)
        assert client.get("/rescue/reports/daily.pdf").status_code == 403
