"""ADR 0004 on the screens (Django test client) and through the API: a department's death
record pushed through the one intake path (``POST /api/v1/exchange/feeds/death``, or the upload
screen) shows on the village's task, the person page and the enrolment page; 确认死亡 / 核实有误
on the task page, the person page and ``/api/v1/death-reports``; another village's worker gets a
404 and changes nothing."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from minzheng.api.auth import issue_token
from minzheng.assistance.models import Enrolment
from minzheng.discovery.enums import TaskOutcome
from minzheng.discovery.models import Task
from minzheng.discovery.tests.conftest import DADONGMEN, DEATH_HEADERS, enrol, id_of, xlsx_file
from minzheng.registry.models import DeathReport, Person

D = dt.date
TODAY = D(2026, 12, 4)


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(dt.datetime(2026, 12, 4, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def api(user) -> Client:
    token, _ = issue_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def reported(staff, make_person):
    """郑特困 (特困, 1,001.00 yuan a month) reported dead by 公安 through the feed API."""
    person = make_person(DADONGMEN, "郑特困")
    enrolment = enrol("tekun", person=person, amount_fen=100100)
    body = {"rows": [{"id_number": id_of(person), "name": person.name, "death_date": "2026-11-25", "source": "公安户籍注销"}]}
    response = api(staff.district_user).post("/api/v1/exchange/feeds/death", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert (response.json()["imported"], response.json()["alerts"]) == (1, 1)
    return person, enrolment, DeathReport.objects.get(), Task.objects.get()


def _still_pending(person, enrolment, report):
    report.refresh_from_db()
    enrolment.refresh_from_db()
    assert (report.status, enrolment.status) == ("pending", "suspended")
    assert not Person.objects.get(pk=person.pk).is_deceased


# -- screens ---------------------------------------------------------------------------------


def test_the_upload_screen_reports_a_death_and_suspends(staff, make_person):
    person = make_person(DADONGMEN, "郑特困")
    enrolment = enrol("tekun", person=person, amount_fen=100100)
    client = client_for(staff.district_user)
    upload = io.BytesIO(xlsx_file(DEATH_HEADERS, [[id_of(person), person.name, D(2026, 11, 25), "殡葬火化"]]))
    upload.name = "火化信息.xlsx"
    response = client.post("/exchange/feeds/death/upload/", {"file": upload})
    assert response.status_code == 302
    done = client.post(response["Location"], {"action": "all_or_nothing"}, follow=True)
    assert "导入完成：写入1行，生成预警1条" in done.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.status == "suspended" and DeathReport.objects.get().source == "funeral"


def test_the_task_page_shows_the_report_and_both_actions(staff, reported):
    person, enrolment, report, task = reported
    page = client_for(staff.village_user).get(f"/discovery/alerts/{task.alert_id}/").content.decode()
    assert "死亡核实" in page and "公安户籍注销" in page and "2026-11-25" in page
    assert "特困人员救助供养自2026-12起暂停发放" in page
    assert 'value="confirm_death"' in page and "确认死亡</button>" in page and 'value="refute_death"' in page and "核实有误</button>" in page
    assert 'data-confirm="确认郑特困已于2026-11-25死亡？' in page and 'data-confirm="确认该死亡信息有误？' in page
    # A leader reads the task but has no buttons.
    leader = client_for(staff.leader_user).get(f"/discovery/alerts/{task.alert_id}/").content.decode()
    assert "死亡核实" in leader and 'value="confirm_death"' not in leader


def test_the_person_and_enrolment_pages_show_the_pending_report_and_the_suspension(staff, reported):
    person, enrolment, report, task = reported
    page = client_for(staff.village_user).get(f"/persons/{person.pk}/").content.decode()
    assert "死亡信息核实" in page and "待核实（救助已暂停发放）" in page and "公安户籍注销，报告2026-11-25死亡" in page
    assert f"/registry/deaths/{report.pk}/confirm" in page and f"/registry/deaths/{report.pk}/refute" in page
    assert "已死亡" not in page
    enrolment_page = client_for(staff.town_user).get(f"/assistance/enrolments/{enrolment.pk}/").content.decode()
    assert "暂停发放（待核实死亡信息）" in enrolment_page and 'id="death-suspension"' in enrolment_page
    assert 'id="enrolment-resume"' not in enrolment_page  # only the village's check lifts it


def test_refuting_on_the_task_page(staff, reported):
    person, enrolment, report, task = reported
    client = client_for(staff.village_user)
    url = f"/discovery/tasks/{task.pk}/outcome/"
    empty = client.post(url, {"action": "refute_death", "reason": " ", "report_version": report.version}, follow=True)
    assert "请填写核实有误的情况说明（如：本人健在，已入户见到本人）" in empty.content.decode()
    _still_pending(person, enrolment, report)
    done = client.post(url, {"action": "refute_death", "reason": "已入户见到本人", "report_version": report.version}, follow=True)
    assert "已核实有误：已恢复发放" in done.content.decode()
    enrolment.refresh_from_db()
    task.refresh_from_db()
    assert enrolment.status == "active" and task.outcome == TaskOutcome.DEATH_REFUTED
    again = client.post(url, {"action": "confirm_death", "report_version": report.version}, follow=True)
    assert "该任务已办结" in again.content.decode() or "该死亡信息已处理" in again.content.decode()
    assert not Person.objects.get(pk=person.pk).is_deceased


def test_confirming_on_the_person_page(staff, reported):
    person, enrolment, report, task = reported
    client = client_for(staff.village_user)
    done = client.post(f"/registry/deaths/{report.pk}/confirm", {"version": report.version, "next": f"/persons/{person.pk}/"}, follow=True)
    page = done.content.decode()
    assert "已确认死亡" in page and "已死亡" in page and "2026-11-25" in page
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_month) == ("exited", D(2026, 11, 1))
    task.refresh_from_db()
    assert task.outcome == TaskOutcome.DEATH_CONFIRMED


@pytest.mark.parametrize("who", ["other_village_user", "other_town_user"])
def test_another_village_or_town_gets_404_on_every_screen(staff, reported, who):
    person, enrolment, report, task = reported
    client = client_for(getattr(staff, who))
    assert client.get(f"/discovery/alerts/{task.alert_id}/").status_code == 404
    assert client.get(f"/persons/{person.pk}/").status_code == 404
    assert client.post(f"/discovery/tasks/{task.pk}/outcome/", {"action": "confirm_death"}).status_code == 404
    assert client.post(f"/registry/deaths/{report.pk}/confirm", {}).status_code == 404
    assert client.post(f"/registry/deaths/{report.pk}/refute", {"reason": "本人健在"}).status_code == 404
    _still_pending(person, enrolment, report)


def test_a_town_approver_without_registry_editing_is_refused_on_screens(staff, reported):
    person, enrolment, report, task = reported
    client = client_for(staff.approver_user)
    assert client.post(f"/registry/deaths/{report.pk}/confirm", {}).status_code == 403
    response = client.post(f"/discovery/tasks/{task.pk}/outcome/", {"action": "confirm_death"}, follow=True)
    assert "没有执行此操作的权限" in response.content.decode()
    _still_pending(person, enrolment, report)


# -- API -------------------------------------------------------------------------------------


def test_api_lists_pending_reports_in_scope(staff, reported):
    person, enrolment, report, task = reported
    mine = api(staff.village_user).get("/api/v1/death-reports")
    assert mine.status_code == 200
    [row] = mine.json()
    assert (row["id"], row["person_name"], row["id_number"], row["death_date"], row["source_label"], row["status"]) == (
        report.pk, "郑特困", person.id_number_masked, "2026-11-25", "公安户籍注销", "pending",
    )
    assert row["effects"][0]["text"].startswith("特困人员救助供养自2026-12起暂停发放")
    assert api(staff.other_village_user).get("/api/v1/death-reports").json() == []
    assert api(staff.other_town_user).get(f"/api/v1/death-reports/{report.pk}").status_code == 404
    task_json = api(staff.village_user).get(f"/api/v1/discovery/tasks/{task.pk}").json()
    assert (task_json["kind"], task_json["death_report_id"]) == ("verify_death", report.pk)


def test_api_confirm(staff, reported):
    person, enrolment, report, task = reported
    client = api(staff.village_user)
    response = client.post(f"/api/v1/death-reports/{report.pk}/confirm", {"version": report.version, "note": "已见死亡证明"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["reason"]) == ("confirmed", "已见死亡证明")
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_month) == ("exited", D(2026, 11, 1))
    assert Person.objects.get(pk=person.pk).is_deceased
    again = client.post(f"/api/v1/death-reports/{report.pk}/refute", {"reason": "x"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["detail"] == "该死亡信息已处理（已确认死亡），不能再次核实"
    assert client.get("/api/v1/death-reports").json() == []  # nothing pending
    assert [r["id"] for r in client.get("/api/v1/death-reports?status=confirmed").json()] == [report.pk]


def test_api_refute_and_bad_input(staff, reported):
    person, enrolment, report, task = reported
    client = api(staff.village_user)
    missing = client.post(f"/api/v1/death-reports/{report.pk}/refute", {}, content_type="application/json")
    assert missing.status_code == 422
    assert missing.json()["errors"] == [{"field": "reason", "message": "请填写核实有误的情况说明（如：本人健在，已入户见到本人）"}]
    unknown = client.post("/api/v1/death-reports/999999/refute", {"reason": "x"}, content_type="application/json")
    assert unknown.status_code == 404 and unknown.json()["detail"] == "记录不存在或无权访问"
    stale = client.post(f"/api/v1/death-reports/{report.pk}/refute", {"reason": "x", "version": 99}, content_type="application/json")
    assert stale.status_code == 409
    _still_pending(person, enrolment, report)
    done = client.post(f"/api/v1/death-reports/{report.pk}/refute", {"reason": "本人健在"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "refuted"
    enrolment.refresh_from_db()
    assert enrolment.status == "active"


@pytest.mark.parametrize("who,status", [("other_village_user", 404), ("other_town_user", 404), ("approver_user", 403), ("leader_user", 403)])
def test_api_refuses_other_scopes_and_roles(staff, reported, who, status):
    person, enrolment, report, task = reported
    client = api(getattr(staff, who))
    assert client.post(f"/api/v1/death-reports/{report.pk}/confirm", {}, content_type="application/json").status_code == status
    assert client.post(f"/api/v1/death-reports/{report.pk}/refute", {"reason": "本人健在"}, content_type="application/json").status_code == status
    _still_pending(person, enrolment, report)
    assert Enrolment.objects.get(pk=enrolment.pk).status == "suspended"
