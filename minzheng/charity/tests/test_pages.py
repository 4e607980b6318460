"""Charity screen, API and exports: scoped by the charity's domicile; bad donation input on the
screen and the API names the field and writes nothing; the months sheet read back."""

from __future__ import annotations

import io

import openpyxl
import pytest

from minzheng.api.auth import issue_token
from minzheng.charity import actions
from minzheng.charity.models import (
    Campaign,
    Charity,
    Donation,
    FundraisingQualification,
    Project,
    Spending,
    Trust,
)
from minzheng.sociorgs import actions as so_actions
from minzheng.sociorgs.tests.conftest import D, code, items

pytestmark = pytest.mark.django_db


def test_donation_screen_api_and_exports(client, staff, charity, zhenxi_charity):
    client.force_login(staff.district_user)
    form = {"form": "donation", "charity": charity.pk, "received_on": "2026-03-05", "donor_kind": "individual", "donor_name": "王五",
            "amount": "-10", "receipt_no": "R100"}  # fmt: skip
    response = client.post("/charity/", form)
    assert response.status_code == 400 and "货币捐赠金额（元）不能为负数" in response.content.decode()
    assert Donation.objects.count() == 0
    form["amount"] = "1200.50"
    assert client.post("/charity/", form).status_code == 302
    actions.do_record_donation(staff.district, zhenxi_charity, received_on=D(2026, 3, 9), donor_kind="anonymous", amount_yuan="100",
                               receipt_no="R200")  # fmt: skip
    wb = openpyxl.load_workbook(io.BytesIO(client.get("/charity/months.xlsx?year=2026").content))
    rows = [[c.value for c in r] for r in wb.active.iter_rows()]
    assert rows[0] == ["月份", "笔数", "货币捐赠（元）", "物资折价（元）", "合计（元）"]
    assert rows[3] == ["2026-03", 2, 1300.5, None, 1300.5] or rows[3] == ["2026-03", 2, 1300.5, 0, 1300.5]
    assert rows[-1][0] == "合计" and rows[-1][4] == 1300.5
    token, _ = issue_token(staff.zhenxi_user)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert [d["receipt_no"] for d in client.get("/api/v1/charity/donations", **auth).json()] == ["R200"]
    assert client.get(f"/api/v1/charity/charities/{charity.pk}", **auth).status_code == 404
    response = client.post("/api/v1/charity/donations", {"charity_id": zhenxi_charity.pk, "donor_kind": "individual", "donor_name": "x",
                                                         "amount": "5", "receipt_no": "R300"}, content_type="application/json", **auth)  # fmt: skip
    assert response.status_code == 403
    token, _ = issue_token(staff.district_user)
    response = client.post("/api/v1/charity/donations", {"charity_id": charity.pk, "donor_kind": "individual", "donor_name": "x",
                                                         "amount": "-5", "receipt_no": "R300", "received_on": "2026-03-01"},
                           content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")  # fmt: skip
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "amount", "message": "货币捐赠金额（元）不能为负数"}]
    summary = client.get("/api/v1/charity/summary?year=2026", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert summary["indicator_8"] == {"fen": 130_050, "wan": "0.13005", "count": 2}
    client.force_login(staff.zhenxi_user)
    page = client.get("/charity/?year=2026").content.decode()
    assert "珍溪镇慈善服务中心" in page and "涪陵区乐善公益服务中心" not in page and "登记捐赠" not in page


def test_projects_spending_and_trusts_on_the_screen(client, staff, charity, zhenxi_charity):
    client.force_login(staff.district_user)
    bad = client.post("/charity/", {"form": "project", "charity": charity.pk, "name": "", "starts_on": "2026-03-01", "budget": "-1"})
    assert bad.status_code == 400 and "请填写项目名称" in bad.content.decode() and "项目预算（元）不能为负数" in bad.content.decode()
    assert "未保存：有2处需要修改，原因列在下方“慈善项目与支出”中。" in bad.content.decode()  # the notice at the top
    assert Project.objects.count() == 0
    ok = client.post("/charity/", {"form": "project", "charity": charity.pk, "name": "助学项目", "starts_on": "2026-03-01", "budget": "150000"})
    assert ok.status_code == 302
    project = Project.objects.get()
    assert (project.name, project.budget_fen, project.division_code) == ("助学项目", 15_000_000, charity.division_code)
    assert client.post("/charity/", {"form": "spending", "project": project.pk, "spent_on": "2026-12-05", "spending_amount": "100",
                                     "purpose": "助学金"}).status_code == 400  # a day to come
    assert client.post("/charity/", {"form": "spending", "project": project.pk, "spent_on": "2026-09-01", "spending_amount": "60000.50",
                                     "purpose": "秋季助学金"}).status_code == 302  # fmt: skip
    assert Spending.objects.get().amount_fen == 6_000_050
    page = client.get("/charity/").content.decode()
    assert "助学项目" in page and "60,000.50" in page and "150,000.00" in page
    late = {"form": "trust", "trust_name": "乡村振兴慈善信托", "trustee": "某信托公司", "settlor": "某企业", "signed_on": "2026-11-01",
            "filed_on": "2026-11-20", "property": "1000000", "trust_purpose": "乡村振兴"}  # fmt: skip
    response = client.post("/charity/", late)
    assert response.status_code == 400 and "慈善信托应自合同签订之日起7日内备案（2026-11-08前）" in response.content.decode()
    assert Trust.objects.count() == 0
    assert client.post("/charity/", {**late, "filed_on": "2026-11-06"}).status_code == 302
    assert Trust.objects.get().property_fen == 100_000_000


def test_a_town_officer_cannot_add_to_another_towns_charity(client, staff, zhenxi_charity):
    client.force_login(staff.dunren_user)
    response = client.post("/charity/", {"form": "project", "charity": zhenxi_charity.pk, "name": "越权项目", "starts_on": "2026-03-01"})
    assert response.status_code in (403, 404) and Project.objects.count() == 0


def test_recognition_qualification_and_campaign_on_the_screen(client, staff, charity):
    org = so_actions.do_register_organisation(staff.district, credit_code=code("52", 7), registered_on=D(2020, 5, 1),
                                              **items(name="涪陵区助老服务中心", org_type="service", sector="charity"))  # fmt: skip
    client.force_login(staff.district_user)
    form = {"form": "recognise", "credit_code": code("52", 8), "applied_on": "2026-11-01", "recognised_on": "2026-11-20", "decision_no": "涪民发〔2026〕9号"}
    response = client.post("/charity/", form)
    assert response.status_code == 400 and "本辖区社会组织名录中没有这个统一社会信用代码" in response.content.decode()
    assert client.post("/charity/", {**form, "credit_code": org.credit_code.lower()}).status_code == 302
    assert Charity.objects.get(organisation=org).decision_no == "涪民发〔2026〕9号"
    again = client.post("/charity/", {**form, "credit_code": org.credit_code})
    assert again.status_code == 400 and "该组织已认定为慈善组织" in again.content.decode()
    early = client.post("/charity/", {"form": "qualification", "charity": charity.pk, "granted_on": "2022-03-01", "valid_until": "2027-03-01",
                                      "certificate_no": "Q1"})  # fmt: skip
    assert early.status_code == 400 and "认定为慈善组织满1年（2022-03-15）后方可取得公开募捐资格" in early.content.decode()
    assert client.post("/charity/", {"form": "qualification", "charity": charity.pk, "granted_on": "2022-06-01", "valid_until": "2027-05-31",
                                     "certificate_no": "Q1"}).status_code == 302  # fmt: skip
    assert FundraisingQualification.objects.get(charity=charity).certificate_no == "Q1"
    assert client.post("/charity/", {"form": "campaign", "charity": charity.pk, "campaign_name": "助学圆梦", "filed_on": "2026-01-05",
                                     "starts_on": "2026-01-20", "ends_on": "2026-12-31", "target": "500000"}).status_code == 302  # fmt: skip
    assert Campaign.objects.get().target_fen == 50_000_000
    assert "助学圆梦 结束后全面公开" in client.get("/charity/").content.decode()


def test_the_month_table_totals_every_column(client, staff, charity):
    actions.do_record_donation(staff.district, charity, received_on=D(2026, 3, 5), donor_kind="individual", donor_name="王五",
                               amount_yuan="1200.50", in_kind_yuan="300", in_kind_description="棉被", receipt_no="R1")  # fmt: skip
    actions.do_record_donation(staff.district, charity, received_on=D(2026, 5, 5), donor_kind="anonymous", amount_yuan="100", receipt_no="R2")
    client.force_login(staff.district_user)
    page = client.get("/charity/?year=2026").content.decode()
    assert "<tr><th>合计</th><th>2</th><th>1,300.50</th><th>300.00</th><th>1,600.50</th></tr>" in page
