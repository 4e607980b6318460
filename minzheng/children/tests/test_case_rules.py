"""Every row of both children workflows (recognition, protection): the right actor takes it, a
role without the permission is refused (PermissionDenied), the same role in another town is
told NotFound, and nothing is written; the protection deadlines (受理并紧急处置 the same day,
调查评估 none set, 跟踪回访 30 days) refuse the town once passed, the district 督办s, and the
overdue case is on the workbench feed."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from minzheng.api.auth import issue_token
from minzheng.cases.models import CaseEvent
from minzheng.cases.tasks import open_tasks_for, workbench_feed
from minzheng.cases.workflow import MissingDocuments, TimeLimitPassed
from minzheng.children import actions, params
from minzheng.children import protection as p
from minzheng.children.enums import Outcome, ProtectionStatus, Status
from minzheng.children.models import ProtectionCase, Recognition
from minzheng.children.tests.test_protection import report
from minzheng.children.tests.test_recognition import PAPERS, register
from minzheng.children.workflow import PROTECTION_TRANSITIONS, TRANSITIONS
from minzheng.core.errors import NotFound, PermissionDenied

pytestmark = pytest.mark.django_db


# ----------------------------------------------------------------------------------------------
# Protection: a case in each source state, and the call of each row
# ----------------------------------------------------------------------------------------------


def protection_case_in(state: str, staff, child, *, temporary: bool = False) -> ProtectionCase:
    c = report(staff.village, child)
    if state == "reported":
        return c
    c = p.do_accept_report(staff.town, c, expected_version=c.version, emergency_measures="入户核实")
    if state == "assessing":
        return c
    c = p.do_assess_case(staff.town, c, expected_version=c.version, risk_level="high", assessment="监护缺失")
    if state == "intervention":
        return c
    if temporary:
        return p.do_decide_guardianship(staff.district, c, expected_version=c.version, intervention="temporary", grounds=["t6"], placement="welfare")
    return p.do_intervene(staff.town, c, expected_version=c.version, intervention="intervention", note="约谈监护人")


def take_protection(action: str, source: str, actor, c):
    v = c.version
    if action == "accept":
        return p.do_accept_report(actor, c, expected_version=v, emergency_measures="联系派出所")
    if action == "assess":
        return p.do_assess_case(actor, c, expected_version=v, risk_level="medium", assessment="监护不当")
    if action == "intervene":
        return p.do_intervene(actor, c, expected_version=v, intervention="intervention", note="约谈监护人")
    if action == "guardianship" and source == "follow_up":
        return p.do_decide_guardianship(actor, c, expected_version=v, intervention="long_term", grounds=["l2"])
    if action == "guardianship":
        return p.do_decide_guardianship(actor, c, expected_version=v, intervention="temporary", grounds=["t6"], placement="kin")
    if action == "close":
        reason = "unfounded" if source == "assessing" else "long_term"
        return p.do_close_case(actor, c, expected_version=v, closure_reason=reason)
    raise AssertionError(action)


PROTECTION_ROWS = [(t.action, str(t.source), str(t.target)) for t in PROTECTION_TRANSITIONS]


@pytest.mark.parametrize(("action", "source", "target"), PROTECTION_ROWS)
def test_every_protection_row(staff, child, action, source, target):
    c = protection_case_in(source, staff, child, temporary=(source == "follow_up"))
    district_step = action == "guardianship"
    right = staff.district if district_step else staff.town
    wrong_role = staff.town if district_step else staff.approver  # 乡镇审批人 handles no protection case
    before = (c.status, c.version, CaseEvent.objects.count())
    with pytest.raises(PermissionDenied):
        take_protection(action, source, wrong_role, c)
    with pytest.raises(PermissionDenied):
        take_protection(action, source, staff.village, c)  # the village reports, never handles
    with pytest.raises(NotFound):
        take_protection(action, source, staff.other_town, c)  # 珍溪镇: the same answer as a missing case
    c.refresh_from_db()
    assert (c.status, c.version, CaseEvent.objects.count()) == before
    c = take_protection(action, source, right, c)
    assert c.status == target
    assert CaseEvent.objects.filter(workflow="children.protection", case_id=c.pk).last().action == action


# ----------------------------------------------------------------------------------------------
# Recognition
# ----------------------------------------------------------------------------------------------


def recognition_in(state: str, staff, child, guardian) -> Recognition:
    r = register(staff.village, child, guardian)
    if state == Status.SUBMITTED:
        return r
    r = actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion="属实")
    if state in (Status.PUBLICITY, Status.DECISION):
        return r
    return actions.do_decide_recognition(staff.district, r, expected_version=r.version, outcome=Outcome.APPROVE)


def take_recognition(action: str, actor, r):
    v = r.version
    if action == "review":
        return actions.do_review_recognition(actor, r, expected_version=v, outcome=Outcome.APPROVE, opinion="属实")
    if action == "close_publicity":
        return actions.do_close_publicity(actor, r, expected_version=v)
    if action == "decide":
        return actions.do_decide_recognition(actor, r, expected_version=v, outcome=Outcome.REFUSE, reasons="父亲尚在")
    if action == "return":
        return actions.do_return_recognition(actor, r, expected_version=v, reason="补充材料")
    if action == "end":
        return actions.do_end_recognition(actor, r, expected_version=v, end_reason="adopted")
    raise AssertionError(action)


RECOGNITION_ROWS = [(t.action, str(t.source), t.levels) for t in TRANSITIONS]


@pytest.mark.parametrize(("action", "source", "levels"), RECOGNITION_ROWS)
def test_every_recognition_row(staff, child, guardian, monkeypatch, travel, action, source, levels):
    if source == Status.PUBLICITY:
        monkeypatch.setitem(params.PUBLICITY_DAYS, "orphan", 7)
    r = recognition_in(source, staff, child, guardian)
    assert r.status == source
    if source == Status.PUBLICITY:
        travel(dt.date(2026, 12, 12))  # 公示 over
    district_step = tuple(str(x) for x in levels) == ("district",)
    right = staff.district if district_step else staff.town
    wrong_role = staff.approver if district_step else staff.village
    before = (r.status, r.version, CaseEvent.objects.count())
    with pytest.raises(PermissionDenied):
        take_recognition(action, wrong_role, r)
    with pytest.raises(NotFound):
        take_recognition(action, staff.other_town, r)
    r.refresh_from_db()
    assert (r.status, r.version, CaseEvent.objects.count()) == before
    r = take_recognition(action, right, r)
    assert CaseEvent.objects.filter(workflow="children.recognition", case_id=r.pk).last().action == action


def test_recognition_has_no_deadline(staff, child, guardian, travel):
    """No time limit was found for these categories: a case waits without a deadline."""
    r = register(staff.village, child, guardian)
    assert (r.deadline_on, r.step_deadline_on) == (None, None)
    travel(dt.date(2027, 6, 1))
    r = actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion="属实")
    assert r.status == Status.DECISION


# ----------------------------------------------------------------------------------------------
# Protection deadlines
# ----------------------------------------------------------------------------------------------


def test_emergency_handling_is_due_the_day_of_the_report(staff, child, travel):
    c = report(staff.village, child)
    assert c.step_deadline_on == dt.date(2026, 12, 4)
    [task] = [t for t in open_tasks_for(staff.town) if t.workflow.name == "children.protection"]
    assert (task.deadline, task.overdue, task.tone) == (dt.date(2026, 12, 4), False, "warn")
    travel(dt.date(2026, 12, 5))
    [task] = [t for t in open_tasks_for(staff.town) if t.workflow.name == "children.protection"]
    assert (task.overdue, task.tone) == (True, "danger")
    summary, urgent = workbench_feed(staff.town)
    assert [(s["label"], s["overdue"]) for s in summary if s["workflow"] == "children.protection"] == [("未成年人保护", 1)]
    assert urgent[0].case.pk == c.pk and urgent[0].overdue
    with pytest.raises(TimeLimitPassed) as e:
        p.do_accept_report(staff.town, c, expected_version=c.version, emergency_measures="入户核实")
    assert e.value.message == "已超过办理时限（2026-12-04），须由区民政局督办处理"
    c.refresh_from_db()
    assert (c.status, c.version) == ("reported", 1)
    c = p.do_accept_report(staff.district, c, expected_version=c.version, emergency_measures="区民政局督办，当日入户")
    assert c.status == "assessing"


def test_a_report_from_the_feed_counts_from_the_day_reported(staff, child):
    c = report(staff.town, child, reported_at=timezone.make_aware(dt.datetime(2026, 12, 2, 15, 0)))
    assert c.step_deadline_on == dt.date(2026, 12, 2)
    [task] = [t for t in open_tasks_for(staff.town) if t.workflow.name == "children.protection"]
    assert task.overdue


def test_assessment_has_no_deadline_until_one_is_set(staff, child, travel, monkeypatch):
    c = protection_case_in("assessing", staff, child)
    assert c.step_deadline_on is None and params.protection_deadline("assessing", dt.date(2026, 12, 4)) is None
    travel(dt.date(2027, 3, 1))
    c = p.do_assess_case(staff.town, c, expected_version=c.version, risk_level="low", assessment="风险较低")
    assert c.status == "intervention"
    # Once the bureau sets a value (here 10 days), the step counts it and refuses the town after it.
    monkeypatch.setattr(params, "protection_days", lambda step, on: 10 if step == "assessing" else None)
    c2 = protection_case_in("assessing", staff, child)
    assert c2.step_deadline_on == dt.date(2027, 3, 11)
    travel(dt.date(2027, 3, 12))
    with pytest.raises(TimeLimitPassed):
        p.do_assess_case(staff.town, c2, expected_version=c2.version, risk_level="low", assessment="x")
    assert p.do_assess_case(staff.district, c2, expected_version=c2.version, risk_level="low", assessment="督办").status == "intervention"


def test_follow_up_visit_every_30_days(staff, child, travel):
    c = protection_case_in("follow_up", staff, child)
    assert c.step_deadline_on == dt.date(2027, 1, 3)
    travel(dt.date(2027, 1, 4))
    with pytest.raises(TimeLimitPassed) as e:
        p.do_close_case(staff.town, c, expected_version=c.version, closure_reason="safe")
    assert e.value.message == "已超过办理时限（2027-01-03），须由区民政局督办处理"
    assert [t.overdue for t in open_tasks_for(staff.town) if t.workflow.name == "children.protection"] == [True]
    c = p.do_record_follow_up(staff.town, c, expected_version=c.version, note="入户回访，监护人履责良好")
    assert c.step_deadline_on == dt.date(2027, 2, 3)
    c = p.do_close_case(staff.town, c, expected_version=c.version, closure_reason="safe")
    assert c.status == ProtectionStatus.CLOSED


def test_the_deadline_and_its_basis_on_the_case_page(client, staff, child):
    c = report(staff.village, child)
    client.force_login(staff.town_user)
    text = client.get(f"/children/protection/{c.pk}/").content.decode()
    assert "受理处置时限：2026-12-04" in text and "参数待确认" in text
    assert "protection.deadline_days" not in text


# ----------------------------------------------------------------------------------------------
# A 珍溪 village worker never sees a 敦仁 protection case: page, API, search, export, count
# ----------------------------------------------------------------------------------------------


def test_a_zhenxi_village_worker_sees_no_dunren_case_by_any_channel(client, staff, child):
    c = report(staff.village, child)
    outsider = staff.other_village_user  # 兴盛社区, 珍溪镇
    client.force_login(outsider)
    # page
    assert client.get(f"/children/protection/{c.pk}/").status_code == 403
    assert client.post(f"/children/protection/{c.pk}/accept/", {"version": c.version, "emergency_measures": "x"}).status_code == 403
    # search (the list with a query) and the export
    assert client.get("/children/protection/?status=&q=王小明").status_code == 403
    assert client.get("/children/protection/export/?status=&q=王小明").status_code == 403
    assert list(p.list_protection_cases_for(staff.other_village, q="王小明")) == []
    # counts: the home page shows no protection figure, the selector counts nothing
    home = client.get("/children/").content.decode()
    assert "protection-open" not in home and c.number not in home
    assert sum(p.protection_counts(staff.other_village).values()) == 0
    # the workbench feed
    assert not [t for t in open_tasks_for(staff.other_village) if t.workflow.name == "children.protection"]
    # API: list, one case, the summary's count
    token, _ = issue_token(outsider)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/v1/children/protection-cases", **auth).status_code == 403
    assert client.get(f"/api/v1/children/protection-cases/{c.pk}", **auth).status_code == 403
    assert client.get("/api/v1/children/protection-cases?q=王小明", **auth).status_code == 403
    assert client.get("/api/v1/children/summary", **auth).json()["protection"] is None
    # … while the town's protection staff find it by every channel
    client.force_login(staff.town_user)
    assert c.number in client.get("/children/protection/?status=&q=王小明").content.decode()
    assert c.number not in client.get("/children/protection/?status=&q=李某").content.decode()
    export = client.get("/children/protection/export/?status=&q=王小明")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [c.number]
    assert "13800000000" not in str(list(sheet.iter_rows(values_only=True)))
    assert 'id="protection-open"' in client.get("/children/").content.decode()
    token, _ = issue_token(staff.town_user)
    assert client.get("/api/v1/children/summary", HTTP_AUTHORIZATION=f"Bearer {token}").json()["protection"]["open"] == 1


# ----------------------------------------------------------------------------------------------
# Missing documents
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("category", "grounds", "missing"), [
    ("orphan", ["both_dead"], "儿童户口簿或居民身份证、父母死亡证明（注销户口证明）或人民法院宣告死亡、失踪的判决书"),
    ("de_facto_unsupported", ["parent_detained"], "儿童户口簿或居民身份证、父母情形证明材料（残疾证、诊断证明、服刑或羁押证明、失联报案回执、判决书等）"),
    ("hardship", ["living"], "儿童户口簿或居民身份证"),
])
def test_the_town_review_needs_the_papers_of_the_category(staff, child, guardian, category, grounds, missing):
    r = register(staff.village, child, guardian, category=category, grounds=grounds, documents=[])
    with pytest.raises(MissingDocuments) as e:
        actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion="属实")
    assert e.value.message == f"办理“乡镇审核”前须上传：{missing}"
    r.refresh_from_db()
    assert (r.status, r.version) == (Status.SUBMITTED, 1)
    with pytest.raises(PermissionDenied):
        actions.do_add_documents(staff.leader, r, expected_version=r.version, documents=PAPERS[category])
    with pytest.raises(NotFound):
        actions.do_add_documents(staff.other_village, r, expected_version=r.version, documents=PAPERS[category])
    r = actions.do_add_documents(staff.village, r, expected_version=r.version, documents=PAPERS[category])
    assert r.documents == PAPERS[category]
    r = actions.do_review_recognition(staff.town, r, expected_version=r.version, outcome=Outcome.APPROVE, opinion="属实")
    assert r.status == Status.DECISION
    assert [e.action for e in CaseEvent.objects.filter(workflow="children.recognition", case_id=r.pk).order_by("id")] == ["create", "documents", "review"]


def test_long_term_guardianship_on_a_court_judgment_needs_the_judgment(client, staff, child):
    c = protection_case_in("intervention", staff, child)
    with pytest.raises(MissingDocuments):
        p.do_decide_guardianship(staff.district, c, expected_version=c.version, intervention="long_term", grounds=["l4"])
    client.force_login(staff.district_user)
    page = client.post(f"/children/protection/{c.pk}/guardianship/", {"version": c.version, "intervention": "long_term", "grounds": ["l4"]})
    assert page.status_code == 400 and "须上传：人民法院撤销监护人资格" in page.content.decode()
    assert client.post(f"/children/protection/{c.pk}/documents/", {"version": c.version, "documents": ["court_judgment"]}).status_code == 302
    c.refresh_from_db()
    c = p.do_decide_guardianship(staff.district, c, expected_version=c.version, intervention="long_term", grounds=["l4"])
    assert (c.status, c.intervention) == ("follow_up", "long_term")
