"""ADR 0004 in a real browser: a village worker, on a 390-pixel phone screen, checks two deaths
reported by departments — one is wrong (核实有误, payment resumes), one is right (确认死亡, the
person is recorded deceased and the enrolment ends with the month of death). Each action asks
for confirmation first; dismissing the dialog changes nothing. The page never scrolls sideways.
"""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from tests.e2e.helpers import no_horizontal_overflow

pytestmark = pytest.mark.e2e

PASSWORD = "test-pass-12345"  # the make_user fixture's default
VILLAGE = "500102006001"  # 敦仁街道 大东门社区


def login(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")


@pytest.fixture
def phone(browser, browser_context_args):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    )
    yield context
    context.close()


def test_the_village_worker_refutes_and_confirms_at_phone_width(live_server, phone, make_user, make_person, console, screenshot):
    from minzheng.accounts.actor import build_actor
    from minzheng.assistance.models import Enrolment
    from minzheng.core import clock
    from minzheng.discovery.models import Task
    from minzheng.discovery.tests.conftest import (
        DEATH_HEADERS,
        enrol,
        id_of,
        import_rows,
    )
    from minzheng.registry.models import DeathReport, Person

    worker = make_user(Role.VILLAGE_WORKER, VILLAGE)
    district = make_user(Role.DISTRICT_STAFF, "500102")
    alive = make_person(VILLAGE, "钱健在")
    dead = make_person(VILLAGE, "孙已故")
    alive_enrolment = enrol("tekun", person=alive, amount_fen=100100)
    dead_enrolment = enrol("tekun", person=dead, amount_fen=100100)
    today = clock.today()
    died = today - dt.timedelta(days=3)
    rows = [[id_of(alive), alive.name, died, "公安户籍注销"], [id_of(dead), dead.name, died, "殡葬火化"]]
    import_rows(build_actor(district), "death", DEATH_HEADERS, rows, today=today)
    assert Enrolment.objects.filter(status="suspended").count() == 2

    page = console.attach(phone.new_page())
    login(page, live_server, worker)

    # 核实有误: the reason is required; the dialog is accepted.
    page.goto(f"{live_server.url}/discovery/tasks/?mine=1")
    page.get_by_role("link", name="钱健在").click()
    page.locator("#death-report").wait_for()
    no_horizontal_overflow(page)
    screenshot(page, "death-check-phone")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="核实有误").click()
    page.get_by_text("请填写核实有误的情况说明").wait_for()
    assert DeathReport.objects.get(person=alive).status == "pending"
    page.get_by_label("核实有误的情况说明").fill("已入户见到本人，本人健在")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="核实有误").click()
    page.get_by_text("已核实有误：已恢复发放").wait_for()
    no_horizontal_overflow(page)
    alive_enrolment.refresh_from_db()
    assert alive_enrolment.status == "active" and not Person.objects.get(pk=alive.pk).is_deceased

    # 确认死亡: dismissing the dialog changes nothing; accepting records the death.
    page.goto(f"{live_server.url}/discovery/tasks/?mine=1")
    page.get_by_role("link", name="孙已故").click()
    page.locator("#death-report").wait_for()
    messages = []
    page.once("dialog", lambda d: (messages.append(d.message), d.dismiss()))
    page.get_by_role("button", name="确认死亡").click()
    page.wait_for_timeout(300)
    assert messages and messages[0].startswith(f"确认孙已故已于{died:%Y-%m-%d}死亡？")
    assert DeathReport.objects.get(person=dead).status == "pending"
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="确认死亡").click()
    page.get_by_text("已确认死亡：人员库已登记死亡").wait_for()
    no_horizontal_overflow(page)
    screenshot(page, "death-check-phone-confirmed")

    dead_enrolment.refresh_from_db()
    assert (dead_enrolment.status, dead_enrolment.end_month) == ("exited", died.replace(day=1))
    assert Person.objects.get(pk=dead.pk).is_deceased
    assert set(Task.objects.values_list("status", flat=True)) == {"done"}
    console.assert_clean()
