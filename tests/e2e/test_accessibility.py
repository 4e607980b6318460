"""Accessibility and phone width of every page a demo role reaches (issue 11 §4, §10).

One small demo district (as tests/test_every_page.py builds it, `minzheng demo` at scale 0.002)
serves both checks, so the setup is paid once:

- for every demo account, at 1366 × 768: the workbench, every module of its navigation and,
  one level deep, the pages those link to (one URL per route pattern — the key detail pages;
  one account per role: the second town's accounts see the same screens);
  axe-core (npm, copied to var/vendor/axe-core/ by scripts/install, never served) runs on each
  with the WCAG 2.1 A/AA rules, and any violation of impact serious or critical fails;
- for the village (community) workers, the same pages at 390 × 844: nothing is wider than the
  screen (document.documentElement.scrollWidth ≤ 390), the header stays under 15 % of the
  height, and the 菜单 button opens the module menu.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from minzheng.accounts.actions import DEMO_PASSWORD, demo_accounts
from minzheng.accounts.models import Role

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

HREF = re.compile(r'^(/[^#?]*)')
SKIP = ("/static/", "/logout/", "/media/", "/api/", "/admin/", "/password/")
FILE_SUFFIXES = (".xlsx", ".pdf", ".docx", ".csv", ".zip")
LINKS_PER_MODULE = 10
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

RUN_AXE = """async (tags) => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => (
    {id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' ' + (n.failureSummary || '').split('\\n').slice(1, 2).join(''))}
  ));
}"""


def axe_source() -> str:
    for path in (Path(settings.BASE_DIR) / "var" / "vendor" / "axe-core" / "axe.min.js",
                 Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"):  # fmt: skip
        if path.exists():
            return path.read_text(encoding="utf-8")
    pytest.fail("找不到 axe-core：请先运行 scripts/install（npm 安装 axe-core 并复制到 var/vendor/axe-core/）")


def pattern_of(url: str) -> str:
    return re.sub(r"\d+", "{n}", url)


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)


def same_site_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all("main a[href], nav a[href]", "els => els.map(e => e.getAttribute('href'))")
    out = []
    for h in hrefs:
        m = HREF.match(h or "")
        if m and not m.group(1).startswith(SKIP) and not m.group(1).endswith(FILE_SUFFIXES):
            out.append(m.group(1))
    return out


def pages_of(page, base: str) -> list[str]:
    """The workbench, the navigation's modules, and one page per route pattern they link to."""
    page.goto(f"{base}/")
    modules = ["/", *[u for u in page.eval_on_selector_all('nav[aria-label="模块"] a', "els => els.map(e => e.getAttribute('href'))") if u != "/"]]
    urls, patterns = [], set()

    def add(url):
        if pattern_of(url) not in patterns:
            patterns.add(pattern_of(url))
            urls.append(url)

    for url in modules:
        add(url)
    for url in modules:
        response = page.goto(base + url)
        if response is None or response.status != 200:
            continue
        for link in sorted(set(same_site_links(page)))[:LINKS_PER_MODULE]:
            add(link)
    return urls


def open_page(page, base: str, url: str) -> bool:
    response = page.goto(base + url)
    if response is None or response.status != 200 or "text/html" not in (response.headers.get("content-type") or ""):
        return False
    page.wait_for_load_state("load")
    return True


@pytest.fixture
def demo_district(transactional_db):
    call_command("demo", "--no-serve", "--scale", "0.002", "--seed", "7", verbosity=0)


def test_every_page_of_every_demo_role_passes_axe_and_fits_a_phone(live_server, browser, demo_district, screenshot):
    base = live_server.url
    source = axe_source()
    violations: list[str] = []
    too_wide: list[str] = []
    checked = 0
    roles_seen = set()
    for username, role, *_ in demo_accounts():
        if role in roles_seen:  # the second town's accounts see the same screens
            continue
        roles_seen.add(role)
        context = browser.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai", bypass_csp=True)
        page = context.new_page()
        page.set_default_timeout(60_000)
        login(page, base, username)
        if role == Role.DISTRICT_LEADER:
            assert page.url == f"{base}/planning/", "领导登录后应进入驾驶舱"
        urls = pages_of(page, base)
        for url in urls:
            if not open_page(page, base, url):
                continue
            checked += 1
            page.evaluate(source)
            for v in page.evaluate(RUN_AXE, AXE_TAGS):
                violations.append(f"{username} {url}: [{v['impact']}] {v['id']} {v['help']} — {'; '.join(v['nodes'])}")
        context.close()

        if role != Role.VILLAGE_WORKER:
            continue
        context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai", is_mobile=True, has_touch=True)
        page = context.new_page()
        page.set_default_timeout(60_000)
        login(page, base, username)
        header = page.locator("header.topbar").bounding_box()
        assert header["height"] < 0.15 * PHONE["height"], f"页眉高 {header['height']} px，超过屏幕高度的 15%"
        menu = page.get_by_role("button", name="菜单")
        assert not page.locator("#site-menu").is_visible()
        menu.click()
        assert page.locator("#site-menu").is_visible() and menu.get_attribute("aria-expanded") == "true"
        screenshot(page, f"phone-{username}-menu")
        for url in urls:
            if not open_page(page, base, url):
                continue
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide.append(f"{username} {url}: scrollWidth {width}")
                screenshot(page, f"phone-too-wide-{username}-{pattern_of(url).strip('/').replace('/', '_') or 'home'}")
        context.close()
    assert checked > 40
    assert violations == [], "axe-core 严重/关键问题：\n" + "\n".join(violations)
    assert too_wide == [], "手机宽度（390 px）下页面超宽：\n" + "\n".join(too_wide)
