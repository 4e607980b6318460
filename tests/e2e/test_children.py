"""Child welfare in a real browser at phone width (390 px): a village worker files a 强制报告
(a missing field first: the Chinese error next to it), registers an orphan found on a visit,
and opens the child's file; no page scrolls sideways."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.children.models import ProtectionCase, Recognition
from minzheng.core.crypto import decrypt_text

pytestmark = pytest.mark.e2e

PASSWORD = "test-pass-12345"
VILLAGE = "500102006001"


def login(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")


def no_horizontal_overflow(page):
    sizes = page.evaluate("() => ({doc: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth})")
    assert sizes["doc"] <= sizes["viewport"], sizes


@pytest.fixture
def phone(browser, browser_context_args):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    )
    yield context
    context.close()


def test_report_and_register_at_phone_width(live_server, phone, make_user, make_person, console, screenshot):
    worker = make_user(Role.VILLAGE_WORKER, VILLAGE)
    kid = make_person(VILLAGE, "王小明", birth="20150610")
    grandpa = make_person(VILLAGE, "王大爷", birth="19550302")
    page = console.attach(phone.new_page())
    login(page, live_server, worker)

    page.goto(f"{live_server.url}/children/protection/report/")
    no_horizontal_overflow(page)
    page.get_by_label("未成年人姓名").fill("王小明")
    page.get_by_label("报告主体").select_option("school")
    page.get_by_label("家庭暴力").check()
    page.get_by_role("button", name="提交报告").click()
    page.locator(".field.has-error", has_text="报告内容").wait_for()
    page.get_by_label("报告内容").fill("班主任发现学生手臂多处淤青")
    page.get_by_role("button", name="提交报告").click()
    page.get_by_text("强制报告已提交").wait_for()
    no_horizontal_overflow(page)
    screenshot(page, "children-report-phone")
    assert ProtectionCase.objects.get().harm_kinds == ["domestic_violence"]

    page.goto(f"{live_server.url}/children/recognitions/new/?q=王小明")
    page.locator("#found").get_by_role("link", name="王小明").first.click()
    page.get_by_label("儿童类别").select_option("orphan")
    page.get_by_label("来源").select_option("discovery")
    page.get_by_label("父母双方均死亡").check()
    page.get_by_label("监护人身份证号码").fill(decrypt_text(grandpa.id_number_encrypted))
    page.get_by_label("监护人与儿童关系").fill("祖父")
    no_horizontal_overflow(page)
    page.get_by_role("button", name="登记").click()
    page.get_by_text("待乡镇审核").first.wait_for()
    no_horizontal_overflow(page)
    screenshot(page, "children-recognition-phone")
    assert Recognition.objects.get().person_id == kid.pk

    page.get_by_role("link", name="王小明").click()
    page.get_by_text("儿童档案 · 王小明").wait_for()
    no_horizontal_overflow(page)
    assert decrypt_text(kid.id_number_encrypted) not in page.content()
    console.assert_clean(allow=("status of 400",))  # the form refused with its errors


def test_a_visit_and_a_mandatory_report_from_the_childs_file_at_phone_width(live_server, phone, make_user, make_person, console, screenshot):
    """The village worker opens a left-behind child's file at 390 px, records a visit (a
    missing field first), then files a 强制报告 for the same child from the file."""
    from minzheng.accounts.actor import Actor
    from minzheng.discovery.actions import do_register_left_behind
    from minzheng.discovery.models import Visit

    worker = make_user(Role.VILLAGE_WORKER, VILLAGE)
    kid = make_person(VILLAGE, "李小雨", birth="20160420")
    do_register_left_behind(Actor.system("测试"), kid, category="child", guardian="祖母 张某", risk_level="medium")
    page = console.attach(phone.new_page())
    login(page, live_server, worker)

    page.goto(f"{live_server.url}/children/files/{kid.pk}/")
    page.get_by_text("儿童档案 · 李小雨").wait_for()
    no_horizontal_overflow(page)
    form = page.locator("#visit-form")
    form.get_by_label("走访情况").fill("祖母照料尚可，孩子作业无人辅导")
    form.get_by_role("button", name="保存走访").click()
    page.locator("#visit-form .field.has-error", has_text="走访地点").wait_for()
    assert not Visit.objects.exists()
    form = page.locator("#visit-form")
    form.get_by_label("走访地点").fill("家中")
    form.get_by_label("走访情况").fill("祖母照料尚可，孩子作业无人辅导")
    form.get_by_label("走访后风险等级").select_option("medium")
    form.get_by_role("button", name="保存走访").click()
    page.get_by_text("走访已记录").wait_for()
    assert page.locator("#visits").inner_text().count("孩子作业无人辅导") == 1
    no_horizontal_overflow(page)
    screenshot(page, "children-file-visit-phone")
    assert Visit.objects.get().findings == "祖母照料尚可，孩子作业无人辅导"

    page.locator("#report-link").click()
    page.get_by_label("未成年人姓名").wait_for()
    assert page.get_by_label("未成年人姓名").input_value() == "李小雨"
    page.get_by_label("报告主体").select_option("village")
    page.get_by_label("遗弃、无人照料").check()
    page.get_by_label("报告内容").fill("走访发现孩子连续两晚独自在家")
    no_horizontal_overflow(page)
    page.get_by_role("button", name="提交报告").click()
    page.get_by_text("强制报告已提交").wait_for()
    no_horizontal_overflow(page)
    case = ProtectionCase.objects.get()
    assert (case.person_id, case.reporter_kind, case.harm_kinds) == (kid.pk, "village", ["abandonment"])
    assert decrypt_text(kid.id_number_encrypted) not in page.content()
    console.assert_clean(allow=("status of 400",))


def test_institution_and_network_screens_at_phone_width(live_server, phone, make_user, make_person, console):
    from minzheng.accounts.actor import Actor
    from minzheng.children.actions import InstitutionInput, do_admit_child, do_save_institution

    staff = make_user(Role.DISTRICT_STAFF, "500102")
    kid = make_person(VILLAGE, "赵小丽", birth="20180808")
    home = do_save_institution(Actor.system("测试"), InstitutionInput(name="涪陵区儿童福利院", division_code="500102007010", beds=100, floor_area_m2=3500))
    do_admit_child(Actor.system("测试"), home, person_id=kid.pk, admitted_on=kid.birth_date.replace(year=2026), reason="abandoned")
    page = console.attach(phone.new_page())
    login(page, live_server, staff)
    page.goto(f"{live_server.url}/children/institutions/{home.pk}/")
    page.locator("#occupancy").wait_for()
    assert "入住率 1.0%" in page.locator("#occupancy").inner_text()
    no_horizontal_overflow(page)
    page.goto(f"{live_server.url}/children/network/")
    page.locator("#network-map[data-ready='1']").wait_for()
    no_horizontal_overflow(page)
    console.assert_clean()
