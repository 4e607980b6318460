"""Child welfare in a real browser at phone width (390 px): a village worker files a 强制报告
(a missing field first: the Chinese error next to it), registers an orphan found on a visit,
and opens the child's file; no page scrolls sideways."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.children.models import ProtectionCase, Recognition
from minzheng.core.crypto import decrypt_text

pytestmark = pytest.mark.e2e

PASSWORD = "test-pass-12345"
VILLAGE = "500102006001"


def login(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")


def no_horizontal_overflow(page):
    sizes = page.evaluate("() => ({doc: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth})")
    assert sizes["doc"] <= sizes["viewport"], sizes


@pytest.fixture
def phone(browser, browser_context_args):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    )
    yield context
    context.close()


def test_report_and_register_at_phone_width(live_server, phone, make_user, make_person, console, screenshot):
    worker = make_user(Role.VILLAGE_WORKER, VILLAGE)
    kid = make_person(VILLAGE, "王小明", birth="20150610")
    grandpa = make_person(VILLAGE, "王大爷", birth="19550302")
    page = console.attach(phone.new_page())
    login(page, live_server, worker)

    page.goto(f"{live_server.url}/children/protection/report/")
    no_horizontal_overflow(page)
    page.get_by_label("未成年人姓名").fill("王小明")
    page.get_by_label("报告主体").select_option("school")
    page.get_by_label("家庭暴力").check()
    page.get_by_role("button", name="提交报告").click()
    page.locator(".field.has-error", has_text="报告内容").wait_for()
    page.get_by_label("报告内容").fill("班主任发现学生手臂多处淤青")
    page.get_by_role("button", name="提交报告").click()
    page.get_by_text("强制报告已提交").wait_for()
    no_horizontal_overflow(page)
    screenshot(page, "children-report-phone")
    assert ProtectionCase.objects.get().harm_kinds == ["domestic_violence"]

    page.goto(f"{live_server.url}/children/recognitions/new/?q=王小明")
    page.locator("#found").get_by_role("link", name="王小明").first.click()
    page.get_by_label("儿童类别").select_option("orphan")
    page.get_by_label("来源").select_option("discovery")
    page.get_by_label("父母双方均死亡").check()
    page.get_by_label("监护人身份证号码").fill(decrypt_text(grandpa.id_number_encrypted))
    page.get_by_label("监护人与儿童关系").fill("祖父")
    no_horizontal_overflow(page)
    page.get_by_role("button", name="登记").click()
    page.get_by_text("待乡镇审核").first.wait_for()
    no_horizontal_overflow(page)
    screenshot(page, "children-recognition-phone")
    assert Recognition.objects.get().person_id == kid.pk

    page.get_by_role("link", name="王小明").click()
    page.get_by_text("儿童档案 · 王小明").wait_for()
    no_horizontal_overflow(page)
    assert decrypt_text(kid.id_number_encrypted) not in page.content()
    console.assert_clean(allow=("status of 400",))  # the form refused with its errors
