"""Place names in a real browser: a town officer on a 390 px phone registers a road name from
the register (the pinyin suggested), a duplicate in the town is refused next to the name with
nothing written, then applies to rename it; the district's staff walks the renaming through
every step on the case page, documents attached, to its announcement."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.placenames.models import NamingCase, PlaceName
from tests.e2e.helpers import login, no_horizontal_overflow

pytestmark = pytest.mark.e2e

TOWN = "500102006"  # 敦仁街道
PHONE = {"width": 390, "height": 844}


def test_register_refuse_a_duplicate_and_walk_a_renaming(live_server, sized_context, make_user, console, screenshot):
    officer = make_user(Role.TOWN_OFFICER, TOWN, username="dunren_placenames")
    staff = make_user(Role.DISTRICT_STAFF, "500102", username="district_placenames")
    page = login(sized_context(viewport=PHONE, is_mobile=True, has_touch=True), live_server, officer, console)
    page.goto(f"{live_server.url}/placenames/places/")
    for attempt in range(2):
        page.get_by_role("link", name="登记地名").click()
        page.get_by_label("所在乡镇（街道）或村（社区）").select_option(label="敦仁街道")
        page.get_by_label("类别").select_option(label=page.locator("#id_category option").nth(1).inner_text())
        page.get_by_label("标准名称").fill("滨江路")
        page.get_by_role("button", name="登记").click()
        if attempt == 0:
            page.get_by_text("已登记地名：滨江路。").wait_for()
            page.goto(f"{live_server.url}/placenames/places/")
    page.get_by_text("同一乡镇（街道）已有同类地名“滨江路”，不能重名").wait_for()
    assert PlaceName.objects.count() == 1 and PlaceName.objects.get().pinyin == "Bīnjiānglù"
    no_horizontal_overflow(page)
    screenshot(page, "placenames-1-duplicate")
    page.goto(f"{live_server.url}/placenames/places/{PlaceName.objects.get().pk}/")
    page.get_by_role("link", name="申请更名").click()
    page.get_by_label("拟用名称").fill("望江路")
    page.get_by_label("申请单位").fill("敦仁街道办事处")
    page.get_by_role("button", name="提交申请").click()
    page.get_by_text("已提交更名申请：望江路。下一步：专家论证。").wait_for()
    no_horizontal_overflow(page)
    case = NamingCase.objects.get()

    page = login(sized_context(viewport={"width": 1280, "height": 900}), live_server, staff, console)
    page.goto(f"{live_server.url}/placenames/cases/{case.pk}/")
    for kind, step in (("专家论证意见", "专家论证"), ("公示材料", "社会公示"), ("批复文件", "批准"), ("公告", "公告")):
        page.get_by_label("材料类型").select_option(label=kind)
        page.get_by_label("标题").fill(kind)
        page.get_by_label("文号").fill("涪府地名〔2026〕3号" if kind == "批复文件" else "")
        page.get_by_role("button", name="添加材料").click()
        page.get_by_role("button", name=step, exact=True).click()
        page.wait_for_load_state("networkidle")
    case.refresh_from_db()
    assert (case.status, case.approval_no, case.result.name) == ("announced", "涪府地名〔2026〕3号", "望江路")
    screenshot(page, "placenames-2-announced")
