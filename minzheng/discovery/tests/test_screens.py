"""The screens: template download, upload → preview → commit, dashboard, lists, export."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from minzheng.assistance.models import Application
from minzheng.core.models import AuditEvent
from minzheng.discovery import actions
from minzheng.discovery.enums import TaskOutcome
from minzheng.discovery.models import Alert, Signal, Task
from minzheng.discovery.selectors import dashboard_for
from minzheng.discovery.tests.conftest import DADONGMEN, MEDICAL_HEADERS, TODAY, enrol, id_of, import_rows, xlsx_file

D = dt.date


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def medical(person, no="JS1", oop=12000):
    return [id_of(person), person.name, no, "涪陵中心医院", D(2026, 9, 1), D(2026, 9, 10), oop + 10000, 10000, oop]


def test_template_download_has_the_hidden_dictionary(staff):
    response = client_for(staff.district_user).get("/exchange/feeds/disability_certificate/template.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb["字典"].sheet_state == "hidden"
    assert wb["数据"].column_dimensions["A"].number_format == "@"
    formulas = sorted(dv.formula1 for dv in wb["数据"].data_validations.dataValidation if dv.type == "list")
    assert formulas == ["字典!$A$1:$A$4", "字典!$B$1:$B$7", "字典!$C$1:$C$4"]


def test_upload_preview_then_commit_good_rows_on_the_screens(staff, family):
    household, (head, spouse) = family(wage=(150000, 0))
    bad = medical(spouse, "JS2")
    bad[0] = bad[0][:17] + ("0" if bad[0][17] != "0" else "1")
    content = xlsx_file(MEDICAL_HEADERS, [medical(head), bad])
    client = client_for(staff.district_user)
    upload = io.BytesIO(content)
    upload.name = "医保结算.xlsx"
    response = client.post("/exchange/feeds/medical_discharge/upload/", {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    page = preview.content.decode()
    assert "第3行 [身份证号码] 身份证号码校验位错误，请核对" in page and "仅导入正确的 1 行" in page
    assert Signal.objects.count() == 0
    batch_url = response["Location"]
    refused = client.post(batch_url, {"action": "all_or_nothing"}, follow=True)
    assert "已拒绝导入" in refused.content.decode() and Signal.objects.count() == 0
    done = client.post(batch_url, {"action": "good_rows_only"}, follow=True)
    assert "导入完成：写入1行，生成预警1条" in done.content.decode()
    report = client.get(batch_url + "report.xlsx")
    assert report.status_code == 200 and AuditEvent.objects.filter(action="export", object_type="import_batch").exists()
    assert Alert.objects.count() == 1


def test_worker_records_an_outcome_on_the_alert_page(staff, family):
    household, (head, _) = family(wage=(150000, 0))
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [medical(head)])
    alert = Alert.objects.get()
    client = client_for(staff.village_user)
    page = client.get(f"/discovery/alerts/{alert.pk}/").content.decode()
    assert "大额医疗自付支出" in page and head.id_number_masked in page and "参数待确认" in page
    task = alert.task
    response = client.post(f"/discovery/tasks/{task.pk}/outcome/", {"outcome": "not_needed", "note": "", "version": task.version}, follow=True)
    assert "请填写无需救助" in response.content.decode()
    client.post(f"/discovery/tasks/{task.pk}/outcome/", {"outcome": "application_started", "note": "已受理", "version": task.version})
    task.refresh_from_db()
    assert task.outcome == TaskOutcome.APPLICATION_STARTED
    assert client.get("/discovery/tasks/?mine=1&done=1").status_code == 200


def test_dashboard_counts_by_town_and_kind_response_times_and_applications(staff, family):
    households = []
    for i in range(3):
        household, (head, _) = family(names=(f"户主{i}", f"配偶{i}"), wage=(150000, 0))
        households.append((household, head))
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [medical(h, f"JS{i}") for i, (_, h) in enumerate(households)])
    tasks = list(Task.objects.order_by("id"))
    Task.objects.filter(pk=tasks[0].pk).update(created_at=timezone.now() - dt.timedelta(days=4))
    actions.do_record_task_outcome(staff.village, tasks[0], outcome=TaskOutcome.APPLICATION_STARTED)
    Task.objects.filter(pk=tasks[1].pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    actions.do_record_task_outcome(staff.village, tasks[1], outcome=TaskOutcome.VISITED)
    # An application made after the alert counts as "became an application" too: for the
    # household of the visited task (the import does not number tasks in the rows' order).
    household, head = next((h, p) for h, p in households if h.pk == tasks[1].alert.household_id)
    Application.objects.create(
        number="T-1", program="temporary", subject_kind="household", household=household, applicant=head,
        division_code=household.division_code, zone="urban", submitted_on=TODAY,
    )  # fmt: skip
    board = dashboard_for(staff.town)
    assert [(r["code"], r["counts"]) for r in board.rows] == [("500102006", {"medical_expense": 3})]
    assert (board.open_tasks, board.done_tasks, board.became_applications, board.assessable_done) == (1, 2, 2, 2)
    assert 1.5 <= board.median_response_days <= 4.5
    page = client_for(staff.town_user).get("/discovery/").content.decode()
    assert "敦仁街道" in page and "100%" in page
    assert dashboard_for(staff.other_town).rows == []


def test_alert_export_is_masked_audited_and_safe(staff, family):
    household, (head, _) = family(wage=(150000, 0))
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [medical(head)])
    Alert.objects.update(reason="=HYPERLINK(\"http://evil\",\"x\")")
    client = client_for(staff.town_user)
    response = client.get("/discovery/alerts/export.xlsx")  # a background job; its page offers the file
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    response = client.get(f"{response['Location']}file/")
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    row = [c for c in ws[2]]
    assert row[5].value == head.id_number_masked and id_of(head) not in str([c.value for c in row])
    assert row[7].value.startswith("'=") and row[7].data_type == "s"
    assert AuditEvent.objects.filter(action="export", object_type="discovery_alert").exists()
    assert client_for(staff.village_user).get("/discovery/alerts/export.xlsx").status_code == 403


@pytest.mark.parametrize("url", ["/discovery/", "/discovery/alerts/", "/discovery/tasks/", "/discovery/left-behind/", "/discovery/left-behind/new/", "/exchange/"])
def test_pages_render(staff, url):
    user = staff.district_user if url == "/exchange/" else staff.village_user
    assert client_for(user).get(url).status_code == 200


def test_register_a_left_behind_person_by_id_number(staff, make_person):
    kid = make_person(DADONGMEN, "小明", birth="20150301")
    client = client_for(staff.village_user)
    response = client.post("/discovery/left-behind/new/", {"id_number": id_of(kid), "category": "child", "risk_level": "high", "guardian": "", "situation": ""})
    assert "留守儿童须填写监护人及关系" in response.content.decode()
    response = client.post("/discovery/left-behind/new/", {"id_number": id_of(kid), "category": "child", "risk_level": "high", "guardian": "祖母 李秀英", "situation": "父母在外务工"})
    assert response.status_code == 302
    other = client_for(staff.other_village_user).post("/discovery/left-behind/new/", {"id_number": id_of(kid), "category": "child", "risk_level": "high", "guardian": "x"})
    assert "人员库中没有此人（或不在您的辖区）" in other.content.decode()
