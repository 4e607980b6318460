"""The welfare lottery in a real browser: district staff register an outlet, import a month's
sales file from the lottery centre through the one intake path, and see indicator 5 and the
sales total on the line's dashboard."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.lottery.models import MonthlySales, Outlet
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e

SIZE = {"width": 1366, "height": 768}


def test_district_registers_an_outlet_imports_a_month_and_sees_the_indicator(
    live_server, sized_context, make_user, id_number, database_worker, console, screenshot
):
    staff = make_user(Role.DISTRICT_STAFF, "500102", username="qu_fucai")
    number = id_number("19700101", "123")
    page = login(sized_context(viewport=SIZE), live_server, staff, console)
    page.goto(f"{live_server.url}/lottery/outlets/")
    form = page.locator("#register-outlet")
    form.get_by_label("投注站编号").fill("50010200001")
    form.get_by_label("名称").fill("大东门投注站")
    form.get_by_label("类型").select_option(label="兼营店")
    form.get_by_label("所在村（社区）代码").fill("500102006001")
    form.get_by_label("地址").fill("大东门路1号")
    form.get_by_label("业主姓名").fill("王建华")
    form.get_by_label("业主身份证号码").fill(number)
    form.get_by_label("开业日期").fill("2026-10-08")
    form.get_by_label("关闭日期").fill("2026-10-01")
    form.get_by_role("button", name="登记").click()
    page.locator(".field.has-error", has_text="关闭日期").get_by_text("关闭日期不能早于开业日期").wait_for()
    assert not Outlet.objects.exists()
    console.assert_clean(allow=("status of 400",))  # the refused form answers 400, as every refused form does
    page.locator("#register-outlet").get_by_label("关闭日期").fill("")
    page.locator("#register-outlet").get_by_role("button", name="登记").click()
    page.wait_for_url("**/lottery/outlets/*/")
    html = page.content()
    assert number[:6] + "********" + number[-4:] in html and number not in html
    assert Outlet.objects.get().licence_no == "50010200001"
    screenshot(page, "lottery-1-outlet")

    page.goto(f"{live_server.url}/exchange/feeds/lottery_sales/upload/")
    csv = "投注站编号,销售月份,销售额（元）\n50010200001,2026-11,125000.50\n".encode()
    page.get_by_label("数据文件").set_input_files({"name": "福彩销售额.csv", "mimeType": "text/csv", "buffer": csv})
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url("**/jobs/*/")
    database_worker()
    page.wait_for_url("**/exchange/batches/*/", timeout=30_000)
    assert "全部 1 行通过校验" in page.locator("#commit-panel").inner_text()
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url("**/jobs/*/")
    database_worker()
    page.wait_for_url("**/exchange/batches/*/", timeout=30_000)
    assert list(MonthlySales.objects.values_list("sales_fen", flat=True)) == [12500050]

    page.goto(f"{live_server.url}/lottery/")
    assert page.locator("#outlets-open").inner_text() == "1 个"
    assert page.locator("#sales-total").inner_text() == "125,000.50 元"
    screenshot(page, "lottery-2-dashboard")
    console.assert_clean()
