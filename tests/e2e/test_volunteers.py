"""The volunteer line in a real browser: at the village, on a 390 px phone, a need raised from
an elderly person's page, then the sign-in at an activity (negative hours refused next to the
field, nothing written; then recorded) and the volunteer's hours; each page fits the phone and
the sign-in page passes axe-core; screenshots named volunteers-*.png."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.socialwork.actions import do_register_station as do_register_social_work_station
from minzheng.volunteers import actions
from minzheng.volunteers.models import ServiceHours, ServiceRequest
from tests.e2e.helpers import login, no_horizontal_overflow
from tests.e2e.test_accessibility import AXE_TAGS, RUN_AXE, axe_source

pytestmark = pytest.mark.e2e

VILLAGE = "500102006001"  # 敦仁街道 大东门社区
PHONE = {"width": 390, "height": 844}


def test_village_need_and_sign_in(live_server, browser, sized_context, make_user, make_person, system_actor, console, screenshot):
    user = make_user(Role.VILLAGE_WORKER, VILLAGE, username="dadongmen_volunteers")
    elder = make_person(VILLAGE, "孙桂兰", birth="19400101")
    volunteer = actions.do_register_volunteer(system_actor, person=make_person(VILLAGE, "陈志愿", birth="19900505"), consent_on=dt.date(2026, 11, 1))
    activity = actions.do_create_activity(system_actor, title="重阳敬老义剪", division_code=VILLAGE, held_on=dt.date(2026, 12, 3))
    do_register_social_work_station(system_actor, level="town", name="敦仁街道社会工作站", division_code="500102006", premises_sqm=120,
                                    opened_on=dt.date(2022, 1, 1))  # fmt: skip

    phone = sized_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = login(phone, live_server, user, console)
    page.goto(f"{live_server.url}/persons/{elder.pk}/")
    page.get_by_role("link", name="发起志愿服务需求").click()
    no_horizontal_overflow(page)
    page.get_by_label("需求来源").select_option(label="老年人档案")
    page.get_by_label("服务需求").fill("每周陪同就医")
    page.get_by_role("button", name="提出").click()
    page.wait_for_url(f"{live_server.url}/volunteers/requests/*/")
    assert ServiceRequest.objects.get().need == "每周陪同就医"
    screenshot(page, "volunteers-1-request")
    # 派单 to the town's social-work station (outside the village worker's own scope), then the answer
    page.get_by_label("或对接社会工作站点").select_option(label="敦仁街道社会工作站（乡镇（街道）社会工作站）")
    page.locator("form", has=page.get_by_role("heading", name="派单")).get_by_role("button", name="保存").click()
    page.get_by_text("敦仁街道社会工作站（社会工作站点）（2026-12-04派单）").wait_for()
    page.get_by_label("响应情况").fill("社工每周二上门")
    page.get_by_label("响应日期").fill("2026-12-04")
    page.locator("form", has=page.get_by_role("heading", name="登记响应")).get_by_role("button", name="保存").click()
    page.get_by_text("社工每周二上门（2026-12-04）").wait_for()
    assert ServiceRequest.objects.get().status == "answered"
    no_horizontal_overflow(page)
    screenshot(page, "volunteers-1b-answered")

    page.goto(f"{live_server.url}/volunteers/activities/{activity.pk}/")
    no_horizontal_overflow(page)
    page.get_by_label("志愿者").select_option(value=str(volunteer.pk))
    page.get_by_label("服务时长（小时）").fill("-2")
    page.get_by_role("button", name="签到").click()
    page.wait_for_load_state("networkidle")
    assert "服务时长应大于0小时，不能为负数或0" in page.content() and not ServiceHours.objects.exists()
    no_horizontal_overflow(page)
    screenshot(page, "volunteers-2-refused")
    page.get_by_label("志愿者").select_option(value=str(volunteer.pk))
    page.get_by_label("服务时长（小时）").fill("2.5")
    page.get_by_role("button", name="签到").click()
    page.wait_for_load_state("networkidle")
    assert "陈志愿 · 2.5小时" in page.content()
    no_horizontal_overflow(page)
    page.evaluate(axe_source())
    assert page.evaluate(RUN_AXE, AXE_TAGS) == []
    screenshot(page, "volunteers-3-signed")


def test_town_officer_adds_a_team_from_the_menu_at_phone_width(live_server, sized_context, make_user, system_actor, console, screenshot):
    """组织 → the organisation → 成立队伍: a name left empty is refused next to the field, then
    the team is listed; the page fits the phone."""
    officer = make_user(Role.TOWN_OFFICER, "500102006", username="dunren_volunteer_orgs")
    actions.do_register_organisation(system_actor, name="敦仁街道志愿服务队", division_code="500102006", founded_on=dt.date(2020, 1, 1))
    page = login(sized_context(viewport=PHONE, is_mobile=True, has_touch=True), live_server, officer, console)
    page.goto(f"{live_server.url}/volunteers/")
    page.locator("nav.subnav").get_by_role("link", name="组织").click()
    page.get_by_role("link", name="敦仁街道志愿服务队").click()
    form = page.locator("#team-form")
    form.get_by_label("服务区域").select_option(label="敦仁街道 / 大东门社区")
    form.get_by_role("button", name="成立队伍").click()
    assert "该输入项为必填项" in page.locator("#team-form").inner_text()
    page.locator("#team-form").get_by_label("队伍名称").fill("大东门助老队")
    page.locator("#team-form").get_by_role("button", name="成立队伍").click()
    page.get_by_text("已成立队伍：大东门助老队。").wait_for()
    assert "大东门助老队" in page.locator("#teams table").inner_text()
    no_horizontal_overflow(page)
    screenshot(page, "volunteers-3-team")
    assert "None" not in page.content()
