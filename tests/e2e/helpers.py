"""Shared steps of the browser tests: logging in, submitting a form, and carrying a 低保
application through the casework (accept → home visit → economic check and review → 公示
closed → district confirmation), as test_assistance_flow and test_family_flow both do."""

from __future__ import annotations

PASSWORD = "test-pass-12345"  # the make_user fixture's default


def login(context, live_server, user, console):
    """A new page of ``context``, logged in as ``user``, watched for console errors."""
    page = console.attach(context.new_page())
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")
    return page


def wait_for_htmx(page, selector: str):
    """Wait until htmx has processed the element (its internal data is set): typing into a box
    htmx has not bound yet sends no search — after a page load or after a swap alike."""
    page.wait_for_function(
        "selector => { const el = document.querySelector(selector); return !!el && el['htmx-internal-data'] !== undefined; }",
        arg=selector,
    )


def pick_person(page, field: str, query: str, name: str):
    """Choose a person in a form's person picker (registry/_person_picker.html), once htmx has
    bound its box."""
    page.wait_for_load_state("load")
    wait_for_htmx(page, f"#id_{field}_q")
    page.locator(f"#id_{field}_q").fill(query)
    page.locator(f"#id_{field}-results").get_by_role("button", name=name).first.click()
    page.locator(f"#id_{field}-picker .picked").wait_for()


def submit(page, form_id: str):
    page.locator(f"#{form_id} button[type=submit]").click()
    page.wait_for_load_state("networkidle")


def town_accepts(page, live_server, app):
    """The town officer opens the case from the 待办 list and accepts it."""
    page.goto(f"{live_server.url}/assistance/")
    page.get_by_role("link", name=app.number).click()
    submit(page, "action-accept")
    assert "当前环节：入户调查" in page.content()


def village_investigates(page, live_server, app, colleague, *, on: str):
    """The village worker records the home visit with a colleague."""
    page.goto(f"{live_server.url}/assistance/applications/{app.pk}/")
    form = page.locator("#action-investigate")
    form.get_by_label("第二调查人").select_option(str(colleague.pk))
    form.get_by_label("调查日期").fill(on)
    form.get_by_label("居住及生活状况").fill("老旧住房，家具简陋")
    form.get_by_label("调查结论").fill("收入来源少，情况属实")
    form.get_by_label("调查意见").select_option("approve")
    submit(page, "action-investigate")
    assert "当前环节：家庭经济状况核对" in page.content()


def town_checks_and_reviews(page) -> str:
    """The town completes the economic check and approves at review (公示 starts); returns
    the engine's explanation as shown."""
    page.reload()
    submit(page, "action-check_economy")
    assert "当前环节：审核" in page.content()
    engine = page.locator("#engine").inner_text()
    page.locator("#action-review").get_by_label("审核意见").select_option("approve")
    submit(page, "action-review")
    assert "当前环节：公示" in page.content()
    return engine


def town_closes_publicity(page):
    page.reload()
    submit(page, "action-close_publicity")
    assert "当前环节：审核确认" in page.content()


def district_confirms(page, live_server, app, *, figures: tuple[str, ...] = ()):
    """确认 shows what will happen first (people, monthly amount, first month); then confirm."""
    page.goto(f"{live_server.url}/assistance/")
    page.get_by_role("link", name=app.number).click()
    submit(page, "action-approve")
    shown = page.locator("#confirm-figures").inner_text()
    for figure in figures:
        assert figure in shown, (figure, shown)
    submit(page, "confirm-form")
    assert "当前环节：已确认" in page.content()


def no_horizontal_overflow(page):
    """Nothing is wider than the screen, measured on the page as shown: after a form post the
    new page and its styles must have loaded first."""
    page.wait_for_load_state("load")
    page.wait_for_load_state("networkidle")
    sizes = page.evaluate(
        "() => ({doc: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth})"
    )
    assert sizes["doc"] <= sizes["viewport"], sizes
