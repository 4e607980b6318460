"""预约和咨询 (issue 22 item 5): marriage appointments in the registry's own slots, the funeral
price list and 惠民殡葬 with an enquiry answered by the district, volunteer sign-up, and 群众留言
reaching the right staff's 待办 with a deadline in working days. Every permission rule is paired
with another citizen, another town or a village worker refused. The clock is frozen at
2026-12-04 (a Friday) 09:00."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from zoneinfo import ZoneInfo

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import Role
from minzheng.cases.tasks import workbench_feed
from minzheng.citizen import messages
from minzheng.citizen.models import CitizenAccount, CitizenMessage, SmsOutbox
from minzheng.citizen.tests.test_signin import last_code
from minzheng.core.audit import AuditEvent
from minzheng.core.crypto import blind_index, decrypt_text
from minzheng.core.errors import PermissionDenied, ValidationFailed
from minzheng.funerals import actions as funeral_actions
from minzheng.marriage import actions as marriage_actions
from minzheng.marriage.models import Appointment, Slot
from minzheng.volunteers import actions as volunteer_actions
from minzheng.volunteers.models import Volunteer
from minzheng.volunteers.selectors import list_volunteers_for

pytestmark = pytest.mark.django_db
DADONGMEN = "500102006001"  # 敦仁街道 大东门社区
DUNREN = "500102006"
OTHER_TOWN = "500102119"
D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def sign_in_as(client, person, phone: str):
    client.post("/citizen/signin/", {"phone": phone})
    client.post("/citizen/signin/code/", {"code": last_code(phone)})
    client.post("/citizen/bind/", {"name": person.name, "id_number": decrypt_text(person.id_number_encrypted)})
    return CitizenAccount.objects.get(phone_index=blind_index(phone))


@pytest.fixture
def citizen(client, make_person):
    """刘秀兰 (a woman of 大东门社区, born 1990) signed in and bound, with her account."""
    person = make_person(DADONGMEN, "刘秀兰", birth="19900315")
    return client, person, sign_in_as(client, person, "13812345678")


@pytest.fixture
def other_citizen(make_person):

    other = Client()
    person = make_person("500102119001", "赵敏", birth="19880101")
    return other, person, sign_in_as(other, person, "13900001111")


# ----------------------------------------------------------------------------------------------
# 婚姻登记预约
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def registrar(make_user, actor_of):
    return actor_of(make_user(Role.MARRIAGE_REGISTRAR, "500102", username="registrar"))


@pytest.fixture
def slots(registrar):
    office = marriage_actions.do_create_office(registrar, name="涪陵区婚姻登记处", address="涪陵区太极大道")
    first, second = marriage_actions.do_open_slots(
        registrar, office, day=D(2026, 12, 7), times=[(dt.time(9), dt.time(10)), (dt.time(10), dt.time(11))], capacity=1
    )
    return first, second


def test_a_citizen_books_a_slot_and_the_registry_lists_it_as_online(citizen, slots, registrar, client, make_user):
    client, person, account = citizen
    first, _ = slots
    page = client.get("/citizen/marriage/").content.decode()
    assert "涪陵区婚姻登记处 · 12月7日 09:00–10:00（余1个）" in page
    assert "您本人（刘秀兰）为一方当事人" in page
    done = client.post("/citizen/marriage/", {"slot": first.pk, "kind": "marriage", "other_name": "王建国"})
    assert done.status_code == 302 and done.url == "/citizen/marriage/"
    a = Appointment.objects.get()
    assert (a.slot_id, a.kind, a.man_name, a.woman_name, a.citizen_account_id, a.phone_masked, a.status, a.booked_on) == (
        first.pk, "marriage", "王建国", "刘秀兰", account.pk, "138****5678", "booked", D(2026, 12, 4),
    )
    assert Slot.objects.get(pk=first.pk).booked == 1
    mine = client.get("/citizen/marriage/").content.decode()
    assert f"预约号 {a.number} · 对方 王*国" in mine and "取消预约" in mine
    event = AuditEvent.objects.get(object_type="marriage.appointment", action="create")
    assert (event.actor_kind, event.summary) == ("citizen", f"网上预约 {a.number}：涪陵区婚姻登记处 2026-12-07 09:00")
    staff = client.__class__()
    staff.force_login(make_user(Role.MARRIAGE_REGISTRAR, "500102", username="registrar2"))
    listing = staff.get("/marriage/appointments/").content.decode()
    assert f"{a.number} · 2026-12-07 09:00 · 结婚登记 · 王建国、刘秀兰 · 已预约 · 网上预约" in listing


def test_a_full_slot_and_a_second_booking_are_refused_in_chinese(citizen, slots, registrar):
    client, _, _ = citizen
    first, second = slots
    marriage_actions.do_book_appointment(registrar, first, kind="marriage", man_name="张三", woman_name="李四")
    full = client.post("/citizen/marriage/", {"slot": first.pk, "kind": "marriage", "other_name": "王建国"})
    assert full.status_code == 422 and "该时段已约满，请选择其他时段" in full.content.decode()
    assert Appointment.objects.count() == 1
    assert "已约满" in client.get("/citizen/marriage/").content.decode()
    client.post("/citizen/marriage/", {"slot": second.pk, "kind": "marriage", "other_name": "王建国"})
    assert Appointment.objects.count() == 2
    second.refresh_from_db()
    again = client.post("/citizen/marriage/", {"slot": second.pk, "kind": "divorce", "other_name": "王建国"})
    assert "您已有一个预约（2026年12月7日 10:00），请先取消后再重新预约" in again.content.decode()
    assert Appointment.objects.count() == 2


def test_bad_booking_input_names_the_field_and_writes_nothing(citizen, slots):
    client, _, _ = citizen
    first, _ = slots
    blank = client.post("/citizen/marriage/", {"slot": first.pk, "kind": "marriage", "other_name": " "})
    assert blank.status_code == 422 and "请填写对方姓名" in blank.content.decode()
    no_slot = client.post("/citizen/marriage/", {"kind": "marriage", "other_name": "王建国"}).content.decode()
    assert "请选择预约时段" in no_slot
    bad_kind = client.post("/citizen/marriage/", {"slot": first.pk, "kind": "adoption", "other_name": "王建国"})
    assert bad_kind.status_code == 422
    assert not Appointment.objects.exists() and Slot.objects.get(pk=first.pk).booked == 0


def test_a_slot_already_begun_is_neither_listed_nor_booked(citizen, registrar):
    client, _, account = citizen
    office = marriage_actions.do_create_office(registrar, name="涪陵区婚姻登记处")
    begun, later = marriage_actions.do_open_slots(
        registrar, office, day=D(2026, 12, 4), times=[(dt.time(8, 30), dt.time(9, 30)), (dt.time(14), dt.time(15))], capacity=2
    )
    page = client.get("/citizen/marriage/").content.decode()
    assert "08:30–09:30" not in page and "12月4日 14:00–15:00（余2个）" in page
    refused = client.post("/citizen/marriage/", {"slot": begun.pk, "kind": "marriage", "other_name": "王建国"})
    assert refused.status_code == 422 and "该时段已约满或已过，请选择其他时段" in refused.content.decode()
    with pytest.raises(ValidationFailed) as e:
        marriage_actions.do_book_appointment_online(
            Actor.citizen(account.pk), begun.pk, kind="marriage", man_name="王建国", woman_name="刘秀兰", account_id=account.pk
        )
    assert e.value.errors == {"slot": "该时段已过，不能预约"}
    assert not Appointment.objects.exists()


def test_a_citizen_cancels_their_own_and_not_anothers(citizen, other_citizen, slots):
    client, _, account = citizen
    other, _, _ = other_citizen
    first, _ = slots
    client.post("/citizen/marriage/", {"slot": first.pk, "kind": "marriage", "other_name": "王建国"})
    a = Appointment.objects.get()
    assert a.number not in other.get("/citizen/marriage/").content.decode()
    refused = other.post(f"/citizen/marriage/{a.pk}/cancel/")
    assert refused.status_code == 404
    a.refresh_from_db()
    assert a.status == "booked" and Slot.objects.get(pk=first.pk).booked == 1
    assert client.get(f"/citizen/marriage/{a.pk}/cancel/").status_code == 405
    done = client.post(f"/citizen/marriage/{a.pk}/cancel/")
    assert done.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.cancelled_on) == ("cancelled", D(2026, 12, 4)) and Slot.objects.get(pk=first.pk).booked == 0
    twice = client.post(f"/citizen/marriage/{a.pk}/cancel/")
    assert twice.status_code == 409 and "该预约当前为“已取消”，不能取消" in twice.content.decode()
    assert AuditEvent.objects.filter(object_type="marriage.appointment", summary=f"群众取消网上预约 {a.number}", actor_kind="citizen").count() == 1


def test_the_online_booking_actions_refuse_staff(registrar, slots):

    with pytest.raises(PermissionDenied):
        marriage_actions.do_book_appointment_online(registrar, slots[0].pk, kind="marriage", man_name="甲", woman_name="乙", account_id=1)
    assert not Appointment.objects.exists()


# ----------------------------------------------------------------------------------------------
# 殡葬服务咨询
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def funeral_home():
    system = Actor.system("测试数据准备")
    home = funeral_actions.do_register_facility(
        system, name="涪陵区殡仪馆", kind="funeral_home", division_code="500102", opened_on=D(2010, 1, 1), address="涪陵区江东街道",
    )  # fmt: skip
    prices = {"transport": "300", "refrigeration_day": "80", "body_bag": "50", "cremation": "450", "urn": "200"}
    for item, price in prices.items():
        funeral_actions.do_file_price(system, home, item=item, price_yuan=Decimal(price), effective_from=D(2024, 1, 1), reference="涪发改价〔2024〕1号")
    funeral_actions.do_file_price(system, home, item="cremation", price_yuan=Decimal("480"), effective_from=D(2027, 1, 1), reference="涪发改价〔2026〕9号")
    return home


def test_the_price_list_and_waiver_are_public_and_the_enquiry_needs_a_real_name(client, funeral_home):
    page = client.get("/citizen/funeral/").content.decode()
    assert "涪陵区殡仪馆" in page and "涪陵区江东街道" in page
    assert "<span>遗体火化</span><strong>450.00 元</strong>" in page  # the price in force today, not next year's
    assert "480.00" not in page
    assert "城乡低保对象、特困人员（原城市三无、农村五保）、困难重点优抚对象去世后" in page
    assert "遗体冷藏（每日）（最多3天）" in page and "骨灰盒（200.00元以内）" in page
    assert "减免标准待本地文件确认" in page
    refused = client.post("/citizen/funeral/", {"text": "惠民殡葬怎么办理？"})
    assert refused.status_code == 302 and refused.url == "/citizen/signin/"
    assert not CitizenMessage.objects.exists()


def test_a_funeral_enquiry_reaches_the_district_funeral_staff_and_is_answered(citizen, funeral_home, make_user, actor_of):
    client, _, account = citizen
    short = client.post("/citizen/funeral/", {"text": "问"})
    assert short.status_code == 422 and "请写明您要反映或咨询的问题（至少5个字）" in short.content.decode()
    assert not CitizenMessage.objects.exists()
    done = client.post("/citizen/funeral/", {"text": "母亲是低保对象，火化费用怎么减免？"})
    assert done.url == "/citizen/messages/"
    m = CitizenMessage.objects.get()
    assert (m.topic, m.division_code, m.account_id, m.due_on) == ("funeral", "500102", account.pk, D(2026, 12, 11))
    district = actor_of(make_user(Role.DISTRICT_STAFF, "500102"))
    town = actor_of(make_user(Role.TOWN_OFFICER, DUNREN))
    assert list(messages.messages_to_answer_for(district)) == [m]
    assert list(messages.messages_to_answer_for(town)) == []  # the district's enquiry is not the town's
    messages.do_answer_message(district, m.pk, answer="低保对象火化费用由殡仪馆直接减免，请携带证明。")
    assert "低保对象火化费用由殡仪馆直接减免" in client.get("/citizen/messages/").content.decode()


# ----------------------------------------------------------------------------------------------
# 志愿者注册
# ----------------------------------------------------------------------------------------------


def test_a_citizen_signs_up_as_volunteer_once_with_consent(citizen, make_user, actor_of):
    client, person, _ = citizen
    form = client.get("/citizen/volunteer/").content.decode()
    assert "本人自愿登记为注册志愿者" in form
    refused = client.post("/citizen/volunteer/", {"skills": "护理"})
    assert refused.status_code == 422 and "须本人同意登记为注册志愿者，并同意记录志愿服务信息" in refused.content.decode()
    assert not Volunteer.objects.exists()
    done = client.post("/citizen/volunteer/", {"skills": "护理", "available_time": "周末", "consent": "on"})
    assert done.status_code == 302
    v = Volunteer.objects.get()
    assert (v.person_id, v.division_code, v.consent_on, v.registered_on, v.skills, v.available_time) == (
        person.pk, DADONGMEN, D(2026, 12, 4), D(2026, 12, 4), "护理", "周末",
    )
    assert "您已是注册志愿者" in client.get("/citizen/volunteer/").content.decode()
    client.post("/citizen/volunteer/", {"consent": "on"})
    assert Volunteer.objects.count() == 1
    with pytest.raises(ValidationFailed) as again:
        volunteer_actions.do_register_volunteer_online(Actor.citizen(1), person=person, consent=True)
    assert again.value.errors == {"consent": "您已是注册志愿者，无需重复登记"}
    village = actor_of(make_user(Role.VILLAGE_WORKER, DADONGMEN))
    other_village = actor_of(make_user(Role.VILLAGE_WORKER, "500102119001"))
    assert list(list_volunteers_for(village)) == [v] and list(list_volunteers_for(other_village)) == []
    event = AuditEvent.objects.get(object_type="volunteers.volunteer")
    assert (event.actor_kind, event.summary) == ("citizen", "志愿者网上自行注册：刘秀兰（本人在线同意）")


def test_a_minor_is_sent_to_the_village(client, make_person):
    minor = make_person(DADONGMEN, "周小雨", birth="20120601")
    sign_in_as(client, minor, "13700002222")
    refused = client.post("/citizen/volunteer/", {"consent": "on"})
    assert "未满18周岁的，请在监护人陪同下到所在村（社区）登记" in refused.content.decode()
    assert not Volunteer.objects.exists()


# ----------------------------------------------------------------------------------------------
# 群众留言
# ----------------------------------------------------------------------------------------------


@pytest.fixture
def staff(make_user, actor_of, client):
    return {
        "town": make_user(Role.TOWN_OFFICER, DUNREN, username="dunren_officer"),
        "other_town": make_user(Role.TOWN_OFFICER, OTHER_TOWN, username="other_officer"),
        "village": make_user(Role.VILLAGE_WORKER, DADONGMEN, username="dadongmen_worker"),
    }


def test_a_message_reaches_the_towns_workbench_and_the_answer_reaches_the_citizen(citizen, staff, actor_of, django_capture_on_commit_callbacks):
    client, _, account = citizen
    form = client.get("/citizen/messages/").content.decode()
    assert "工作人员一般在5个工作日内答复" in form and "敦仁街道" in form
    done = client.post("/citizen/messages/", {"topic": "assistance", "division_code": DUNREN, "text": "低保申请多久能有结果？"})
    assert done.url == "/citizen/messages/"
    m = CitizenMessage.objects.get()
    assert (m.number, m.topic, m.division_code, m.due_on, m.person_id) == (
        f"LY20261204{m.pk:05d}", "assistance", DUNREN, D(2026, 12, 11), account.person_id,
    )
    event = AuditEvent.objects.get(object_type="citizen.message", action="create")
    assert (event.actor_kind, event.summary) == ("citizen", f"群众留言 {m.number}：低保、特困、临时救助")
    town = actor_of(staff["town"])
    summary, items = workbench_feed(town)
    mine = [i for i in items if getattr(i, "label", "") == "群众留言"]
    assert [(i.title, i.deadline, i.overdue) for i in mine] == [(f"{m.number} · 低保、特困、临时救助", D(2026, 12, 11), False)]
    assert not [i for i in workbench_feed(actor_of(staff["other_town"]))[1] if getattr(i, "label", "") == "群众留言"]


    officer = Client()
    officer.force_login(staff["town"])
    assert 'href="/citizen-messages/"' in officer.get("/").content.decode()  # 群众留言 in the navigation
    page = officer.get(f"/citizen-messages/{m.pk}/").content.decode()
    assert "低保申请多久能有结果？" in page and "刘秀兰（实名，手机138****5678）" in page
    bad = officer.post(f"/citizen-messages/{m.pk}/", {"answer": "好"})
    assert bad.status_code == 422 and "请填写答复内容（至少5个字）" in bad.content.decode()
    assert CitizenMessage.objects.get().answered_at is None
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(f"/citizen-messages/{m.pk}/", {"answer": "您的申请已受理，正在入户调查，请耐心等待。"})
    m.refresh_from_db()
    assert m.answer == "您的申请已受理，正在入户调查，请耐心等待。" and m.answered_at is not None
    sms = SmsOutbox.objects.filter(phone_index=blind_index("13812345678")).latest("id")
    assert sms.text == f"【涪陵民政】您的留言{m.number}已答复。详情请登录涪陵民政网上办“我的留言”查看。"
    assert "您的申请已受理，正在入户调查" in client.get("/citizen/messages/").content.decode()
    assert list(messages.messages_to_answer_for(town)) == []
    assert officer.post(f"/citizen-messages/{m.pk}/", {"answer": "再次答复内容"}).status_code == 422
    assert CitizenMessage.objects.get().answer == "您的申请已受理，正在入户调查，请耐心等待。"


def test_another_town_gets_404_and_a_village_worker_403(citizen, staff):
    client, _, _ = citizen
    client.post("/citizen/messages/", {"topic": "assistance", "division_code": DUNREN, "text": "低保申请多久能有结果？"})
    m = CitizenMessage.objects.get()

    other, village = Client(), Client()
    other.force_login(staff["other_town"])
    village.force_login(staff["village"])
    assert other.get(f"/citizen-messages/{m.pk}/").status_code == 404
    assert other.post(f"/citizen-messages/{m.pk}/", {"answer": "越权答复内容"}).status_code == 404
    assert village.get(f"/citizen-messages/{m.pk}/").status_code == 403
    assert village.post(f"/citizen-messages/{m.pk}/", {"answer": "越权答复内容"}).status_code == 403
    assert village.get("/citizen-messages/").status_code == 403
    assert m.number not in other.get("/citizen-messages/").content.decode()
    assert CitizenMessage.objects.get().answered_at is None


def test_a_message_overdue_shows_as_overdue(citizen, staff, actor_of, travel):
    client, _, _ = citizen
    client.post("/citizen/messages/", {"topic": "other", "division_code": DUNREN, "text": "村里路灯坏了找谁？"})
    m = CitizenMessage.objects.get()
    travel(D(2026, 12, 14))
    town = actor_of(staff["town"])
    items = [i for i in workbench_feed(town)[1] if getattr(i, "label", "") == "群众留言"]
    assert [(i.deadline, i.overdue) for i in items] == [(D(2026, 12, 11), True)]

    officer = Client()
    officer.force_login(staff["town"])
    assert "已逾期" in officer.get("/citizen-messages/").content.decode()
    sign_in_as(client, CitizenAccount.objects.get().person, "13812345678")  # the session has long expired
    assert "已超期，正在督办" in client.get("/citizen/messages/").content.decode()
    assert m.number in client.get("/citizen/messages/").content.decode()


def test_messages_are_the_senders_own_and_limited_per_day(citizen, other_citizen, travel):
    client, _, account = citizen
    other, _, _ = other_citizen
    for n in range(messages.LIMITS.per_account_day):
        assert client.post("/citizen/messages/", {"topic": "other", "division_code": DUNREN, "text": f"第{n + 1}条留言内容"}).status_code == 302
    sixth = client.post("/citizen/messages/", {"topic": "other", "division_code": DUNREN, "text": "第6条留言内容"})
    assert sixth.status_code == 422 and "每个账号每天最多留言5条，请明天再试" in sixth.content.decode()
    assert CitizenMessage.objects.count() == 5
    assert "第1条留言内容" not in other.get("/citizen/messages/").content.decode()
    travel(dt.datetime(2026, 12, 5, 9, 1, tzinfo=SHANGHAI))
    account.refresh_from_db()
    nextday = messages.do_send_message(Actor.citizen(account.pk), account, topic="other", division_code=DUNREN, text="第二天的留言")
    assert (CitizenMessage.objects.count(), nextday.due_on) == (6, D(2026, 12, 11))  # sent on a Saturday: 5 working days from Monday


def test_bad_message_input_names_the_field_and_writes_nothing(citizen):
    client, _, _ = citizen
    page = client.post("/citizen/messages/", {"topic": "", "division_code": "999999999", "text": "短"})
    body = page.content.decode()
    assert page.status_code == 422
    assert "请选择留言事项" in body and "选择一个有效的选项" in body or "请选择留言送达" in body
    with pytest.raises(ValidationFailed) as refused:
        messages.do_send_message(Actor.citizen(1), CitizenAccount.objects.get(), topic="x", division_code="999", text="短")
    assert refused.value.errors == {
        "topic": "请选择留言事项", "division_code": "请选择留言送达的乡镇（街道）或区民政局", "text": "请写明您要反映或咨询的问题（至少5个字）",
    }
    assert not CitizenMessage.objects.exists()


def test_a_marriage_question_goes_to_the_district_registry(citizen, make_user, actor_of):
    client, _, _ = citizen
    client.post("/citizen/messages/", {"topic": "marriage", "division_code": DUNREN, "text": "补领结婚证要带什么？"})
    m = CitizenMessage.objects.get()
    assert m.division_code == "500102"
    registrar = actor_of(make_user(Role.MARRIAGE_REGISTRAR, "500102"))
    assert list(messages.messages_to_answer_for(registrar)) == [m]
    assert list(messages.messages_to_answer_for(actor_of(make_user(Role.TOWN_OFFICER, DUNREN)))) == []


def test_every_page_needs_a_real_name_except_the_funeral_information(client):
    for url in ("/citizen/marriage/", "/citizen/volunteer/", "/citizen/messages/"):
        assert client.get(url).url == "/citizen/signin/"
    assert client.get("/citizen/funeral/").status_code == 200
