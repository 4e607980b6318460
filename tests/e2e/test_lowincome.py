"""低收入人口 in a real browser. At phone width (390 px): a village worker registers a 低保边缘
household, the town checks it and the town's approver recognises it; the register then shows
the family with its tier and source. At desk width: district staff enter a CPI of −300 % (the
error next to the field, nothing written), then a month over the trigger, and prepare the
价格临时补贴 batch twice — the same batch. No page scrolls sideways."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.assistance.actions import NewEnrolment, do_create_enrolment
from minzheng.assistance.models import PaymentBatch
from minzheng.lowincome.models import PriceIndexMonth, RegisterEntry
from minzheng.registry.models import Household, Person
from tests.e2e.helpers import login, no_horizontal_overflow

pytestmark = pytest.mark.e2e

VILLAGE = "500102006001"


@pytest.fixture
def phone(browser, browser_context_args):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    )
    yield context
    context.close()


def test_edge_household_recognised_and_registered_at_phone_width(live_server, phone, make_user, make_household, console, screenshot):
    worker = make_user(Role.VILLAGE_WORKER, VILLAGE)
    officer = make_user(Role.TOWN_OFFICER, "500102006")
    approver = make_user(Role.TOWN_APPROVER, "500102006")
    household = make_household(VILLAGE, names=("王大明", "刘小红"))
    Person.objects.filter(pk=household.head_id).update(income_transfer_fen=200_000)  # 1,000 a head
    Household.objects.filter(pk=household.pk).update(zone="urban")

    page = login(phone, live_server, worker, console)
    page.goto(f"{live_server.url}/lowincome/recognitions/new/?q=王大明")
    page.locator("#household-found").get_by_role("link").first.click()
    page.get_by_label("认定类别").select_option("edge")
    page.get_by_label("来源").select_option("application")
    page.get_by_label("申请理由/发现情况").fill("家庭收入略高于低保标准")
    no_horizontal_overflow(page)
    page.get_by_role("button", name="登记").click()
    page.get_by_text("已登记认定申请").wait_for()
    no_horizontal_overflow(page)
    url = page.url

    page = login(phone, live_server, officer, console)
    page.goto(url)
    page.get_by_role("button", name="提交").click()
    page.locator("#engine-verdict", has_text="符合").wait_for()
    no_horizontal_overflow(page)

    page = login(phone, live_server, approver, console)
    page.goto(url)
    page.locator("input[name=outcome][value=approve]").check()
    page.get_by_role("button", name="提交").first.click()
    page.locator(".field.has-error", has_text="请填写认定意见").wait_for()  # the note is required
    page.locator("input[name=outcome][value=approve]").check()
    page.get_by_label("意见/理由").first.fill("经核对符合低保边缘家庭条件")
    page.get_by_role("button", name="提交").first.click()
    page.locator("#recognition-status", has_text="已认定").wait_for()
    no_horizontal_overflow(page)
    screenshot(page, "lowincome-recognition-phone")

    page.goto(f"{live_server.url}/lowincome/register/?tier=edge")
    table = page.locator("#register-list")
    table.get_by_text("王大明").wait_for()
    assert table.get_by_text("低保边缘家庭成员").count() == 2
    assert table.get_by_text("认定决定").count() == 2
    no_horizontal_overflow(page)
    screenshot(page, "lowincome-register-phone")
    page.goto(f"{live_server.url}/lowincome/changes/")
    page.locator("#change-list").get_by_text("（新纳入）").first.wait_for()
    no_horizontal_overflow(page)
    page.goto(f"{live_server.url}/lowincome/")
    page.locator("#tier-counts").get_by_text("大东门社区").wait_for()
    no_horizontal_overflow(page)
    screenshot(page, "lowincome-home-phone")
    assert RegisterEntry.objects.filter(ended_on__isnull=True, tier="edge").count() == 2
    console.assert_clean(allow=("status of 400",))  # the decision refused without its note


def test_cpi_over_the_trigger_becomes_one_batch(live_server, browser, make_user, make_household, system_actor, console, screenshot):
    staff = make_user(Role.DISTRICT_STAFF, "500102")
    household = make_household(VILLAGE, names=("甲", "乙"))
    do_create_enrolment(
        system_actor,
        NewEnrolment(
            program="dibao", payee=household.head, division_code=VILLAGE, zone="urban", amount_fen=60_000,
            start_month=dt.date(2026, 10, 1), decided_on=dt.date(2026, 9, 20),
            reason="测试", source="roster", household=household, people_covered=2,
        ),
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = login(context, live_server, staff, console)
    page.goto(f"{live_server.url}/lowincome/prices/")
    page.get_by_label("指数月份").fill("2026-11")
    page.get_by_label("居民消费价格指数（CPI）同比涨幅（%）").fill("-300")
    page.get_by_label("食品价格指数同比涨幅（%）").fill("2")
    page.get_by_label("数据来源").fill("重庆市统计局 2026年11月居民消费价格数据")
    page.get_by_role("button", name="录入").click()
    page.locator(".field.has-error", has_text="居民消费价格指数（CPI）同比涨幅应在 -50% 至 100% 之间（填写的是 -300%）").wait_for()
    assert PriceIndexMonth.objects.count() == 0
    screenshot(page, "lowincome-cpi-error")
    page.get_by_label("居民消费价格指数（CPI）同比涨幅（%）").fill("4.0")
    page.get_by_role("button", name="录入").click()
    page.get_by_text("达到联动机制启动条件").first.wait_for()
    page.get_by_role("button", name="生成发放表").click()
    page.get_by_text("已生成2026-11价格临时补贴发放表").wait_for()
    first_url = page.url
    screenshot(page, "lowincome-price-batch")
    page.goto(f"{live_server.url}/lowincome/prices/")
    page.get_by_role("button", name="重新生成发放表").click()
    page.get_by_text("已生成2026-11价格临时补贴发放表").wait_for()
    assert page.url == first_url
    batch = PaymentBatch.objects.get(program="price_subsidy", period="2026-11")
    assert (batch.payment_count, batch.total_fen, batch.run_count) == (1, 2 * 3080, 2)
    page.goto(f"{live_server.url}/lowincome/prices/")
    page.locator("#price-list").get_by_text("61.60").wait_for()
    no_horizontal_overflow(page)
    screenshot(page, "lowincome-prices")
    context.close()
    console.assert_clean(allow=("status of 400",))


def test_district_imports_a_departments_roster_and_the_register_shows_it(
    live_server, sized_context, make_user, make_person, id_number, database_worker, console, screenshot
):
    number = id_number("19700101", "031")
    make_person(VILLAGE, "钱返贫", id_number=number)
    staff = make_user(Role.DISTRICT_STAFF, "500102", username="qu_dibao")
    page = login(sized_context(viewport={"width": 1366, "height": 768}), live_server, staff, console)
    page.goto(f"{live_server.url}/lowincome/listings/")
    page.locator("#roster-imports").get_by_role("link", name="上传名单").first.click()
    page.wait_for_url("**/exchange/feeds/lowincome_relapse/upload/")
    csv = f"身份证号码,姓名,纳入日期,解除日期,备注\n{number},钱返贫,2025-06-01,,因病\n".encode()
    page.get_by_label("数据文件").set_input_files({"name": "防止返贫监测对象.csv", "mimeType": "text/csv", "buffer": csv})
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url("**/jobs/*/")
    database_worker()
    page.wait_for_url("**/exchange/batches/*/", timeout=30_000)
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url("**/jobs/*/")
    database_worker()
    page.wait_for_url("**/exchange/batches/*/", timeout=30_000)
    page.goto(f"{live_server.url}/lowincome/listings/")
    row = page.locator("#listing-list tbody tr").first
    assert "钱返贫" in row.inner_text() and "防止返贫监测对象" in row.inner_text() and "2025-06-01" in row.inner_text()
    screenshot(page, "lowincome-listings")
    page.goto(f"{live_server.url}/lowincome/register/?tier=relapse")
    assert "钱返贫" in page.locator("#register-list").inner_text()
    assert RegisterEntry.objects.get(ended_on__isnull=True).tier == "relapse"
    console.assert_clean()
