"""两项补贴 in a real browser: a village worker at phone width (390 px) applies for the 重度残疾人
护理补贴 from the person page with the 残疾人证 (a grade out of range first: the Chinese error
next to the field, nothing written); the town accepts and reviews, the district approves (the
engine's explanation on the page); the district prepares January's payroll, which pays the
engine's amount. Screenshots of each step; no page scrolls sideways."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.assistance.models import Payment
from minzheng.core.crypto import decrypt_text
from minzheng.disability.models import SubsidyApplication
from tests.e2e.helpers import login, no_horizontal_overflow

pytestmark = pytest.mark.e2e

VILLAGE = "500102006001"
TOWN = "500102006"
DISTRICT = "500102"


@pytest.fixture
def phone(browser, browser_context_args):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    )
    yield context
    context.close()


def step(page, name: str):
    page.locator(f"button[data-step={name}]").click()
    page.wait_for_load_state("networkidle")


def test_care_subsidy_from_the_person_page_to_the_first_payment(live_server, phone, new_context, make_user, make_person, id_number, console, screenshot):
    village = make_user(Role.VILLAGE_WORKER, VILLAGE, username="cun_jingban")
    town = make_user(Role.TOWN_OFFICER, TOWN, username="zhen_jingban")
    district = make_user(Role.DISTRICT_STAFF, DISTRICT, username="qu_jiuzhuke")
    person = make_person(VILLAGE, "王建国", id_number=id_number("19700315", "123"))
    number = decrypt_text(person.id_number_encrypted)

    # 1. The village worker, on a phone, from the person page.
    p = login(phone, live_server, village, console)
    p.goto(f"{live_server.url}/persons/{person.pk}/")
    p.get_by_role("link", name="申请两项补贴").click()
    p.get_by_label("补贴项目").select_option("severe_disability_care_subsidy")
    p.get_by_label("残疾人证号").fill(number + "45")
    p.get_by_label("残疾类别").select_option("physical")
    p.get_by_label("残疾等级").fill("5")
    p.get_by_label("发证日期").fill("2026-03-10")
    p.get_by_label("已核验残疾人证原件").check()
    p.get_by_role("button", name="登记").click()
    p.locator(".field.has-error", has_text="残疾等级须为一级至四级").wait_for()
    assert not SubsidyApplication.objects.exists()
    no_horizontal_overflow(p)
    screenshot(p, "disability-1-grade-error-phone")
    p.get_by_label("残疾人证号").fill(number + "42")
    p.get_by_label("残疾等级").fill("2")
    p.get_by_role("button", name="登记").click()
    p.locator("#application-status", has_text="待受理").wait_for()
    no_horizontal_overflow(p)
    assert number not in p.content()  # the certificate number is shown masked
    screenshot(p, "disability-2-registered-phone")
    a = SubsidyApplication.objects.get()

    # 2. The town accepts and reviews (the engine's verdict stored with the opinion).
    t = login(new_context(), live_server, town, console)
    t.goto(f"{live_server.url}/disability/applications/{a.pk}/")
    step(t, "accept")
    t.locator("#application-status", has_text="乡镇审核").wait_for()
    t.get_by_label("同意", exact=True).check()
    t.get_by_label("意见或理由").fill("经入户核实，情况属实")
    step(t, "review")
    t.locator("#application-status", has_text="待审批").wait_for()
    screenshot(t, "disability-3-reviewed")

    # 3. The district approves: the amount and the explanation.
    d = login(new_context(), live_server, district, console)
    d.goto(f"{live_server.url}/disability/applications/{a.pk}/")
    d.get_by_label("批准", exact=True).check()
    step(d, "decide")
    d.locator("#application-status", has_text="已批准").wait_for()
    assert d.locator("#amount").inner_text() == "80.00 元"
    assert "残疾等级达到护理补贴规定的重度等级" in d.locator(".decision").last.inner_text()
    screenshot(d, "disability-4-approved")

    # 4. January's payroll pays the engine's amount.
    d.goto(f"{live_server.url}/assistance/payroll/")
    d.get_by_label("发放月份").fill("2027-01")
    d.get_by_label("救助项目").select_option("severe_disability_care_subsidy")
    d.locator("#payroll-form button[type=submit]").click()
    d.wait_for_load_state("networkidle")
    d.locator(".job-status", has_text="80.00").wait_for()
    screenshot(d, "disability-5-payroll")
    payment = Payment.objects.get()
    assert (payment.program, payment.period, payment.amount_fen, payment.subject_id) == ("severe_disability_care_subsidy", "2027-01", 8000, person.pk)
    console.assert_clean(allow=("status of 400",))  # the form refused the grade with its error
