"""The citizens' site on a 390 × 844 phone (issue 22): a citizen signs in with the code the
SMS stand-in shows, mistypes it and is told how many tries are left, binds by name and ID number
(a wrong name refused without saying which part), and sees the household with the other member
masked; every page passes axe and fits the screen."""

from __future__ import annotations

import re

import pytest

from minzheng.accounts.models import Role
from minzheng.assistance.models import Application
from minzheng.citizen.models import CitizenAccount
from minzheng.citizen.tests.test_apply import PDF, jpeg_with_exif
from minzheng.core.crypto import decrypt_text
from tests.e2e.helpers import login, no_horizontal_overflow, submit
from tests.e2e.test_rescue import axe_clean

pytestmark = pytest.mark.e2e
PHONE_SIZE = {"width": 390, "height": 844}


def test_sign_in_bind_apply_and_the_town_accepts(live_server, sized_context, make_household, make_user, console, screenshot):
    household = make_household("500102006001", names=("刘建国", "刘秀兰"))
    number = decrypt_text(household.head.id_number_encrypted)
    context = sized_context(viewport=PHONE_SIZE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = console.attach(context.new_page())
    page.goto(f"{live_server.url}/citizen/")
    page.get_by_label("手机号码").fill("138 1234 5678")
    axe_clean(page)
    page.get_by_role("button", name="获取验证码").click()
    page.get_by_text("验证码已发送至 138****5678").wait_for()
    demo = page.locator("#demo-sms").inner_text()
    code = re.search(r"验证码为(\d{6})", demo).group(1)
    page.get_by_label("短信验证码").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="登录").click()
    page.get_by_text("验证码不正确，还可以再试4次").wait_for()
    no_horizontal_overflow(page)
    axe_clean(page)
    screenshot(page, "citizen-1-wrong-code")
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("heading", name="实名认证").wait_for()
    page.get_by_label("姓名").fill("刘建")
    page.get_by_label("身份证号码").fill(number)
    page.get_by_role("button", name="认证").click()
    page.get_by_text("姓名与身份证号码不一致").wait_for()
    assert CitizenAccount.objects.get().person_id is None
    axe_clean(page)
    page.get_by_label("姓名").fill("刘建国")
    page.get_by_label("身份证号码").fill(number)
    page.get_by_role("button", name="认证").click()
    page.get_by_role("heading", name="您好，刘建国").wait_for()
    body = page.locator("main").inner_text()
    assert "刘*兰" in body and "刘秀兰" not in body and number not in body
    no_horizontal_overflow(page)
    axe_clean(page)
    screenshot(page, "citizen-2-home")

    # Apply for 低保 for the household, the authorization signed on screen; two papers from the phone.
    page.get_by_role("link", name="申请救助").click()
    page.get_by_label("最低生活保障（低保）：以家庭为单位").check()
    page.get_by_label("申请理由").fill("丈夫患病住院，家中无固定收入")
    page.get_by_role("button", name="提交申请").click()
    page.get_by_text("须同意《家庭经济状况核查授权书》后方可提交").wait_for()
    page.get_by_label("我已阅读并同意《家庭经济状况核查授权书》", exact=False).check()
    page.get_by_role("button", name="提交申请").click()
    page.get_by_text("当前：待受理").wait_for()
    for kind, name, content, mime in (
        ("户口簿、身份证", "IMG_0001.jpg", jpeg_with_exif(), "image/jpeg"),
        ("收入、财产证明", "收入证明.pdf", PDF, "application/pdf"),
    ):
        page.get_by_label("材料类型").select_option(label=kind)
        page.get_by_label("拍照或选择文件", exact=False).set_input_files(files=[{"name": name, "mimeType": mime, "buffer": content}])
        page.get_by_role("button", name="上传").click()
        page.wait_for_load_state("networkidle")
    papers = page.locator("#papers").inner_text()
    assert "户口簿、身份证" in papers and "收入、财产证明" in papers
    no_horizontal_overflow(page)
    axe_clean(page)
    screenshot(page, "citizen-3-case")
    application = Application.objects.get()
    assert application.channel == "online" and application.attachments.count() == 2

    # The town officer finds it on the workbench, marked 网上申请, and accepts it.
    officer = make_user(Role.TOWN_OFFICER, "500102006", username="dunren_online_e2e")
    staff_page = login(sized_context(viewport={"width": 1280, "height": 900}), live_server, officer, console)
    staff_page.goto(f"{live_server.url}/")
    staff_page.get_by_role("link", name=f"{application.number}（网上申请）").click()
    submit(staff_page, "action-accept")
    page.reload()
    page.get_by_text("当前：入户调查").wait_for()
    page.get_by_role("button", name="退出").click()
    page.get_by_role("heading", name="登录").wait_for()
    console.assert_clean()
