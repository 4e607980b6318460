"""The social-organisation and charity lines in a real browser: district staff register an
association through 成立登记 (a negative capital refused next to the form, nothing written) to the
certificate, then record a donation to a charity (a negative amount refused first)."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.charity import actions as charity_actions
from minzheng.charity.models import Donation
from minzheng.core.credit_code import check_character
from minzheng.sociorgs import actions
from minzheng.sociorgs.models import Organisation, Procedure
from tests.e2e.helpers import login

pytestmark = pytest.mark.e2e


def _code(prefix: str, n: int) -> str:
    first = f"{prefix}500102MJ{n:07d}"[:17]
    return first + check_character(first)


def test_establishment_to_certificate_and_a_donation(live_server, sized_context, make_user, system_actor, console, screenshot):
    user = make_user(Role.DISTRICT_STAFF, "500102", username="sociorg_registrar")
    page = login(sized_context(viewport={"width": 1366, "height": 900}), live_server, user, console)
    page.goto(f"{live_server.url}/sociorgs/procedures/new/")
    fields = {"name": "涪陵区邻里互助协会", "division_code": "500102006001", "address": "大东门社区8号", "legal_representative": "周敏",
              "registered_capital": "-1"}  # fmt: skip
    for name, value in fields.items():
        page.locator(f"input[name={name}]").fill(value)
    for name, value in {"org_type": "association", "sector": "community", "party_status": "joint"}.items():
        page.locator(f"select[name={name}]").select_option(value)
    page.get_by_role("button", name="登记筹备申请").click()
    page.wait_for_load_state("networkidle")
    assert "注册资金（元）不能为负数" in page.content() and not Procedure.objects.exists()
    page.locator("input[name=registered_capital]").fill("50000")
    page.get_by_role("button", name="登记筹备申请").click()
    page.wait_for_url(f"{live_server.url}/sociorgs/procedures/*/")
    for _ in range(5):
        page.get_by_role("button", name="收取").first.click()
        page.wait_for_load_state("networkidle")
    for step in ("受理", "准予筹备"):
        page.get_by_role("button", name=step).click()
        page.wait_for_load_state("networkidle")
    for _ in range(2):
        page.get_by_role("button", name="收取").first.click()
        page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="提交成立登记").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#case-status").inner_text() == "登记审查"
    page.locator("input[name=credit_code]").fill(_code("51", 21))
    page.get_by_role("button", name="准予登记", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#case-status").inner_text() == "准予登记"
    assert "涪社证字〔2026〕第001号" in page.content() and page.locator("#certificate").count() == 1
    screenshot(page, "sociorgs-1-certificate")
    org = Organisation.objects.get()

    # A donation to a charity: recognised from an older organisation of the register.
    old = actions.do_register_organisation(system_actor, credit_code=_code("52", 22), registered_on=dt.date(2019, 1, 1), name="涪陵区乐善服务中心",
                                           org_type="service", sector="charity", division_code="500102006", legal_representative="陈芳",
                                           registered_capital="100000", party_status="own")  # fmt: skip
    charity_actions.do_recognise_charity(system_actor, old, applied_on=dt.date(2021, 1, 5), recognised_on=dt.date(2021, 1, 20), decision_no="涪民发〔2021〕1号")
    page.goto(f"{live_server.url}/charity/")
    page.locator("#donation-form select[name=charity]").select_option(label="涪陵区乐善服务中心")
    page.locator("input[name=received_on]").fill("2026-12-03")
    page.locator("select[name=donor_kind]").select_option("enterprise")
    page.locator("input[name=donor_name]").fill("某建材公司")
    page.locator("input[name=amount]").fill("-100")
    page.locator("input[name=receipt_no]").fill("渝财捐2026-00001")
    page.get_by_role("button", name="登记捐赠").click()
    page.wait_for_load_state("networkidle")
    assert "货币捐赠金额（元）不能为负数" in page.content() and not Donation.objects.exists()
    page.locator("input[name=amount]").fill("20000")
    page.get_by_role("button", name="登记捐赠").click()
    page.wait_for_load_state("networkidle")
    assert "捐赠已登记" in page.content() and Donation.objects.get().amount_fen == 2_000_000
    assert "20,000.00" in page.locator("#indicator-8").inner_text()
    screenshot(page, "charity-1-donation")
    assert org.name == "涪陵区邻里互助协会"
