"""婚姻登记 in a real browser: the couple's booking list at phone width (390 px, no sideways
scroll), then the registrar at the desktop counter: the day's list, the registration with both
parties through the person picker, 准予登记, and the certificate record PDF downloaded and read
back."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.assistance.tests.pdftext import pdf_text
from minzheng.marriage import actions
from minzheng.marriage.models import Appointment, Marriage
from minzheng.registry.actions import do_add_household_member, do_create_household
from minzheng.registry.models import HouseholdMembership
from tests.e2e.helpers import login, no_horizontal_overflow, pick_person, submit

pytestmark = pytest.mark.e2e



def test_book_register_and_download_the_certificate(live_server, browser, browser_context_args, make_user, actor_of, make_person, id_number, console, tmp_path, system_actor):
    registrar = make_user(Role.MARRIAGE_REGISTRAR, "500102")
    office = actions.do_create_office(actor_of(registrar), name="涪陵区婚姻登记处")
    actions.do_open_slots(actor_of(registrar), office, day=dt.date(2026, 12, 4), times=[(dt.time(9), dt.time(10))], capacity=3)
    man = make_person("500102006001", "王建国", id_number=id_number("19980301", "011"))
    woman = make_person("500102119001", "李秀英", id_number=id_number("20000615", "022"))
    his = do_create_household(system_actor, head=man)
    hers = do_create_household(system_actor, head=make_person("500102119001", "李父"))
    do_add_household_member(system_actor, hers, woman, relation="child")

    phone = browser.new_context(**{**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True})
    page = login(phone, live_server, registrar, console)
    page.goto(f"{live_server.url}/marriage/appointments/")
    no_horizontal_overflow(page)
    form = page.locator("form.booking").first
    form.get_by_label("男方姓名").fill("王建国")
    form.get_by_label("女方姓名").fill("李秀英")
    form.get_by_role("button", name="预约").click()
    page.get_by_text("已预约，预约号").wait_for()
    no_horizontal_overflow(page)
    assert Appointment.objects.get().man_name == "王建国"
    phone.close()

    desk = browser.new_context(**{**browser_context_args, "viewport": {"width": 1366, "height": 900}, "accept_downloads": True})
    page = login(desk, live_server, registrar, console)
    page.goto(f"{live_server.url}/marriage/counter/")
    page.get_by_role("link", name="办理结婚登记").click()
    page.wait_for_url("**/marriage/marriages/new/**")  # the click does not wait for the new page
    pick_person(page, "man_person", "王建国", "王建国")
    pick_person(page, "woman_person", "李秀英", "李秀英")
    for label in ("双方亲自到场，已核验居民身份证", "双方完全自愿", "双方已签署《申请结婚登记声明书》（无配偶、无禁止结婚的亲属关系）", "双方无直系血亲和三代以内旁系血亲关系"):
        page.get_by_label(label).check()
    page.get_by_role("button", name="受理申请").click()
    page.get_by_text("已受理结婚登记申请").wait_for()
    submit(page, "action-register")
    page.get_by_text("已登记，结婚证字号").wait_for()
    m = Marriage.objects.get()
    with page.expect_download() as info:
        page.locator("#certificate-link").click()
    path = tmp_path / "certificate.pdf"
    info.value.save_as(path)
    text = "".join(pdf_text(path.read_bytes()).split())
    assert "结婚登记证书记录" in text and m.certificate_number in text and "王建国" in text and "李秀英" in text

    # the couple asks that she join his household: the registrar sends it to his village
    page.locator("#household-change-form").get_by_label("迁入的一方").select_option(label="女方迁入男方家庭")
    submit(page, "household-change-form")
    page.get_by_text("已转迁入家庭所在村（社区）办理").wait_for()
    assert page.locator("#household-change").get_by_text("待办理").count() == 1
    desk.close()

    # the village worker of 大东门社区, at phone width, finds it in the 待办 and does it
    village = make_user(Role.VILLAGE_WORKER, "500102006001")
    phone = browser.new_context(**{**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True})
    page = login(phone, live_server, village, console)
    page.get_by_text("李秀英 婚入").first.click()
    page.wait_for_url("**/household-requests/**")
    no_horizontal_overflow(page)
    page.get_by_role("button", name="办理（今日迁入）").click()
    page.get_by_text("已办理：李秀英加入").wait_for()
    no_horizontal_overflow(page)
    assert HouseholdMembership.objects.get(person=woman, valid_to__isnull=True).household_id == his.pk
    phone.close()
