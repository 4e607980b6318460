"""待办, 保障对象 and 本月变化 download as xlsx: the screen's filters, scope, numeric amounts,
ID numbers full only for roles that may reveal them, every export audited."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook

from minzheng.assistance import payroll
from minzheng.assistance.enums import Program
from minzheng.assistance.models import Enrolment, PaymentBatch
from minzheng.assistance.tests.test_payroll import SYSTEM, enrolments, households  # noqa: F401 (fixtures)
from minzheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def sheet(response):
    assert response.status_code == 200, response.content[:300]
    return CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()


def test_todo_downloads_with_filters_and_scope(client, staff, new_case, poor_household):
    app = new_case()  # 待受理: on the town officer's list
    client.force_login(staff.town_user)
    rows = sheet(client.get("/assistance/todo.xlsx"))
    assert rows[0][:4] == ["申请编号", "救助项目", "申请人", "身份证号码"]
    assert [r[0] for r in rows[1:]] == [app.number]
    assert rows[1][2] == poor_household.head.name and rows[1][5] == "大东门社区"
    assert "*" in rows[1][3]  # a town officer may not reveal ID numbers: masked
    event = AuditEvent.objects.get(action="export", object_type="application")
    assert event.extra == {"rows": 1, "full_id_numbers": False, "filters": {}}
    assert [r[0] for r in sheet(client.get("/assistance/todo.xlsx", {"only": "overdue"}))[1:]] == ["没有符合条件的待办"]
    page = client.get("/assistance/", {"only": "near"}).content.decode()
    assert "/assistance/todo.xlsx?only=near" in page
    client.force_login(staff.other_town_user)
    assert [r[0] for r in sheet(client.get("/assistance/todo.xlsx"))[1:]] == ["没有符合条件的待办"]  # not 珍溪镇's case


def test_enrolments_download_numeric_with_total(client, staff, enrolments):  # noqa: F811
    client.force_login(staff.district_user)
    rows = sheet(client.get("/assistance/enrolments/export.xlsx", {"program": "dibao", "status": "active"}))
    body, total = rows[1:-1], rows[-1]
    assert sorted(r[6] for r in body) == [450.0, 500.0, 960.0, 1200.0]  # active only: the suspended one is left out
    assert total[0] == "合计" and total[6] == 3110.0 and total[5] == sum(r[5] for r in body)
    assert all(len(r[1]) == 18 for r in body)
    client.force_login(staff.other_village_user)
    rows = sheet(client.get("/assistance/enrolments/export.xlsx"))
    assert {r[4] for r in rows[1:-1]} == {"兴盛社区"}
    assert all("*" in r[1] for r in rows[1:-1])
    page = client.get("/assistance/enrolments/", {"program": "dibao"}).content.decode()
    assert "/assistance/enrolments/export.xlsx?program=dibao&amp;status=active" in page


def test_month_changes_download_has_its_rows(client, staff, enrolments):  # noqa: F811
    payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2026-12")
    Enrolment.objects.filter(pk=enrolments[0].pk).update(amount_fen=90000)
    summary = payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2027-01")
    client.force_login(staff.district_user)
    rows = sheet(client.get(f"/assistance/payroll/{summary.batch_id}/changes.xlsx"))
    assert rows[0] == payroll.CHANGE_HEADERS
    changed = next(r for r in rows[1:] if r[0] == "金额变更")
    assert changed[5:] == [960.0, 900.0]  # numeric amounts
    assert sorted(r[0] for r in rows[1:]) == ["新增", "金额变更"]
    # a month without changes says so instead of a bare header
    again = payroll.run_payroll(SYSTEM, program=Program.DIBAO, period="2027-02")
    rows = sheet(client.get(f"/assistance/payroll/{again.batch_id}/changes.xlsx"))
    assert [r[0] for r in rows[1:]] == ["本月无变化：4 笔与上月相同"]
    assert PaymentBatch.objects.count() == 3
