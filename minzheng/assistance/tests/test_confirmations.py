"""Confirmation before money or an irreversible step (figures computed on the server), the
下一步 line, the step bar (skipped / returned / refused steps) and why an action is missing."""

from __future__ import annotations

import pytest

from minzheng.assistance import actions
from minzheng.assistance.enums import Status
from minzheng.assistance.models import Application, Enrolment
from minzheng.assistance.workflow import WORKFLOW
from minzheng.cases.workflow import next_step_hint

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def as_(user):
        client.force_login(user)
        return client

    return as_


def bar(html: str) -> str:
    start = html.index('id="step-bar"')
    return html[start : html.index("</ol>", start)]


def test_confirming_shows_the_figures_first_and_writes_nothing(staff, login, new_case, walk):
    app = walk.to(new_case(), Status.CONFIRMATION)
    c = login(staff.district_user)
    page = c.post(f"/assistance/applications/{app.pk}/do/approve/", {"version": app.version, "opinion": "同意"}).content.decode()
    assert Application.objects.get(pk=app.pk).status == Status.CONFIRMATION and not Enrolment.objects.exists()
    assert "保障人数</th><td>2 人" in page and "每月保障金额</th><td>960.00 元" in page
    assert "起始发放月份</th><td>2026年12月" in page and "全年合计（12个月）</th><td>11,520.00 元" in page
    assert 'name="opinion" value="同意"' in page and 'name="confirmed" value="1"' in page
    r = c.post(f"/assistance/applications/{app.pk}/do/approve/", {"version": app.version, "opinion": "同意", "confirmed": "1"})
    assert r.status_code == 302
    assert Application.objects.get(pk=app.pk).status == Status.APPROVED and Enrolment.objects.get().amount_fen == 96000
    page = c.get(r["Location"]).content.decode()
    assert "已办理“确认”，当前环节：已确认。下一步：由敦仁街道经办人或审核人办理“存档”。" in page


def test_refusing_and_exiting_are_confirmed_with_their_figures(staff, login, new_case, walk):
    app = walk.to(new_case(), Status.CONFIRMATION)
    c = login(staff.district_user)
    page = c.post(f"/assistance/applications/{app.pk}/do/refuse/", {"version": app.version, "reasons": "收入超过标准"}).content.decode()
    assert "不予保障理由</th><td>收入超过标准" in page and "涉及人数</th><td>2 人" in page and "确认不予保障" in page
    assert Application.objects.get(pk=app.pk).status == Status.CONFIRMATION
    c.post(f"/assistance/applications/{app.pk}/do/refuse/", {"version": app.version, "reasons": "收入超过标准", "confirmed": "1"})
    refused = Application.objects.get(pk=app.pk)
    assert refused.status == Status.REFUSED
    html = c.get(f"/assistance/applications/{app.pk}/").content.decode()
    assert 'data-state="refused">不予保障<' in bar(html) and "已确认" not in bar(html)

    other = walk.to(new_case(), Status.APPROVED)
    enrolment = Enrolment.objects.get(application=other)
    c = login(staff.town_user)
    page = c.post(f"/assistance/enrolments/{enrolment.pk}/do/exit/", {"version": enrolment.version, "exit_reason": "income_above"}).content.decode()
    assert "当前每月金额</th><td>960.00 元" in page and "最后发放月份" in page and "收入超过保障标准" in page
    assert Enrolment.objects.get(pk=enrolment.pk).status == "active"
    c.post(f"/assistance/enrolments/{enrolment.pk}/do/exit/", {"version": enrolment.version, "exit_reason": "income_above", "confirmed": "1"})
    assert Enrolment.objects.get(pk=enrolment.pk).status == "exited"


def test_the_step_bar_shows_a_skipped_publicity_and_a_returned_step(staff, login, new_case, walk, system_actor):
    actions.do_set_program_config(system_actor, "dibao", confirm_level="district", requires_publicity=False, mask_names_in_notice=True, complaint_phone="")
    app = walk.to(new_case(), Status.REVIEW)
    app = walk.review(app)
    assert app.status == Status.CONFIRMATION
    html = login(staff.district_user).get(f"/assistance/applications/{app.pk}/").content.decode()
    steps = bar(html)
    assert 'data-state="skipped">公示（本项目不需公示）<' in steps and 'data-state="done">审核<' in steps
    assert 'data-state="current">审核确认<' in steps
    returned = actions.do_return_application(staff.district, app, expected_version=app.version, reason="收入材料不全")
    html = login(staff.town_user).get(f"/assistance/applications/{returned.pk}/").content.decode()
    assert 'data-state="current">审核<' in bar(html) and 'data-state="returned">审核确认（已退回）<' in bar(html)


def test_the_next_step_and_the_reason_an_action_is_missing(staff, login, new_case):
    app = new_case()
    assert next_step_hint(WORKFLOW, app) == "下一步：由敦仁街道经办人办理“受理”。"
    html = login(staff.approver_user).get(f"/assistance/applications/{app.pk}/").content.decode()
    assert "下一步：由敦仁街道经办人办理“受理”。" in html
    assert 'id="no-actions"' in html and "“受理”须由敦仁街道经办人办理" in html
    html = login(staff.village_user).get(f"/assistance/applications/{app.pk}/").content.decode()
    assert "“受理”须由敦仁街道经办人办理" in html
    # Another town's approver does not learn the case exists.
    assert login(staff.other_approver_user).get(f"/assistance/applications/{app.pk}/").status_code == 404
