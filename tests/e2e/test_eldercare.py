"""Elderly-care screens in a real browser (Playwright driving Debian's Chromium).

A village worker records a visit on a phone-width screen, with the phone's location; the
service-circle map renders the district outline, the facilities and the villages with no
console error.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minzheng.accounts.models import Role
from minzheng.core import clock
from minzheng.eldercare.actions import (
    do_dispatch_order,
    do_register_provider,
    do_request_order,
)
from minzheng.eldercare.models import CareOrder
from tests.e2e.helpers import no_horizontal_overflow

pytestmark = pytest.mark.e2e

PASSWORD = "test-pass-12345"  # the make_user fixture's default
VILLAGE = "500102006001"  # 敦仁街道 大东门社区
HERE = {"longitude": 107.3898, "latitude": 29.7032}


def login(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")




@pytest.fixture
def phone_with_location(browser, browser_context_args):
    """A 390×844 touch phone that shares its location with the page."""
    args = {
        **browser_context_args,
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "geolocation": HERE,
        "permissions": ["geolocation"],
    }
    context = browser.new_context(**args)
    yield context
    context.close()


def test_visit_is_recorded_at_phone_width(live_server, phone_with_location, make_user, make_person, system_actor, console, screenshot):
    from minzheng.eldercare.actions import do_register_visit_target
    from minzheng.eldercare.models import VisitRecord

    worker = make_user(Role.VILLAGE_WORKER, VILLAGE)
    birth = clock.today().replace(year=clock.today().year - 84, month=3, day=2)
    elder = make_person(VILLAGE, "周秀兰", birth=birth.strftime("%Y%m%d"))
    target = do_register_visit_target(
        system_actor, elder, group="living_alone", risk_level="high",
        registered_on=clock.today() - dt.timedelta(days=20), responsible_user_id=worker.pk,
    )  # fmt: skip
    page = console.attach(phone_with_location.new_page())
    login(page, live_server, worker)

    page.goto(f"{live_server.url}/eldercare/visits/?mine=1")
    page.locator("#overdue-table").get_by_role("link", name="周秀兰").click()
    page.wait_for_url(f"{live_server.url}/eldercare/visits/{target.pk}/")
    page.get_by_text("已获取当前位置。").wait_for()
    no_horizontal_overflow(page)
    # Submitting without findings shows the Chinese error next to the field.
    assert page.get_by_label("探访日期").input_value() == timezone.localdate().isoformat()
    page.get_by_role("button", name="保存探访记录").click()
    page.locator(".field.has-error", has_text="探访情况").get_by_text("请填写此项").wait_for()
    assert page.locator(".field.has-error").count() == 1  # only the missing findings
    # A refused form is answered with 422, which Chromium logs as a failed resource load.
    console.assert_clean(allow=("status of 422",))
    page.get_by_label("探访情况").fill("老人精神尚可，冰箱食物充足，提醒按时服药。")
    page.get_by_label("需要跟进").check()
    page.get_by_label("跟进措施").fill("联系家属每周电话问候")
    screenshot(page, "eldercare-visit-phone")
    page.get_by_role("button", name="保存探访记录").click()
    page.get_by_text("探访记录已保存。").wait_for()
    no_horizontal_overflow(page)

    record = VisitRecord.objects.get(target=target)
    assert record.findings.startswith("老人精神尚可")
    assert record.needs_follow_up and record.follow_up == "联系家属每周电话问候"
    assert (round(record.lon, 4), round(record.lat, 4)) == (107.3898, 29.7032)
    assert record.visitor_id == worker.pk
    console.assert_clean()


def test_service_circle_map_renders_without_console_errors(live_server, new_context, make_user, console, screenshot):
    from minzheng.eldercare.demo import seed_demo

    seed_demo(seed=5, scale=0.0)
    staff = make_user(Role.DISTRICT_STAFF, "500102")
    page = console.attach(new_context().new_page())
    login(page, live_server, staff)
    page.goto(f"{live_server.url}/eldercare/map/")
    page.locator("#circle-map[data-ready='1'] canvas").first.wait_for()
    option = page.evaluate(
        """() => {
            const chart = echarts.getInstanceByDom(document.getElementById('circle-map'));
            const o = chart.getOption();
            return {series: o.series.map(s => [s.name, s.data.length]), map: o.geo[0].map};
        }"""
    )
    assert option["map"] == "fuling"
    counts = dict(option["series"])
    assert counts["养老服务中心"] == 27
    assert counts["社区养老服务站"] == 110
    assert counts["村养老服务点"] == 193
    assert counts["服务圈内村（社区）"] + counts["服务圈外村（社区）"] == 433
    assert page.locator("#uncovered-table tbody tr").count() == counts["服务圈外村（社区）"]
    screenshot(page, "eldercare-map")
    console.assert_clean()


def test_order_is_taken_from_the_workbench_at_phone_width(live_server, phone_with_location, make_user, make_person, system_actor, console):
    """The home-care order on the case kit: the town has dispatched an order; the village worker
    finds it on the workbench's task feed and checks in with the phone's location; the history
    lists the steps; a stale page is refused with 409 and the Chinese message."""
    worker = make_user(Role.VILLAGE_WORKER, VILLAGE)
    birth = dt.date.today().replace(year=dt.date.today().year - 81, month=5, day=9)
    elder = make_person(VILLAGE, "何桂芝", birth=birth.strftime("%Y%m%d"))
    provider = do_register_provider(system_actor, name="敦仁颐康居家服务中心", division_code="500102006")
    order = do_request_order(system_actor, elder, service_kind="meal", category="general", requested_on=timezone.localdate())
    order = do_dispatch_order(system_actor, order, expected_version=order.version, provider=provider, worker_name="刘护理")
    CareOrder.objects.filter(pk=order.pk).update(dispatched_at=timezone.now() - dt.timedelta(hours=1))  # an hour ago
    page = console.attach(phone_with_location.new_page())
    login(page, live_server, worker)

    page.locator("#open-tasks").get_by_role("link", name=f"工单 {order.pk}（助餐）").click()
    page.wait_for_url(f"{live_server.url}/eldercare/orders/{order.pk}/")
    no_horizontal_overflow(page)
    page.get_by_role("button", name="获取当前位置").first.click()  # the check-in form's
    page.wait_for_function("() => document.getElementById('ci_lon').value !== ''")
    page.get_by_role("button", name="签到", exact=True).click()
    page.get_by_text("已办理“上门签到”。").wait_for()
    no_horizontal_overflow(page)
    order.refresh_from_db()
    assert (order.status, order.version, round(order.check_in_lon, 4), round(order.check_in_lat, 4)) == ("in_service", 3, 107.3898, 29.7032)
    history = page.locator("#order-history")
    for text in ("服务申请", "派单", "上门签到", "敦仁颐康居家服务中心，服务人员刘护理"):
        history.get_by_text(text, exact=True).first.wait_for()

    # Another user completes meanwhile: this page's version is old, the step is refused.
    CareOrder.objects.filter(pk=order.pk).update(version=4)
    page.get_by_role("button", name="获取当前位置").first.click()  # the check-out form's
    page.wait_for_function("() => document.getElementById('co_lon').value !== ''")
    page.get_by_role("button", name="签退并完成").click()
    page.get_by_text("该工单已被其他用户处理，请刷新后重试").wait_for()
    assert CareOrder.objects.get(pk=order.pk).status == "in_service"
    console.assert_clean(allow=("status of 409",))
