"""The community line in a real browser: a village worker on a 390 px phone registers the
community's service facility — a negative area is refused next to its field, nothing written —
then records a 三事分流 matter; the village page fits the phone."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.communities.models import Matter, ServiceFacility
from tests.e2e.helpers import login, no_horizontal_overflow

pytestmark = pytest.mark.e2e

VILLAGE = "500102006001"  # 敦仁街道 大东门社区
PHONE = {"width": 390, "height": 844}


def test_a_village_worker_registers_the_facility_on_a_phone(live_server, sized_context, make_user, console, screenshot):
    user = make_user(Role.VILLAGE_WORKER, VILLAGE, username="dadongmen_worker")
    phone = sized_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = login(phone, live_server, user, console)
    page.goto(f"{live_server.url}/communities/villages/{VILLAGE}/")
    no_horizontal_overflow(page)
    page.get_by_role("link", name="登记设施").click()
    page.get_by_label("设施名称").fill("大东门社区党群服务中心")
    page.get_by_label("建筑面积（平方米）").fill("-20")
    page.get_by_label("产权").select_option(label="自有产权")
    page.get_by_role("button", name="保存").click()
    page.locator(".field.has-error", has_text="建筑面积").get_by_text("建筑面积不能为负数").wait_for()
    assert not ServiceFacility.objects.exists()
    no_horizontal_overflow(page)
    screenshot(page, "communities-1-facility-refused")
    page.get_by_label("建筑面积（平方米）").fill("260.5")
    page.get_by_role("button", name="保存").click()
    page.wait_for_url(f"{live_server.url}/communities/villages/{VILLAGE}/")
    assert "260.50 平方米" in page.content()
    # a committee member, a 协商 meeting, and a matter raised at it — each from its own fold
    page.get_by_text("新增成员").click()
    member = page.locator("#member-form")
    member.get_by_label("姓名").fill("周建华")
    member.get_by_label("职务").select_option(label="主任")
    member.get_by_label("任期开始日期").fill("2026-03-01")
    member.get_by_role("button", name="登记成员").click()
    page.get_by_text("周建华（主任）任期 2026-03-01 至 2031-02-28").wait_for()
    page.get_by_text("新增协商会议").click()
    meeting = page.locator("#consultation-form")
    meeting.get_by_label("协商议题").fill("小区路灯维修")
    meeting.get_by_role("button", name="登记会议").click()
    page.get_by_text("协商：小区路灯维修").wait_for()
    page.get_by_text("新增事项").click()
    matter = page.locator("#matter-form")
    matter.get_by_label("事项", exact=True).fill("小区路灯损坏")
    matter.get_by_label("分类（三事分流）").select_option(label="小事")
    matter.get_by_label("提出于协商会议").select_option(label="2026-12-04 小区路灯维修")
    matter.get_by_role("button", name="登记事项").click()
    page.get_by_text("提出于2026-12-04协商会议").wait_for()
    assert Matter.objects.get().owner == "community" and Matter.objects.get().consultation.topic == "小区路灯维修"
    no_horizontal_overflow(page)
    screenshot(page, "communities-2-village")
