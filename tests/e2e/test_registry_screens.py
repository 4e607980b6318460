"""The registry screens in a real browser (Playwright driving Debian's Chromium).

What a village worker sees is masked and limited to their village; a town approver can
reveal a full ID number, and that reveal is audited; the search page works at phone width;
no page logs a console error.
"""

from __future__ import annotations

import re

import pytest

from minzheng.accounts.models import Role
from minzheng.core.models import AuditEvent

pytestmark = pytest.mark.e2e

PASSWORD = "test-pass-12345"  # the make_user fixture's default
VILLAGE = "500102006001"  # 敦仁街道 大东门社区
TOWN = "500102006"  # 敦仁街道
OTHER_VILLAGE = "500102119001"  # 珍溪镇 兴盛社区
MASKED_RE = re.compile(r"500102\*{8}\d{3}[\dX]")
# Chromium reports a page served with status 404 as a failed resource load.
NOT_FOUND_CONSOLE = "status of 404"


@pytest.fixture
def registry(make_person, id_number):
    """Two people in the village (one matching 'zsf'), and a 'zsf' in another town."""
    zhang_id = id_number("19520120", "781")
    zhang = make_person(VILLAGE, "张三丰", id_number=zhang_id)
    li = make_person(VILLAGE, "李四", id_number=id_number("19800305", "412"))
    zhao_id = id_number("19671111", "553")
    zhao = make_person(OTHER_VILLAGE, "赵水法", id_number=zhao_id)
    return {"zhang": zhang, "zhang_id": zhang_id, "li": li, "zhao": zhao, "zhao_id": zhao_id}


def login(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")


def assert_has_css(page):
    """The stylesheet loaded and applied: the top bar has the brand colour, not the default."""
    background = page.eval_on_selector(".topbar", "el => getComputedStyle(el).backgroundColor")
    assert background == "rgb(179, 38, 30)", background


def test_village_worker_searches_by_initials_and_sees_masked_ids_only(
    live_server, new_context, make_user, registry, console, screenshot
):
    worker = make_user(Role.VILLAGE_WORKER, VILLAGE)
    page = console.attach(new_context().new_page())
    login(page, live_server, worker)
    assert_has_css(page)
    console.assert_clean()

    # Search page: typing pinyin initials swaps the results in through HTMX.
    page.goto(f"{live_server.url}/persons/")
    console.assert_clean()
    with page.expect_response(
        lambda r: "/persons/?" in r.url and "q=zsf" in r.url and r.request.headers.get("hx-request") == "true"
    ) as htmx_response:
        page.locator("#q").fill("zsf")
    assert htmx_response.value.status == 200
    results = page.locator("#results")
    row = results.locator("tr", has_text="张三丰")
    row.wait_for()
    assert MASKED_RE.search(row.inner_text()), row.inner_text()
    assert "赵水法" not in results.inner_text()  # another town's 'zsf' stays invisible
    assert "李四" not in results.inner_text()
    assert "q=zsf" in page.url  # hx-push-url keeps the query bookmarkable
    html = page.content()
    assert registry["zhang_id"] not in html
    assert registry["zhao_id"] not in html
    screenshot(page, "registry-search-desktop")
    console.assert_clean()

    # Person page: masked, and no reveal button for a village worker.
    row.get_by_role("link", name="张三丰").click()
    page.wait_for_url(f"{live_server.url}/persons/{registry['zhang'].pk}/")
    assert page.locator("h1").inner_text().startswith("张三丰")
    id_cell = page.locator("#id-number")
    assert MASKED_RE.fullmatch(id_cell.inner_text().strip()), id_cell.inner_text()
    assert page.get_by_role("button", name="查看完整").count() == 0
    assert registry["zhang_id"] not in page.content()
    screenshot(page, "registry-person-village-worker")
    console.assert_clean()

    # Division page of the worker's own village: statistics count the two residents.
    page.goto(f"{live_server.url}/divisions/{VILLAGE}/")
    assert page.locator("h1").inner_text().startswith("大东门社区")
    assert page.locator("#stat-total").inner_text().strip() == "2"
    assert_has_css(page)
    screenshot(page, "registry-division-village")
    console.assert_clean()


def test_town_approver_reveals_full_id_number_and_it_is_audited(
    live_server, new_context, make_user, registry, console, screenshot
):
    approver = make_user(Role.TOWN_APPROVER, TOWN)
    person = registry["zhang"]
    page = console.attach(new_context().new_page())
    login(page, live_server, approver)

    page.goto(f"{live_server.url}/persons/{person.pk}/")
    assert registry["zhang_id"] not in page.content()  # masked until asked for
    assert not AuditEvent.objects.filter(action="reveal").exists()
    page.get_by_role("button", name="查看完整").click()
    id_cell = page.locator("#id-number")
    id_cell.get_by_text(registry["zhang_id"]).wait_for()
    assert "已记录查看" in id_cell.inner_text()
    screenshot(page, "registry-person-revealed")
    console.assert_clean()

    reveals = AuditEvent.objects.filter(action="reveal", object_type="person", object_id=str(person.pk))
    assert reveals.count() == 1
    assert reveals.get().username == approver.username


def test_worker_of_another_village_gets_the_404_page(live_server, new_context, make_user, registry, console, screenshot):
    outsider = make_user(Role.VILLAGE_WORKER, OTHER_VILLAGE)
    page = console.attach(new_context().new_page())
    login(page, live_server, outsider)

    response = page.goto(f"{live_server.url}/persons/{registry['zhang'].pk}/")
    assert response.status == 404
    assert "未找到" in page.locator("main").inner_text()
    html = page.content()
    assert "张三丰" not in html
    assert registry["zhang_id"] not in html
    assert_has_css(page)  # the error page keeps the layout
    screenshot(page, "registry-person-404")
    console.assert_clean(allow=(NOT_FOUND_CONSOLE,))

    # Their own 'zsf' is found; the other village's is not even listed.
    page.goto(f"{live_server.url}/persons/?q=zsf")
    assert "赵水法" in page.locator("#results").inner_text()
    assert "张三丰" not in page.locator("#results").inner_text()
    console.assert_clean()


@pytest.fixture
def phone_context(browser, browser_context_args):
    """A 390×844 touch screen (a common phone): is_mobile can only be set on a new context."""
    args = {**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    context = browser.new_context(**args)
    yield context
    context.close()


def test_search_page_fits_a_phone_screen(live_server, phone_context, make_user, registry, console, screenshot):
    worker = make_user(Role.VILLAGE_WORKER, VILLAGE)
    page = console.attach(phone_context.new_page())
    login(page, live_server, worker)

    page.goto(f"{live_server.url}/persons/?q=zsf")
    page.locator("#results tr", has_text="张三丰").wait_for()
    overflow = page.evaluate(
        """() => ({
            doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,
            viewport: document.documentElement.clientWidth })"""
    )
    assert overflow["doc"] <= overflow["viewport"], overflow
    assert overflow["body"] <= overflow["viewport"], overflow
    screenshot(page, "registry-search-phone")
    console.assert_clean()
