"""专项救助转介 in a real browser at phone width (390 px): a village worker opens a household,
refers it to 医疗救助 (a referral to nowhere is refused first, naming the field, and nothing is
written), finds it on the workbench, records the receiving unit's acceptance and feedback.
Screenshots named referral-*.png. The page never scrolls sideways and the
console stays clean."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from tests.e2e.helpers import no_horizontal_overflow

pytestmark = pytest.mark.e2e

PASSWORD = "test-pass-12345"  # the make_user fixture's default
VILLAGE = "500102006001"  # 敦仁街道 大东门社区


@pytest.fixture
def phone(browser, browser_context_args):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    )
    yield context
    context.close()


def test_a_household_is_referred_and_its_feedback_recorded_at_phone_width(
    live_server, phone, make_user, make_household, console, screenshot
):
    from minzheng.referrals.defaults import ensure_default_units
    from minzheng.referrals.models import Referral

    ensure_default_units()  # the live server's database was flushed by earlier browser tests
    worker = make_user(Role.VILLAGE_WORKER, VILLAGE)
    household = make_household(VILLAGE, names=("陈国强", "刘桂芳"))

    page = console.attach(phone.new_page())
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(worker.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/households/{household.pk}/")
    page.locator("[data-step='referrals.household']").click()
    page.locator("#referral-form").wait_for()
    no_horizontal_overflow(page)
    screenshot(page, "referral-new-phone")

    # A referral to nowhere: no receiving unit, a deadline in the past.
    page.get_by_label("转介类别").select_option("medical")
    page.get_by_label("反馈期限").fill("2026-12-01")
    page.get_by_label("转介事由").fill("慢性病门诊费用负担重")
    page.locator("#referral-form button[type=submit]").click()
    page.get_by_text("请选择接收单位").wait_for()
    assert "反馈期限不能早于今天（2026-12-04）" in page.content()
    assert Referral.objects.count() == 0
    no_horizontal_overflow(page)
    screenshot(page, "referral-refused-phone")
    console.assert_clean(allow=("status of 422",))  # the refused form is answered 422, on purpose

    page.get_by_label("接收单位").select_option(label="医疗救助 · 涪陵区医疗保障局（参数待确认）")
    page.get_by_label("反馈期限").fill("2026-12-18")
    page.locator("#referral-form button[type=submit]").click()
    page.locator("#referral-status").wait_for()
    assert "已转介至涪陵区医疗保障局" in page.content()
    referral = Referral.objects.get()

    # On the workbench, then the acceptance and the feedback.
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=f"转介 {referral.number}（医疗救助）").first.click()
    page.locator("form[data-step='receive']").get_by_label("接收人").fill("医疗救助科")
    page.locator("form[data-step='receive'] button[type=submit]").click()
    page.get_by_text("已办理“确认接收”。").wait_for()
    form = page.locator("form[data-step='feedback']")
    form.get_by_label("办理结果").select_option("assisted")
    form.get_by_label("反馈意见").fill("已纳入医疗救助，门诊费用按规定报销")
    form.locator("button[type=submit]").click()
    page.get_by_text("已办理“登记反馈”。").wait_for()
    assert page.locator("#outcome").inner_text() == "已给予救助或帮扶"
    assert "门诊费用按规定报销" in page.locator("#feedback").inner_text()
    history = page.locator("#history").inner_text()
    assert "转介" in history and "确认接收" in history and "登记反馈" in history
    no_horizontal_overflow(page)
    screenshot(page, "referral-feedback-phone")
    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("fed_back", "assisted")
    console.assert_clean()
