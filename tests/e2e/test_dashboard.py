"""The plan-monitoring dashboard (驾驶舱) in a real browser (Playwright driving Debian's Chromium).

It renders its ECharts map and trend chart under the strict CSP with no console error, a
click in the town table drills down to the town, and a town officer cannot open another
town's dashboard.
"""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role

pytestmark = pytest.mark.e2e

PASSWORD = "test-pass-12345"  # the make_user fixture's default
DUNREN, ZHENXI = "500102006", "500102119"
NOT_FOUND_CONSOLE = "status of 404"


@pytest.fixture
def plan_with_figures(system_actor):
    from minzheng.planning.actions import ValueInput, do_approve_submission, do_recompute_indicators, do_submit_value
    from minzheng.planning.loader import load_plan
    from minzheng.planning.models import Plan

    load_plan()
    plan = Plan.objects.get(code="2021-2025")
    do_recompute_indicators(system_actor, plan, year=2023)
    for division, num, den in ((DUNREN, 52000, 65000), (ZHENXI, 9000, 30000), ("500102", 61000, 95000)):
        s = do_submit_value(system_actor, plan, ValueInput(
            indicator_code="13", year=2023, division_code=division, as_of=dt.date(2023, 12, 31),
            evidence="火化区人口统计", numerator=str(num), denominator=str(den),
        ))
        do_approve_submission(system_actor, s.pk)
    return plan


def login(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)  # leaders land on the 驾驶舱, others on 工作台


def test_dashboard_renders_map_and_trend_without_console_errors(
    live_server, new_context, make_user, plan_with_figures, console, screenshot
):
    leader = make_user(Role.DISTRICT_LEADER, "500102")
    page = console.attach(new_context().new_page())
    login(page, live_server, leader)
    page.goto(f"{live_server.url}/planning/?year=2023&map=13")
    page.wait_for_selector("body[data-dashboard-ready='2']")
    page.wait_for_selector("#map-chart canvas")
    page.wait_for_selector("#trend-chart canvas")
    assert page.locator(".kpi").count() == 19
    assert "数据截至" in page.inner_text("#indicator-cards")
    # The canvas has been painted: not a blank rectangle.
    painted = page.eval_on_selector(
        "#map-chart canvas",
        "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        " let n = 0; for (let i = 3; i < d.length; i += 4) { if (d[i]) n++; } return n; }",
    )
    assert painted > 1000
    page.select_option("#trend-select", "13")
    page.wait_for_timeout(200)
    screenshot(page, "planning-dashboard-district")
    console.assert_clean()

    # Drill down: the town table links to the town's own dashboard.
    page.click("#town-table a:text('珍溪镇')")
    page.wait_for_url(f"**division={ZHENXI}**")
    page.wait_for_selector("body[data-dashboard-ready='1']")  # trend only: no map for a town
    assert "珍溪镇" in page.inner_text("h1")
    assert "30.0" in page.inner_text("[data-code='13']")  # 9000 ÷ 30000
    screenshot(page, "planning-dashboard-town")
    console.assert_clean()


def test_town_officer_cannot_open_another_towns_dashboard(live_server, new_context, make_user, plan_with_figures, console):
    officer = make_user(Role.TOWN_OFFICER, DUNREN)
    page = console.attach(new_context().new_page())
    login(page, live_server, officer)
    page.goto(f"{live_server.url}/planning/?year=2023")
    page.wait_for_selector("body[data-dashboard-ready='1']")
    assert "敦仁街道" in page.inner_text("h1")
    assert page.locator("#map-chart").count() == 0
    console.assert_clean()
    response = page.goto(f"{live_server.url}/planning/?year=2023&division={ZHENXI}")
    assert response.status == 404
    assert "珍溪镇" not in page.inner_text("main")
    console.assert_clean(allow=(NOT_FOUND_CONSOLE,))
