"""Screens, exports and the API: the district registers and sees everything; a 珍溪镇 officer sees
the outlets of 珍溪镇 only (404 on a 敦仁街道 outlet by page and API, absent from the exports);
bad form input shows the Chinese message and writes nothing; the reports read back."""

from __future__ import annotations

import io

import openpyxl
import pytest

from minzheng.api.auth import issue_token
from minzheng.lottery import actions
from minzheng.lottery.models import Outlet

from .conftest import DADONGMEN, D

pytestmark = pytest.mark.django_db


def bearer(user):
    token, _ = issue_token(user)
    return {"Authorization": f"Bearer {token}"}


def sheet(content: bytes) -> list[list]:
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.fixture
def sold(system, outlets):
    dunren, zhenxi = outlets
    actions.do_record_sales(system, dunren, month=D(2026, 10, 1), sales_fen=12_000_050)
    actions.do_record_sales(system, dunren, month=D(2026, 11, 1), sales_fen=10_000_000)
    actions.do_record_sales(system, zhenxi, month=D(2026, 11, 1), sales_fen=8_000_000)
    fund = actions.do_record_fund_year(system, year=2025, retained_fen=650_000_000, reference="涪财社〔2025〕1号", received_on=D(2025, 6, 30))
    project = actions.do_add_project(system, fund, name="敬老院改造", area="elderly", unit="区社会福利院", budget_fen=100_000_000)
    actions.do_update_project(system, project, spent_fen=90_000_000, evaluation_score=92, evaluated_on=D(2026, 3, 31), disclosed_on=D(2026, 4, 30))
    return outlets


def test_zhenxi_officer_is_refused_a_dunren_outlet_by_page_api_and_export(client, staff, sold):
    dunren, zhenxi = sold
    client.force_login(staff.other_town_user)
    assert client.get(f"/lottery/outlets/{dunren.pk}/").status_code == 404
    assert client.get(f"/lottery/outlets/{zhenxi.pk}/").status_code == 200
    page = client.get("/lottery/outlets/").content.decode()
    assert "兴盛投注站" in page and "大东门投注站" not in page
    rows = sheet(client.get("/lottery/sales/by-outlet.xlsx?year=2026").content)
    assert [r[0] for r in rows[1:-1]] == ["50010200002"]
    assert client.get(f"/api/v1/lottery/outlets/{dunren.pk}", headers=bearer(staff.other_town_user)).status_code == 404
    assert [o["licence_no"] for o in client.get("/api/v1/lottery/outlets", headers=bearer(staff.other_town_user)).json()] == ["50010200002"]
    assert client.post(f"/lottery/outlets/{dunren.pk}/", {"form": "inspection", "inspected_on": "2026-12-01"}).status_code == 404
    assert client.get(f"/lottery/outlets/{zhenxi.pk}/sales").status_code == 404  # no such page; the API below
    assert client.get(f"/api/v1/lottery/outlets/{dunren.pk}/sales", headers=bearer(staff.other_town_user)).status_code == 404


def test_a_village_worker_has_no_lottery_screens(client, staff, sold):
    client.force_login(staff.village_user)
    assert client.get("/lottery/").status_code == 403


def test_reports_read_back(client, staff, sold):
    client.force_login(staff.district_user)
    months = sheet(client.get("/lottery/sales/by-month.xlsx?year=2026").content)
    assert months[0] == ["月份", "有销售额的投注站（个）", "销售额（元）"]
    assert months[10] == ["2026-10", 1, 120000.5] and months[11] == ["2026-11", 2, 180000]
    assert months[-1][0] == "合计" and months[-1][2] == 300000.5
    outlets = sheet(client.get("/lottery/sales/by-outlet.xlsx?year=2026").content)
    assert outlets[1] == ["50010200001", "大东门投注站", "兼营店", "敦仁街道", "营业中", 2, 220000.5]
    assert outlets[2] == ["50010200002", "兴盛投注站", "主营店", "珍溪镇", "营业中", 1, 80000]
    fund = sheet(client.get("/lottery/fund.xlsx").content)
    assert fund[1] == [2025, 6500000, 1, 1000000, 900000, 1, 1, "涪财社〔2025〕1号"]
    page = client.get("/lottery/sales/?year=2026").content.decode()
    assert "300,000.50" in page


def test_register_form_refuses_a_closing_date_before_opening(client, staff, id_number):
    client.force_login(staff.district_user)
    r = client.post("/lottery/outlets/", {
        "licence_no": "50010201234", "name": "测试站", "kind": "side", "division_code": DADONGMEN, "address": "测试路",
        "operator_name": "王建华", "operator_id_number": id_number("19700101", "123"), "opened_on": "2026-05-01", "closed_on": "2026-04-30",
    })  # fmt: skip
    assert r.status_code == 400
    assert "关闭日期不能早于开业日期" in r.content.decode() and not Outlet.objects.exists()
    r = client.post("/lottery/outlets/", {
        "licence_no": "50010201234", "name": "测试站", "kind": "side", "division_code": DADONGMEN, "address": "测试路",
        "operator_name": "王建华", "operator_id_number": id_number("19700101", "123"), "opened_on": "2026-05-01",
    })  # fmt: skip
    assert r.status_code == 302 and Outlet.objects.get().licence_no == "50010201234"
    assert "1970" not in client.get(r["Location"]).content.decode()  # the ID number is masked


def test_pages_render_for_the_district(client, staff, sold):
    client.force_login(staff.district_user)
    dunren, _ = sold
    for url in ("/lottery/", "/lottery/outlets/", f"/lottery/outlets/{dunren.pk}/", "/lottery/sales/", "/lottery/fund/"):
        r = client.get(url)
        assert r.status_code == 200, url
        assert "None" not in r.content.decode(), url
    assert 'id="outlets-open">2 个' in client.get("/lottery/").content.decode()


def test_api_registers_through_the_action_and_answers_422_with_the_field(client, staff, id_number):
    body = {"licence_no": "50010205555", "name": "API站", "kind": "community", "division_code": DADONGMEN, "address": "x",
            "opened_on": "2099-06-01", "operator_name": "王建华", "operator_id_number": id_number("19700101", "123")}  # fmt: skip
    r = client.post("/api/v1/lottery/outlets", body, content_type="application/json", headers=bearer(staff.district_user))
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "opened_on", "message": "开业日期不能晚于今天"}]
    # Closing is its own step on the outlet's page: a new outlet is open.
    r = client.post("/api/v1/lottery/outlets", {**body, "opened_on": "2026-06-01", "closed_on": "2026-07-01"},
                    content_type="application/json", headers=bearer(staff.district_user))  # fmt: skip
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "closed_on", "message": "不接受该字段"}]
    body["opened_on"] = "2026-06-01"
    r = client.post("/api/v1/lottery/outlets", body, content_type="application/json", headers=bearer(staff.district_user))
    assert r.status_code == 201 and r.json()["status"] == "open"
    assert client.get("/api/v1/lottery/indicators", headers=bearer(staff.district_user)).json()["outlets"] == 1
    assert client.post("/api/v1/lottery/outlets", body, content_type="application/json", headers=bearer(staff.town_user)).status_code == 403
