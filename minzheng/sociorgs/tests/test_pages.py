"""Screens, API and exports: scoped by domicile (a 珍溪镇 officer is refused a 敦仁街道
organisation by page, API and export), the 成立登记 walk on screen, xlsx read back."""

from __future__ import annotations

import io

import openpyxl
import pytest

from minzheng.api.auth import issue_token
from minzheng.sociorgs import actions
from minzheng.sociorgs.models import Organisation
from minzheng.sociorgs.tests.conftest import D, code, items

pytestmark = pytest.mark.django_db


def _api(client, user, url):
    token, _ = issue_token(user)
    return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")


def _sheet(content: bytes, name: str | None = None):
    wb = openpyxl.load_workbook(io.BytesIO(content))
    ws = wb[name] if name else wb.active
    return [[c.value for c in r] for r in ws.iter_rows()]


def test_town_officer_refused_another_towns_organisation(client, staff, org):
    client.force_login(staff.zhenxi_user)
    assert client.get(f"/sociorgs/organisations/{org.pk}/").status_code == 404
    assert _api(client, staff.zhenxi_user, f"/api/v1/sociorgs/organisations/{org.pk}").status_code == 404
    assert _api(client, staff.zhenxi_user, "/api/v1/sociorgs/organisations").json() == []
    rows = _sheet(client.get("/sociorgs/organisations.xlsx").content)
    assert rows[1:] == [["暂无社会组织", None, None, None, None, None, None, None, None, None, None, None]]
    client.force_login(staff.dunren_user)
    page = client.get(f"/sociorgs/organisations/{org.pk}/").content.decode()
    assert "涪陵区养老服务协会" in page and "50,000.00元" in page
    body = _api(client, staff.dunren_user, f"/api/v1/sociorgs/organisations/{org.pk}").json()
    assert (body["credit_code"], body["registered_capital_fen"], body["division_code"]) == (org.credit_code, 5_000_000, org.division_code)
    rows = _sheet(client.get("/sociorgs/organisations.xlsx").content)
    assert rows[1] == ["涪陵区养老服务协会", org.credit_code, "社会团体", "城乡社区服务类", "敦仁街道 / 大东门社区", "张三", "（直接登记）", 50000,
                       "联合建立党组织", None, rows[1][10], "正常"]  # fmt: skip
    assert rows[1][10].date() == D(2020, 3, 1)


def test_report_export_reads_back(client, staff, org):
    other = actions.do_register_organisation(staff.district, credit_code=code("52", 2), registered_on=D(2018, 1, 1),
                                             **items(name="涪陵区科技服务中心", org_type="service", sector="science"))  # fmt: skip
    actions.do_record_inspection(staff.district, org, year=2025, result="pass", submitted_on=D(2026, 5, 1))
    actions.do_record_inspection(staff.district, other, year=2025, result="fail", submitted_on=D(2026, 5, 1))
    actions.do_record_assessment(staff.district, other, grade="3A", assessed_on=D(2024, 1, 10))
    client.force_login(staff.district_user)
    content = client.get("/sociorgs/report.xlsx?year=2025").content
    assert _sheet(content, "按类型") == [["类型", "数量"], ["社会团体", 1], ["社会服务机构", 1], ["基金会", 0], ["合计", 2]]
    assert _sheet(content, "按乡镇（街道）") == [["乡镇（街道）", "数量"], ["敦仁街道", 2]]
    assert _sheet(content, "按评估等级")[3] == ["3A", 1]
    assert _sheet(content, "2025年度年检") == [["结论", "数量"], ["合格", 1], ["基本合格", 0], ["不合格", 1], ["未参加年检", 0], ["合格率（%）", 50]]
    assert client.get("/sociorgs/report/?year=2025").status_code == 200


def test_establishment_on_screen_and_bad_input(client, staff):
    client.force_login(staff.district_user)
    bad = items(registered_capital="-5")
    response = client.post("/sociorgs/procedures/new/", bad)
    assert response.status_code == 400
    assert "注册资金（元）不能为负数" in response.content.decode()
    response = client.post("/sociorgs/procedures/new/", items())
    case_url = response["Location"]
    for kind in ("prep_application", "funds_proof", "premises_proof", "founders", "charter_draft"):
        client.post(case_url, {"step": "document", "kind": kind})
    for step in ("accept", "approve_prep"):
        page = client.get(case_url)
        version = page.context["case"].version
        assert client.post(case_url, {"step": step, "version": version}).status_code == 302
    for kind in ("registration_form", "charter"):
        client.post(case_url, {"step": "document", "kind": kind})
    version = client.get(case_url).context["case"].version
    client.post(case_url, {"step": "submit_registration", "version": version})
    version = client.get(case_url).context["case"].version
    wrong = code("51", 11)[:17] + ("0" if code("51", 11)[17] != "0" else "1")
    response = client.post(case_url, {"step": "approve", "version": version, "credit_code": wrong})
    assert response.status_code == 400 and "统一社会信用代码校验码错误" in response.content.decode()
    assert Organisation.objects.count() == 0
    client.post(case_url, {"step": "approve", "version": version, "credit_code": code("51", 11)})
    page = client.get(case_url).content.decode()
    assert "准予登记" in page and "涪社证字〔2026〕第001号" in page
    pdf = client.get(case_url + "certificate.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(staff.zhenxi_user)
    assert client.get(case_url).status_code == 404
