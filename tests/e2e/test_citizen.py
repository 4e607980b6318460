"""The citizens' site on a 390 × 844 phone (issue 22): a citizen signs in with the code the
SMS stand-in shows, mistypes it and is told how many tries are left, binds by name and ID number
(a wrong name refused without saying which part), and sees the household with the other member
masked; every page passes axe and fits the screen."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from minzheng.accounts.models import Role
from minzheng.assistance.models import Application
from minzheng.citizen.models import CitizenAccount
from minzheng.citizen.tests.test_apply import PDF, jpeg_with_exif
from minzheng.core.crypto import decrypt_text
from minzheng.registry.models import Household, Person
from tests.e2e.helpers import district_confirms, login, no_horizontal_overflow, submit, town_checks_and_reviews, town_closes_publicity, village_investigates
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


MONDAY = dt.date(2026, 11, 2)


def citizen_signs_in(page, live_server, *, phone: str, name: str, number: str) -> None:
    page.goto(f"{live_server.url}/citizen/")
    page.get_by_label("手机号码").fill(phone)
    page.get_by_role("button", name="获取验证码").click()
    code = re.search(r"验证码为(\d{6})", page.locator("#demo-sms").inner_text()).group(1)
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="登录").click()
    if page.get_by_role("heading", name="实名认证").count():
        page.get_by_label("姓名").fill(name)
        page.get_by_label("身份证号码").fill(number)
        page.get_by_role("button", name="认证").click()
    page.get_by_role("heading", name=f"您好，{name}").wait_for()


def test_from_the_phone_to_the_decision_with_a_correction_on_the_way(
    live_server, sized_context, new_context, make_household, make_user, console, screenshot, travel
):
    """Issue 22's done-when: a citizen applies for 低保 for the household, uploads two papers,
    answers a 补正 request and reads the decision; the village, the town and the district carry
    the same case through on the staff site."""
    travel(MONDAY)
    household = make_household("500102006001", names=("王大贵", "刘小芳"))
    people = list(Person.objects.filter(household=household).order_by("id"))
    Person.objects.filter(pk=people[0].pk).update(income_transfer_fen=30000, work_capacity="none")
    Person.objects.filter(pk=people[1].pk).update(income_wage_fen=50000)
    Household.objects.filter(pk=household.pk).update(financial_assets_fen=100000, zone="urban")
    number = decrypt_text(household.head.id_number_encrypted)
    village = make_user(Role.VILLAGE_WORKER, "500102006001", username="cun_jingban_online")
    village2 = make_user(Role.VILLAGE_WORKER, "500102006001", username="cun_xieli_online")
    town = make_user(Role.TOWN_OFFICER, "500102006", username="zhen_jingban_online")
    district = make_user(Role.DISTRICT_STAFF, "500102", username="qu_jiuzhuke_online")

    phone = sized_context(viewport=PHONE_SIZE, is_mobile=True, has_touch=True, bypass_csp=True)
    c = console.attach(phone.new_page())
    citizen_signs_in(c, live_server, phone="13912345678", name="王大贵", number=number)
    c.get_by_role("link", name="申请救助").click()
    c.get_by_label("最低生活保障（低保）：以家庭为单位").check()
    c.get_by_label("申请理由").fill("本人无劳动能力，妻子务工收入低")
    c.get_by_label("开户银行（可不填）").fill("重庆农村商业银行涪陵分行")
    c.get_by_label("银行账号（可不填）").fill("6228480000123456789")
    c.get_by_label("我已阅读并同意《家庭经济状况核查授权书》", exact=False).check()
    c.get_by_role("button", name="提交申请").click()
    c.get_by_text("当前：待受理").wait_for()
    for kind, name, content, mime in (
        ("户口簿、身份证", "IMG_0001.jpg", jpeg_with_exif(), "image/jpeg"),
        ("申请书", "申请书.pdf", PDF, "application/pdf"),
    ):
        c.locator("#papers").get_by_label("材料类型").select_option(label=kind)
        c.locator("#papers").get_by_label("拍照或选择文件", exact=False).set_input_files(files=[{"name": name, "mimeType": mime, "buffer": content}])
        c.get_by_role("button", name="上传").click()
        c.wait_for_load_state("networkidle")
    application = Application.objects.get()
    assert application.attachments.count() == 2

    # The town reads the papers, finds the wife's income proof missing, and tells the family once.
    t = login(new_context(), live_server, town, console)
    t.goto(f"{live_server.url}/assistance/")
    t.get_by_role("link", name=application.number).first.click()
    t.locator("#action-request_correction").get_by_label("需补正的材料或事项", exact=False).fill("请补交刘小芳的工资收入证明")
    submit(t, "action-request_correction")
    assert "已办理“补正告知”，当前环节：待受理" in t.content()
    assert "待补正" in t.locator("#corrections").inner_text()
    screenshot(t, "citizen-staff-correction")

    # The family reads the request on the phone and answers it with a photo of the proof.
    c.reload()
    request = c.locator("#correction")
    assert "请补交刘小芳的工资收入证明" in request.inner_text()
    no_horizontal_overflow(c)
    axe_clean(c)
    screenshot(c, "citizen-4-correction")
    request.get_by_label("补正说明").fill("已拍照上传刘小芳的工资收入证明")
    request.get_by_label("补交材料类型", exact=False).select_option(label="收入、财产证明")
    request.get_by_label("拍照或选择文件", exact=False).set_input_files(files=[{"name": "IMG_0002.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_exif()}])
    c.get_by_role("button", name="提交补正").click()
    c.locator("#corrections").get_by_text("已补正：已拍照上传刘小芳的工资收入证明").wait_for()
    assert c.locator("#correction").count() == 0 and application.attachments.count() == 3

    # The town sees the answer and accepts; the village visits; the town checks and reviews.
    t.reload()
    assert "已补正" in t.locator("#corrections").inner_text() and "IMG_0002.jpg" in t.content()
    submit(t, "action-accept")
    assert "当前环节：入户调查" in t.content()
    v = login(new_context(), live_server, village, console)
    village_investigates(v, live_server, application, village2, on="2026-11-02")
    town_checks_and_reviews(t)
    c.reload()
    c.get_by_text("当前：公示").wait_for()

    # After the week of 公示 the town closes it and the district confirms.
    case_url = t.url
    travel(MONDAY + dt.timedelta(days=7))
    t = login(new_context(), live_server, town, console)
    t.goto(case_url)
    town_closes_publicity(t)
    d = login(new_context(), live_server, district, console)
    district_confirms(d, live_server, application, figures=("每月保障金额\t960.00 元",))

    # The family reads the decision on the phone (signed in again: a week has passed).
    c = console.attach(phone.new_page())
    citizen_signs_in(c, live_server, phone="13912345678", name="王大贵", number=number)
    c.goto(f"{live_server.url}/citizen/cases/{application.pk}/")
    assert c.locator("#decision").inner_text() == "已批准：每月 960.00 元"
    history = c.locator("#progress").inner_text()
    for step in ("网上申请", "补正告知", "网上补正", "受理", "入户调查", "审核", "公示期满", "确认"):
        assert step in history, step
    no_horizontal_overflow(c)
    axe_clean(c)
    screenshot(c, "citizen-5-decision")
    console.assert_clean()
