"""One 低保 household from intake to its first payment, in a real browser.

A village worker takes the application and records the home visit with a colleague; the
town officer accepts it, completes the economic check and approves at review, which
publishes it for 7 days; after the 公示 the town closes it; the district confirms (the
decision letter prints); the district prepares December's payroll and a second district user
approves it (maker-checker); the household is in the bank file with its full account.

The server runs in a thread of this process, so the suite's frozen clock (time-machine, root
conftest) covers it: the ``travel`` fixture moves it over the 公示 week as in the unit tests.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from minzheng.accounts.models import Role
from minzheng.assistance.models import Application, Enrolment, Payment, PaymentBatch
from minzheng.core.crypto import decrypt_text
from minzheng.registry.models import Household, Person
from tests.e2e.helpers import (
    district_confirms,
    login,
    submit,
    town_accepts,
    town_checks_and_reviews,
    town_closes_publicity,
    village_investigates,
)

pytestmark = pytest.mark.e2e

VILLAGE = "500102006001"  # 敦仁街道 大东门社区
TOWN = "500102006"
DISTRICT = "500102"
MONDAY = dt.date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _clock(travel):
    travel(MONDAY)


@pytest.fixture
def household(make_household):
    household = make_household(VILLAGE, names=("王大贵", "刘小芳"))
    people = list(Person.objects.filter(household=household).order_by("id"))
    Person.objects.filter(pk=people[0].pk).update(income_transfer_fen=30000, work_capacity="none")
    Person.objects.filter(pk=people[1].pk).update(income_wage_fen=50000)
    Household.objects.filter(pk=household.pk).update(financial_assets_fen=100000, zone="urban")
    household.refresh_from_db()
    return household


def test_dibao_household_from_intake_to_first_payment(live_server, new_context, make_user, household, console, screenshot, travel):
    village = make_user(Role.VILLAGE_WORKER, VILLAGE, username="cun_jingban")
    village2 = make_user(Role.VILLAGE_WORKER, VILLAGE, username="cun_xieli")
    town = make_user(Role.TOWN_OFFICER, TOWN, username="zhen_jingban")
    district = make_user(Role.DISTRICT_STAFF, DISTRICT, username="qu_jiuzhuke")
    district2 = make_user(Role.DISTRICT_STAFF, DISTRICT, username="qu_caiwu")
    head_id = decrypt_text(household.head.id_number_encrypted)

    # 1. Intake by the village worker; the form's required fields are marked.
    p = login(new_context(), live_server, village, console)
    p.goto(f"{live_server.url}/assistance/applications/new/")
    assert p.locator("label.required", has_text="申请人").count() == 1
    p.get_by_label("救助项目").select_option("dibao")
    p.get_by_label("申请人").fill(head_id)  # the picker: the full number still finds them
    p.locator("#id_applicant-results [data-pick]").first.click()
    p.locator("#id_applicant-picker .picked").wait_for()
    p.get_by_label("申请理由").fill("家庭收入低，老人无劳动能力")
    p.get_by_label("已签署《家庭经济状况核查授权书》").check()
    p.get_by_label("授权书签署日期").fill("2026-11-02")
    p.get_by_label("开户银行").fill("重庆农村商业银行涪陵分行")
    p.get_by_label("银行账号").fill("6228480000123456789")
    submit(p, "application-form")
    assert "已登记申请" in p.content()
    app = Application.objects.get()
    assert app.number in p.locator("h1").inner_text()
    assert head_id not in p.content() and "6228480000123456789" not in p.content()
    screenshot(p, "assistance-1-intake")

    # 2. The town officer accepts it from the 待办 list.
    t = login(new_context(), live_server, town, console)
    town_accepts(t, live_server, app)
    assert t.locator("#deadline").inner_text() == "2026-12-14"

    # 3. The village worker records the home visit with a colleague.
    village_investigates(p, live_server, app, village2, on="2026-11-02")

    # 4. The town completes the economic check, sees the engine's explanation, and approves.
    engine = town_checks_and_reviews(t)
    assert "家庭月人均收入低于当地低保标准" in engine and "350.00 元" in engine and "参数待确认" in engine
    screenshot(t, "assistance-2-publicity")

    # 5. A week later the 公示 has ended without objection.
    case_url = t.url
    travel(MONDAY + dt.timedelta(days=7))
    t = login(new_context(), live_server, town, console)  # a week on: yesterday's session timed out
    t.goto(case_url)
    town_closes_publicity(t)

    # 6. The district confirms; the decision letter prints as a PDF.
    d = login(new_context(), live_server, district, console)
    district_confirms(d, live_server, app, figures=("保障人数\t2 人", "每月保障金额\t960.00 元", "起始发放月份\t2026年12月"))
    assert d.locator("#amount").inner_text() == "960.00"
    pdf = d.request.get(f"{live_server.url}/assistance/applications/{app.pk}/pdf/notice/")
    assert pdf.ok and pdf.body().startswith(b"%PDF-")
    enrolment = Enrolment.objects.get()
    assert (enrolment.start_month, enrolment.amount_fen) == (dt.date(2026, 12, 1), 96000)
    screenshot(d, "assistance-3-approved")

    # 7. December's payroll: prepared by one district user, approved by another.
    d.goto(f"{live_server.url}/assistance/payroll/")
    d.get_by_label("发放月份").fill("2026-12")
    d.get_by_label("救助项目").select_option("dibao")
    submit(d, "payroll-form")
    assert re.search(r"最低生活保障 2026-12：1 笔，2 人，960\.00 元", d.locator(".job-status").inner_text())
    batch = PaymentBatch.objects.get(program="dibao", period="2026-12")
    d.goto(f"{live_server.url}/assistance/payroll/{batch.pk}/")
    assert d.locator("#approve-form").count() == 0  # the maker cannot approve

    c = login(new_context(), live_server, district2, console)
    c.goto(f"{live_server.url}/assistance/payroll/{batch.pk}/")
    submit(c, "approve-form")
    assert "发放总额\t960.00 元" in c.locator("#confirm-figures").inner_text()
    submit(c, "confirm-form")
    assert "发放表已审批" in c.content()
    assert c.locator("#payment-count").inner_text() == "1"
    assert "960.00" in c.locator("#payments").inner_text()
    with c.expect_download() as download:
        c.locator("#bank-file").click()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(Path(download.value.path()).read_bytes())).get_sheet_by_index(0).to_python()
    assert rows[1][3:8] == ["王大贵", rows[1][4], "重庆农村商业银行涪陵分行", "6228480000123456789", 960.0]  # a number
    assert len(rows[1][4]) == 18 and "*" not in rows[1][4]  # district staff may reveal: the bank gets the full number
    assert rows[-1][0] == "合计" and rows[-1][7] == 960.0
    screenshot(c, "assistance-4-payroll")

    payment = Payment.objects.get()
    assert (payment.period, payment.amount_fen, payment.change_kind) == ("2026-12", 96000, "new")
    console.assert_clean()
