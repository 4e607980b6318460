"""Rescue management in a real browser: the station's staff take a person in (at phone width:
390 × 844, nothing wider than the screen) and carry the case through a hospital stay
(送医救治 and back) to the escort home and the arrival; the station pages at 1366 px pass axe (WCAG 2.1 A/AA, no serious or critical
violation); screenshots (see README) named rescue-*.png."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.rescue.actions import do_register_station
from minzheng.rescue.models import RescueCase
from tests.e2e.helpers import login, no_horizontal_overflow
from tests.e2e.test_accessibility import AXE_TAGS, DESKTOP, PHONE, RUN_AXE, axe_source

pytestmark = pytest.mark.e2e

DADONGMEN = "500102006001"


def axe_clean(page) -> None:
    page.evaluate(axe_source())  # the context bypasses the CSP, as test_accessibility's does
    violations = page.evaluate(RUN_AXE, AXE_TAGS)
    assert violations == [], f"{page.url}: {violations}"


def step(page, heading: str, fields: dict[str, str], *, selects: dict[str, str] | None = None) -> None:
    panel = page.locator(".panel", has=page.get_by_role("heading", name=heading, exact=True))
    for label, value in fields.items():
        panel.get_by_label(label, exact=True).fill(value)
    for label, value in (selects or {}).items():
        panel.get_by_label(label, exact=True).select_option(label=value)
    panel.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def test_intake_to_escort_home(live_server, sized_context, make_user, system_actor, console, screenshot):
    staff = make_user(Role.RESCUE_STATION, "500102")
    do_register_station(system_actor, name="涪陵区救助管理站", address="马鞍街道红星社区5组", location_code="500102014010", capacity=80)

    # 入站登记 on a phone.
    phone = sized_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = login(phone, live_server, staff, console)
    page.goto(f"{live_server.url}/rescue/cases/new/")
    no_horizontal_overflow(page)
    assert page.get_by_label("姓名（不详的填“不详”）").input_value() == "不详"
    page.get_by_label("性别").select_option(label="男")
    page.get_by_label("年龄（估计）").fill("50")
    page.get_by_label("来源").select_option(label="公安机关护送")
    page.get_by_label("护送单位或报告人").fill("敦仁派出所")
    page.get_by_label("发现地点").fill("人民路天桥下")
    page.get_by_label("发现地村（社区）").select_option(DADONGMEN)
    page.get_by_label("安排床位").select_option(label="001号床")
    page.get_by_role("button", name="登记入站").click()
    page.locator(".field.has-error", has_text="体貌特征").get_by_text("姓名不详时请填写体貌特征").wait_for()
    no_horizontal_overflow(page)
    assert RescueCase.objects.count() == 0
    page.get_by_label("体貌特征").fill("约50岁男性，灰色外套，左腿外伤")
    page.get_by_label("安排床位").select_option(label="001号床")
    screenshot(page, "rescue-intake-phone")
    page.get_by_role("button", name="登记入站").click()
    page.get_by_text("已登记入站").wait_for()
    no_horizontal_overflow(page)
    case = RescueCase.objects.get()
    assert page.locator("#bed").inner_text() == "001号床"
    console.assert_clean(allow=("status of 422",))  # the refused form is answered 422

    # The station's pages at 1366 px: the case through 查明身份, 接送返回, 确认到达.
    desk = sized_context(viewport=DESKTOP, bypass_csp=True)
    page = login(desk, live_server, staff, console)
    page.goto(f"{live_server.url}/rescue/cases/{case.pk}/")
    axe_clean(page)
    screenshot(page, "rescue-case-in-station")
    # 送医救治 and back: the bed is kept, the station home lists the person while in hospital.
    step(page, "送医救治", {"医院": "涪陵中心医院", "送医原因": "左腿外伤清创缝合", "送医日期": "2026-12-04", "护送经办人": "李明"})
    page.get_by_text("已办理“送医救治”。").wait_for()
    assert page.locator("#bed").inner_text() == "001号床（在院期间保留）"
    axe_clean(page)
    page.goto(f"{live_server.url}/rescue/")
    assert "涪陵中心医院" in page.locator("#in-hospital-list").inner_text()
    axe_clean(page)
    page.goto(f"{live_server.url}/rescue/cases/{case.pk}/")
    step(page, "登记出院结果", {"出院（结束）日期": "2026-12-04"}, selects={"结果": "出院返回救助管理站"})
    page.get_by_text("已办理“登记出院结果”。").wait_for()
    assert "2026-12-04出院返回救助管理站，在院0天" in page.locator("#hospital-stays").inner_text()
    step(page, "查明身份", {"姓名": "刘长贵", "查明身份日期": "2026-12-04", "户籍地址（区外）": "四川省达州市通川区", "查明途径": "本人陈述，公安机关核实"})
    page.get_by_text("已办理“查明身份”。").wait_for()
    step(page, "接送返回", {"接收人或单位": "刘大妹（女儿）", "交接日期": "2026-12-03"}, selects={"返回方式": "亲属接回", "交接对象": "家属"})
    page.locator(".field.has-error", has_text="交接日期").get_by_text("交接日期不能早于查明身份日期（2026-12-04）").wait_for()
    step(page, "接送返回", {"接收人或单位": "刘大妹（女儿）", "交接日期": "2026-12-04"}, selects={"返回方式": "亲属接回", "交接对象": "家属"})
    page.get_by_text("已办理“接送返回”。").wait_for()
    step(page, "确认到达", {"到达日期": "2026-12-04", "到达情况": "家属电话确认已到家"})
    page.get_by_text("已办理“确认到达”。").wait_for()
    assert page.locator("#case-status").inner_text() == "已返回"
    history = page.locator("#history").inner_text()
    for label in ("入站登记", "查明身份", "接送返回", "确认到达"):
        assert label in history
    axe_clean(page)
    screenshot(page, "rescue-case-returned")
    for url in ("/rescue/", "/rescue/beds/", "/rescue/cases/", "/rescue/stats/", "/rescue/campaigns/"):
        page.goto(f"{live_server.url}{url}")
        axe_clean(page)
    screenshot(page, "rescue-campaigns")
    console.assert_clean(allow=("status of 422",))
