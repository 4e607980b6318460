"""预约和咨询 on a 390 × 844 phone (issue 22 item 5): a bound citizen books a marriage
appointment (a full slot refused first) and cancels it, reads the funeral prices and asks a
question, signs up as a volunteer, and writes to the town; the town officer answers from the
workbench and the citizen reads the answer. Every page passes axe and fits the screen."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.citizen.models import CitizenMessage
from minzheng.core.crypto import decrypt_text
from minzheng.funerals import actions as funeral_actions
from minzheng.marriage import actions as marriage_actions
from minzheng.marriage.models import Appointment
from minzheng.volunteers.models import Volunteer
from tests.e2e.helpers import login, no_horizontal_overflow
from tests.e2e.test_rescue import axe_clean

pytestmark = pytest.mark.e2e
PHONE_SIZE = {"width": 390, "height": 844}


def checked(page) -> None:
    no_horizontal_overflow(page)
    axe_clean(page)


def test_book_ask_sign_up_and_read_the_answer(live_server, sized_context, make_person, make_user, actor_of, console, screenshot):
    person = make_person("500102006001", "刘秀兰", birth="19900315")
    registrar = actor_of(make_user(Role.MARRIAGE_REGISTRAR, "500102", username="registrar_e2e"))
    office = marriage_actions.do_create_office(registrar, name="涪陵区婚姻登记处")
    full, open_slot = marriage_actions.do_open_slots(
        registrar, office, day=dt.date(2026, 12, 7), times=[(dt.time(9), dt.time(10)), (dt.time(10), dt.time(11))], capacity=1
    )
    marriage_actions.do_book_appointment(registrar, full, kind="marriage", man_name="张三", woman_name="李四")
    system = Actor.system("测试数据准备")
    home = funeral_actions.do_register_facility(system, name="涪陵区殡仪馆", kind="funeral_home", division_code="500102", opened_on=dt.date(2010, 1, 1))
    for item, price in {"transport": "300", "refrigeration_day": "80", "body_bag": "50", "cremation": "450", "urn": "200"}.items():
        funeral_actions.do_file_price(system, home, item=item, price_yuan=Decimal(price), effective_from=dt.date(2024, 1, 1), reference="涪发改价〔2024〕1号")

    context = sized_context(viewport=PHONE_SIZE, is_mobile=True, has_touch=True, bypass_csp=True)
    page = console.attach(context.new_page())
    page.goto(f"{live_server.url}/citizen/")
    page.get_by_label("手机号码").fill("13812345678")
    page.get_by_role("button", name="获取验证码").click()
    code = re.search(r"验证码为(\d{6})", page.locator("#demo-sms").inner_text()).group(1)
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("姓名").fill("刘秀兰")
    page.get_by_label("身份证号码").fill(decrypt_text(person.id_number_encrypted))
    page.get_by_role("button", name="认证").click()
    page.get_by_role("heading", name="您好，刘秀兰").wait_for()
    checked(page)

    # 婚姻登记预约: the full slot refused, the open one booked, then cancelled.
    page.get_by_role("link", name="婚姻登记预约").click()
    page.get_by_label("涪陵区婚姻登记处 · 12月7日 09:00–10:00（已约满）").check()
    page.get_by_label("结婚登记").check()
    page.get_by_label("对方姓名").fill("王建国")
    page.get_by_role("button", name="提交预约").click()
    page.get_by_text("该时段已约满，请选择其他时段").wait_for()
    checked(page)
    page.get_by_label("涪陵区婚姻登记处 · 12月7日 10:00–11:00（余1个）").check()
    page.get_by_label("结婚登记").check()
    page.get_by_label("对方姓名").fill("王建国")
    page.get_by_role("button", name="提交预约").click()
    appointment = Appointment.objects.get(citizen_account_id__isnull=False)
    page.get_by_text(f"预约号 {appointment.number} · 对方 王*国").wait_for()
    checked(page)
    screenshot(page, "citizen-services-1-appointment")
    page.get_by_role("button", name="取消预约").click()
    page.locator("#my-appointments").get_by_text("已取消").wait_for()
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"

    # 殡葬服务: the prices, 惠民殡葬, and a question to the district.
    page.goto(f"{live_server.url}/citizen/funeral/")
    page.get_by_text("450.00 元").wait_for()
    checked(page)
    page.get_by_label("咨询内容").fill("母亲是低保对象，火化费用怎么减免？")
    page.get_by_role("button", name="提交咨询").click()
    page.get_by_role("heading", name="我的留言").wait_for()

    # 志愿者注册: consent required, then registered.
    page.goto(f"{live_server.url}/citizen/volunteer/")
    page.get_by_role("button", name="同意并注册").click()
    page.get_by_text("须本人同意登记为注册志愿者").wait_for()
    checked(page)
    page.get_by_label("本人自愿登记为注册志愿者", exact=False).check()
    page.get_by_role("button", name="同意并注册").click()
    page.get_by_role("heading", name="您已是注册志愿者").wait_for()
    assert Volunteer.objects.filter(person=person).count() == 1

    # 群众留言 to the town, answered from the town officer's workbench.
    page.goto(f"{live_server.url}/citizen/messages/")
    page.get_by_label("留言事项").select_option(label="低保、特困、临时救助")
    page.get_by_label("送达单位").select_option(label="敦仁街道")
    page.get_by_label("留言内容").fill("低保申请多久能有结果？")
    page.get_by_role("button", name="提交留言").click()
    message = CitizenMessage.objects.get(topic="assistance")
    page.get_by_text(message.number).wait_for()
    checked(page)
    screenshot(page, "citizen-services-2-messages")

    officer = make_user(Role.TOWN_OFFICER, "500102006", username="dunren_messages_e2e")
    staff_page = login(sized_context(viewport={"width": 1280, "height": 900}), live_server, officer, console)
    staff_page.goto(f"{live_server.url}/")
    staff_page.get_by_role("link", name=f"{message.number} · 低保、特困、临时救助").click()
    staff_page.get_by_label("答复内容").fill("您的申请已受理，正在入户调查，请耐心等待。")
    staff_page.get_by_role("button", name="答复").click()
    staff_page.get_by_text("已答复，群众将收到短信提醒。").wait_for()
    axe_clean(staff_page)

    page.reload()
    page.get_by_text("您的申请已受理，正在入户调查，请耐心等待。").wait_for()
    checked(page)
    screenshot(page, "citizen-services-3-answer")
    console.assert_clean(allow=("status of 422",))  # the full slot and the missing consent answer 422 on purpose
