"""A purchased project from tender to final evaluation with its payments (maker-checker); each
step refused when the role or the division is wrong; a town sees its own (page, API, export)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from minzheng.api.auth import issue_token
from minzheng.cases.models import CaseEvent
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.socialwork import actions
from minzheng.socialwork.models import Payment, ServiceRecord
from minzheng.socialwork.tests.conftest import D


def test_the_walk_with_payments(staff, agency, project):
    assert (project.status, project.budget_fen, project.target_groups) == ("tender", 20_000_000, "children,left_behind")
    with pytest.raises(PermissionDenied):  # in the division, without the role's permission
        actions.do_contract_project(staff.approver, project, expected_version=project.version, agency=agency)
    with pytest.raises(NotFound):  # a village of the town does not see the town's project
        actions.do_contract_project(staff.village, project, expected_version=project.version, agency=agency)
    with pytest.raises(NotFound):
        actions.do_contract_project(staff.other_town, project, expected_version=project.version, agency=agency)
    p = actions.do_contract_project(staff.town, project, expected_version=project.version, agency=agency)
    assert (p.status, p.agency_id) == ("contracted", agency.pk)
    pay1 = actions.do_propose_payment(staff.town, p, milestone="签约首付", amount_fen=6_000_000)
    with pytest.raises(PermissionDenied):
        actions.do_approve_payment(staff.town, pay1)  # the town officer holds no approval
    actions.do_approve_payment(staff.approver, pay1)
    with pytest.raises(ValidationFailed) as e:
        actions.do_propose_payment(staff.town, p, milestone="超额", amount_fen=14_000_001)
    assert e.value.errors == {"amount_fen": "累计拨付不能超过项目预算（已拨付及待复核60,000.00元，预算200,000.00元）"}
    p = actions.do_start_project(staff.town, p, expected_version=p.version)
    actions.do_record_service(staff.town, p, kind="case", held_on=D(2026, 4, 2), people_served=3, summary="留守儿童个案")
    with pytest.raises(ValidationFailed) as e:
        actions.do_evaluate_project(staff.town, p, expected_version=p.version, stage="midterm", score=101, evaluated_on=D(2026, 9, 1))
    assert e.value.errors == {"score": "中期评估得分应为0至100的整数"}
    p = actions.do_evaluate_project(staff.town, p, expected_version=p.version, stage="midterm", score=86, evaluated_on=D(2026, 9, 1))
    p = actions.do_evaluate_project(staff.district, p, expected_version=p.version, stage="final", score=91, evaluated_on=D(2026, 12, 3))
    assert (p.status, p.midterm_score, p.final_score) == ("closed", 86, 91)
    pay2 = actions.do_propose_payment(staff.district, p, milestone="终期评估后", amount_fen=14_000_000)
    with pytest.raises(PermissionDenied) as e:
        actions.do_approve_payment(staff.district, pay2)
    assert e.value.message == "拨付须由提出人以外的人员复核"
    actions.do_approve_payment(staff.approver, pay2)
    assert list(Payment.objects.order_by("id").values_list("amount_fen", "status")) == [(6_000_000, "approved"), (14_000_000, "approved")]
    assert list(CaseEvent.objects.filter(workflow="socialwork.project").order_by("id").values_list("action", flat=True)) == [
        "create", "contract", "start", "midterm", "final"]  # fmt: skip
    assert ServiceRecord.objects.get().people_served == 3


def test_another_town_is_refused_by_page_api_and_export(client, staff, project):
    client.force_login(staff.other_town_user)
    assert client.get(f"/socialwork/projects/{project.pk}/").status_code == 404
    assert project.title not in client.get("/socialwork/projects/").text
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/socialwork/report.xlsx").content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "珍溪镇" in values and "敦仁街道" not in values and 20_000_000 / 100 not in values
    token, _ = issue_token(staff.other_town_user)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"/api/v1/socialwork/projects/{project.pk}", **headers).status_code == 404
    assert client.get("/api/v1/socialwork/projects", **headers).json() == []
    token, _ = issue_token(staff.town_user)
    rows = client.get("/api/v1/socialwork/projects", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert [(r["number"], r["budget_fen"], r["status"]) for r in rows] == [(project.number, 20_000_000, "tender")]


def test_the_walk_on_the_screens(client, staff, agency, project):
    client.force_login(staff.town_user)
    page = client.get(f"/socialwork/projects/{project.pk}/").text
    assert "敦仁街道困境儿童关爱服务" in page and "200,000.00元" in page and "困境儿童、农村留守人员" in page and "None" not in page
    url = f"/socialwork/projects/{project.pk}/"
    assert client.post(url + "contract/", {"version": 1, "agency": str(agency.pk)}).status_code == 302
    response = client.post(url + "payment/", {"version": 2, "payment-milestone": "签约首付", "payment-amount_yuan": "-5"})
    assert response.status_code == 422 and "拨付金额应大于0元" in response.text and Payment.objects.count() == 0
    assert client.post(url + "payment/", {"version": 2, "payment-milestone": "签约首付", "payment-amount_yuan": "50000"}).status_code == 302
    client.force_login(staff.approver_user)
    payment = Payment.objects.get()
    assert client.post(f"/socialwork/payments/{payment.pk}/approve/").status_code == 302
    payment.refresh_from_db()
    assert (payment.status, payment.amount_fen) == ("approved", 5_000_000)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/socialwork/report.xlsx").content)).active
    row = next(r for r in sheet.iter_rows(values_only=True) if r[0] == "敦仁街道")
    assert row[4:7] == (1, 200000, 50000)
