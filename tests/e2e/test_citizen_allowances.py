"""两项补贴 online on a 390 × 844 phone (issue 22 item 3): a bound citizen applies for the
severe-disability care subsidy for their disabled son (chosen among the household's members,
masked), is told a wrong grade, sends a photo of the certificate, and the town officer finds the
case on the 待办 marked 网上申请; every citizen page passes axe and fits the screen."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.citizen.tests.test_apply import jpeg_with_exif
from minzheng.core.crypto import decrypt_text
from minzheng.disability.models import SubsidyApplication
from minzheng.registry.actions import do_add_household_member
from tests.e2e.helpers import login, no_horizontal_overflow
from tests.e2e.test_citizen import PHONE_SIZE
from tests.e2e.test_rescue import axe_clean

pytestmark = pytest.mark.e2e


def test_a_citizen_applies_for_the_care_subsidy_and_the_town_sees_it_online(
    live_server, sized_context, make_household, make_person, make_user, system_actor, id_number, console, screenshot
):
    household = make_household("500102006001", names=("刘建国", "刘秀兰"))
    son = make_person("500102006001", "刘小军", id_number=id_number("19900415", "321"))
    do_add_household_member(system_actor, household, son, relation="child")
    head_number, son_number = decrypt_text(household.head.id_number_encrypted), decrypt_text(son.id_number_encrypted)
    context = sized_context(viewport=PHONE_SIZE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = console.attach(context.new_page())
    page.goto(f"{live_server.url}/citizen/")
    page.get_by_label("手机号码").fill("13812345678")
    page.get_by_role("button", name="获取验证码").click()
    code = page.locator("#demo-sms").inner_text().split("验证码为")[1][:6]
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("姓名").fill("刘建国")
    page.get_by_label("身份证号码").fill(head_number)
    page.get_by_role("button", name="认证").click()
    page.get_by_role("heading", name="您好，刘建国").wait_for()

    page.get_by_role("link", name="申请救助").click()
    page.get_by_role("link", name="残疾人两项补贴").click()
    page.get_by_role("heading", name="申请残疾人两项补贴").wait_for()
    body = page.locator("main").inner_text()
    assert "刘*军" in body and "刘小军" not in body and son_number not in body
    no_horizontal_overflow(page)
    axe_clean(page)
    screenshot(page, "citizen-allowances-1-form")
    page.get_by_label("刘*军", exact=False).check()
    page.get_by_label("重度残疾人护理补贴").check()
    page.get_by_label("残疾人证号", exact=False).fill(f"{son_number}42")
    page.get_by_label("残疾类别").select_option(label="肢体残疾")
    page.get_by_label("残疾等级").select_option(label="三级")
    page.get_by_label("发证日期").fill("2026-03-10")
    page.get_by_role("button", name="提交申请").click()
    page.get_by_text("残疾人证号第20位（残疾等级）与所填残疾等级不一致").wait_for()
    assert not SubsidyApplication.objects.exists()
    axe_clean(page)
    page.get_by_label("残疾等级").select_option(label="二级")
    page.get_by_role("button", name="提交申请").click()
    page.get_by_text("当前：待受理").wait_for()
    page.get_by_label("残疾人证照片", exact=False).set_input_files(
        files=[{"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_exif()}]
    )
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state("networkidle")
    assert "残疾人证照片" in page.locator("#papers").inner_text()
    no_horizontal_overflow(page)
    axe_clean(page)
    screenshot(page, "citizen-allowances-2-case")
    application = SubsidyApplication.objects.get()
    assert (application.channel, application.person_id, application.photos.count()) == ("online", son.pk, 1)
    page.get_by_role("link", name="返回我的申请").click()
    assert application.number in page.locator("main").inner_text()
    no_horizontal_overflow(page)
    axe_clean(page)

    # The town officer finds it on the 待办, marked 网上申请, with the photo.
    officer = make_user(Role.TOWN_OFFICER, "500102006", username="dunren_allowances_e2e")
    staff_page = login(sized_context(viewport={"width": 1280, "height": 900}), live_server, officer, console)
    staff_page.goto(f"{live_server.url}/")
    staff_page.get_by_role("link", name=f"{application.number}（网上申请）").click()
    staff_page.get_by_role("heading", name=f"重度残疾人护理补贴 {application.number}", exact=False).wait_for()
    assert "网上申请，由家庭成员刘建国提交" in staff_page.locator("main").inner_text()
    assert staff_page.get_by_role("link", name="残疾人证照片1").count() == 1
    console.assert_clean()
