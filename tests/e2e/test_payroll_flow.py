"""The district's month, in a real browser at 1366 × 768: run the whole-district screening and
watch its progress update by itself, download the screening results (xlsx, read back), then generate the payroll the same way, have a second
district user approve it after checking the figures, and download the bank file.

The background worker is the real one (django-tasks-db): the test switches the task backend
from the immediate one to the database, and runs `db_worker --batch` itself once the page
shows the job queued — so the page has to notice the result on its own (HTMX polling)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.assistance.actions import NewEnrolment, do_create_enrolment
from minzheng.assistance.models import PaymentBatch
from minzheng.core.crypto import encrypt_text
from minzheng.core.masking import mask_account
from minzheng.jobs.models import BackgroundJob
from minzheng.registry.models import Household, Person
from minzheng.screening.models import ScreeningRun

pytestmark = pytest.mark.e2e

PASSWORD = "test-pass-12345"
VILLAGE = "500102006001"  # 敦仁街道 大东门社区
DISTRICT = "500102"
ACCOUNTS = ("6228480000123456789", "6228480000987654321")
SIZE = {"width": 1366, "height": 768}


@pytest.fixture
def enrolled(make_household):
    """Two 低保 households in 大东门社区, enrolled at 960.00 and 455.50 a month."""
    system = Actor.system("测试数据准备")
    out = []
    for names, amount, account in ((("王大贵", "刘小芳"), 96000, ACCOUNTS[0]), (("陈光明", "周秀英"), 45550, ACCOUNTS[1])):
        household = make_household(VILLAGE, names=names)
        people = list(Person.objects.filter(household=household).order_by("id"))
        Person.objects.filter(pk=people[0].pk).update(income_transfer_fen=30000, work_capacity="none")
        Household.objects.filter(pk=household.pk).update(financial_assets_fen=100000, zone="urban")
        household.refresh_from_db()
        out.append(
            do_create_enrolment(
                system,
                NewEnrolment(
                    program="dibao", payee=household.head, division_code=VILLAGE, zone="urban", amount_fen=amount,
                    start_month=dt.date(2026, 11, 1), decided_on=dt.date(2026, 10, 20), reason="测试", source="roster",
                    household=household, people_covered=2, bank_name="重庆农村商业银行涪陵分行",
                    bank_account_encrypted=encrypt_text(account), bank_account_masked=mask_account(account),
                ),
            )
        )
    return out


def login(context, live_server, user, console):
    page = console.attach(context.new_page())
    page.set_viewport_size(SIZE)
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/**")
    return page


def test_district_runs_screening_and_payroll_and_downloads_the_bank_file(
    live_server, new_context, make_user, enrolled, database_worker, console, screenshot
):
    maker = make_user(Role.DISTRICT_STAFF, DISTRICT, username="qu_jiuzhuke")
    checker = make_user(Role.DISTRICT_STAFF, DISTRICT, username="qu_caiwu")
    d = login(new_context(accept_downloads=True), live_server, maker, console)

    # 1. Screening: queued, then the worker runs it and the page shows the new run by itself.
    d.goto(f"{live_server.url}/screening/")
    d.get_by_label("重新筛查核算期").fill("2026-11")
    d.get_by_role("button", name="运行全区筛查").click()
    d.wait_for_load_state("networkidle")
    status = d.locator(".job-status")
    assert status.get_attribute("data-job-status") == "queued" and status.get_attribute("hx-trigger") == "every 2s"
    assert "十秒" not in d.content()
    screenshot(d, "payroll-flow-1-screening-queued")
    database_worker()
    d.wait_for_selector('.job-status[data-job-status="done"]', timeout=30_000)
    run = ScreeningRun.objects.get(period="2026-11", is_current=True)
    text = d.locator(".job-status").inner_text()
    assert f"2026-11 全区筛查完成（批次 {run.pk}）：{run.counts['households']:,} 户、{run.counts['members']:,} 人。" in text
    assert d.locator("#total-dibao").count() == 1 and f"批次 {run.pk}" in d.content()
    screenshot(d, "payroll-flow-2-screening-done")
    with d.expect_download() as download:
        d.get_by_role("link", name="导出筛查结果 Excel").click()
    assert download.value.suggested_filename == "筛查结果-2026-11-涪陵区.xlsx"
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    wang, chen = ["王大贵", "500102195201201028", "敦仁街道", "大东门社区"], ["陈光明", "500102195201201060", "敦仁街道", "大东门社区"]
    assert rows == [
        ["户主", "户主身份证号码", "乡镇（街道）", "村（社区）", "救助项目", "对象", "符合条件", "在保", "按规则应发（元/月）"],
        [*wang, "低保", "（全户）", "是", "是", 1240], [*wang, "低保加发", "王大贵", "是", "否", 60], [*wang, "低保加发", "刘小芳", "是", "否", 60],
        [*chen, "低保", "（全户）", "是", "是", 1240], [*chen, "低保加发", "陈光明", "是", "否", 60], [*chen, "低保加发", "周秀英", "是", "否", 60],
        ["合计", None, None, None, None, None, None, None, 2720],
    ]  # full ID numbers: district staff may reveal them (the download is audited)
    assert not any(isinstance(c.value, str) and c.value.startswith("=") for row in sheet.iter_rows() for c in row)
    screenshot(d, "payroll-flow-2b-screening-results-downloaded")

    # 1b. The next day's run: only the household whose facts were written again is evaluated.
    Person.objects.filter(pk=enrolled[0].payee_id).update(income_wage_fen=0)
    d.goto(f"{live_server.url}/screening/?period=2026-11")
    d.get_by_role("button", name="只更新有变化的家庭").click()
    d.wait_for_load_state("networkidle")
    assert d.locator(".job-status").get_attribute("data-job-status") == "queued"
    database_worker()
    d.wait_for_selector('.job-status[data-job-status="done"]', timeout=30_000)
    assert f"2026-11 全区筛查增量更新完成（批次 {run.pk}）：重新计算有变化的 1 户。" in d.locator(".job-status").inner_text()
    d.reload()
    assert "此后增量更新 1 次" in d.locator("#run-info").inner_text() and ScreeningRun.objects.get(pk=run.pk).is_current
    screenshot(d, "payroll-flow-2c-screening-refreshed")

    # 2. Payroll for December, in the background as well.
    d.goto(f"{live_server.url}/assistance/payroll/")
    d.get_by_label("发放月份").fill("2026-12")
    d.get_by_label("救助项目").select_option("dibao")
    d.locator("#payroll-form button[type=submit]").click()
    d.wait_for_load_state("networkidle")
    assert d.locator(".job-status").get_attribute("data-job-status") == "queued"
    screenshot(d, "payroll-flow-3-payroll-queued")
    database_worker()
    d.wait_for_selector('.job-status[data-job-status="done"]', timeout=30_000)
    assert "最低生活保障 2026-12：2 笔，4 人，1,415.50 元（已生成待审批）" in d.locator(".job-status").inner_text()
    assert BackgroundJob.objects.filter(status="done").count() == 3
    screenshot(d, "payroll-flow-4-payroll-done")
    batch = PaymentBatch.objects.get(program="dibao", period="2026-12")

    # 3. A second district user checks the figures, approves, and downloads the bank file.
    c = login(new_context(accept_downloads=True), live_server, checker, console)
    c.goto(f"{live_server.url}/assistance/payroll/{batch.pk}/")
    c.locator("#approve-form button[type=submit]").click()
    c.wait_for_load_state("networkidle")
    figures = c.locator("#confirm-figures").inner_text()
    assert "发放笔数\t2 笔" in figures and "保障人数\t4 人" in figures and "发放总额\t1,415.50 元" in figures
    assert PaymentBatch.objects.get(pk=batch.pk).status == "prepared"
    screenshot(c, "payroll-flow-5-approve-confirm")
    c.locator("#confirm-form button[type=submit]").click()
    c.wait_for_load_state("networkidle")
    assert "发放表已审批" in c.content()
    with c.expect_download() as download:
        c.locator("#bank-file").click()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(Path(download.value.path()).read_bytes())).get_sheet_by_index(0).to_python()
    paid = {row[6]: row[7] for row in rows[1:] if str(row[6]) in ACCOUNTS}
    assert len(paid) == 2
    assert {k: round(float(v), 2) for k, v in paid.items()} == {ACCOUNTS[0]: 960.0, ACCOUNTS[1]: 455.5}
    screenshot(c, "payroll-flow-6-approved")
    console.assert_clean()
