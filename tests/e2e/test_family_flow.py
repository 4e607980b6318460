"""Issue 11, done-when (first part), through the UI only: a village worker, on a 390 × 844
phone screen, registers a new family of three (新增人员 → 立户 → two members added, each
registered in the same step), edits the facts the rules engine reads, and starts a 低保
application for the family from its household page (the applicant chosen with the person
picker); the town officer and the village worker carry it through, the district confirms.

Screenshots of each step are named family-*.png. The district's screening,
payroll and bank file are test_assistance_flow's (and the workbench's) part.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from minzheng.accounts.models import Role
from minzheng.assistance.models import Application, Enrolment
from minzheng.core.money import format_yuan
from minzheng.registry.models import Household, HouseholdMembership, Person
from tests.e2e.helpers import (
    district_confirms,
    login,
    submit,
    town_accepts,
    town_checks_and_reviews,
    town_closes_publicity,
    village_investigates,
    wait_for_htmx,
)

pytestmark = pytest.mark.e2e

VILLAGE = "500102006001"  # 敦仁街道 大东门社区 (urban)
TOWN = "500102006"
DISTRICT = "500102"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 768}}


def fits_the_screen(page):
    sizes = page.evaluate("() => ({doc: document.documentElement.scrollWidth, viewport: document.documentElement.clientWidth})")
    assert sizes["doc"] <= sizes["viewport"], sizes


def add_member(p, *, number: str, name: str, relation: str, reason: str):
    p.locator("[data-step='registry.add_member']").click()
    form = p.locator("#member-form")
    form.get_by_label("身份证号码").fill(number)
    form.get_by_label("姓名").fill(name)
    form.get_by_label("户口性质").select_option("non_agricultural")
    form.get_by_label("与户主关系").select_option(relation)
    form.get_by_label("加入原因").select_option(reason)
    submit(p, "member-form")
    assert f"已将{name}加入" in p.content()


def edit_facts(p, name: str, fill):
    p.locator("#member-table tr", has_text=name).get_by_role("link", name="编辑").click()
    fill(p.locator("#person-edit-form"))
    submit(p, "person-edit-form")
    assert f"已保存{name}的信息" in p.content()


def test_village_worker_registers_a_family_and_applies_for_dibao(live_server, sized_context, make_user, id_number, console, screenshot):
    worker = make_user(Role.VILLAGE_WORKER, VILLAGE, username="cun_jingban")
    colleague = make_user(Role.VILLAGE_WORKER, VILLAGE, username="cun_xieli")
    town = make_user(Role.TOWN_OFFICER, TOWN, username="zhen_jingban")
    district = make_user(Role.DISTRICT_STAFF, DISTRICT, username="qu_jiuzhuke")
    head_number = id_number("19580312", "131")
    today = timezone.localdate()

    # 1. 新增人员: the head, at phone width.
    p = login(sized_context(**PHONE), live_server, worker, console)
    p.goto(f"{live_server.url}/persons/new/")
    p.get_by_label("身份证号码").fill(head_number)
    p.get_by_label("姓名").fill("王建国")
    p.get_by_label("居住地村（社区）").select_option(VILLAGE)
    p.get_by_label("户口性质").select_option("non_agricultural")
    p.get_by_role("button", name="保存").click()
    p.wait_for_load_state("networkidle")
    assert "已新增人员 王建国" in p.content() and "当前未登记在任何家庭中" in p.content()
    assert head_number not in p.content()
    fits_the_screen(p)
    screenshot(p, "family-1-person")

    # 2. 立户 from the person page: the head comes chosen, the zone from the village.
    p.locator("[data-step='registry.establish']").click()
    assert p.locator("#id_head-picker .picked").inner_text().startswith("王建国")
    p.get_by_label("住址").fill("大东门社区人民路12号3单元")
    submit(p, "household-form")
    assert "已立户：王建国户（大东门社区人民路12号3单元）" in p.content()
    assert p.locator("h1").inner_text().startswith("王建国户")
    fits_the_screen(p)
    screenshot(p, "family-2-household")

    # 3. Two members, each registered in the same step.
    add_member(p, number=id_number("19620905", "242"), name="李秀英", relation="spouse", reason="marriage")
    add_member(p, number=id_number("20140601", "351"), name="王小军", relation="child", reason="birth")
    members = p.locator("#member-table tbody tr")
    assert members.count() == 3
    assert [members.nth(i).locator("td").nth(1).inner_text() for i in range(3)] == ["户主", "配偶", "子女"]
    fits_the_screen(p)
    screenshot(p, "family-3-members")

    # 4. The facts the rules engine reads.
    def head_facts(form):
        form.get_by_label("劳动能力").select_option("none")
        form.get_by_label("残疾类别").select_option("physical")
        form.get_by_label("残疾等级").select_option("2")
        form.get_by_label("转移净收入（元/月）").fill("300")

    def spouse_facts(form):
        form.get_by_label("患重特大疾病").check()
        form.get_by_label("工资性收入（元/月）").fill("500.50")

    def child_facts(form):
        form.get_by_label("在校学生").check()

    edit_facts(p, "王建国", head_facts)
    fits_the_screen(p)
    screenshot(p, "family-4-facts")
    p.locator("#household-link").click()
    edit_facts(p, "李秀英", spouse_facts)
    p.locator("#household-link").click()
    edit_facts(p, "王小军", child_facts)
    head = Person.objects.get(name="王建国")
    assert (head.work_capacity, head.disability_category, head.disability_grade, head.income_transfer_fen) == ("none", "physical", 2, 30000)
    assert Person.objects.get(name="李秀英").income_wage_fen == 50050
    assert Person.objects.get(name="王小军").student is True

    # 5. 申请低保 from the household page: the form comes with the head chosen; the worker
    # checks the picker by choosing him again by the last four digits of his number.
    p.locator("#household-link").click()
    p.locator("[data-step='assistance.apply_dibao']").click()
    assert p.get_by_label("救助项目").input_value() == "dibao"
    p.locator("#id_applicant-picker").get_by_role("button", name="更换").click()
    wait_for_htmx(p, "#id_applicant_q")  # the box arrives by a swap: search only once htmx has bound it
    box = p.get_by_label("申请人")
    box.fill(head_number[-4:])
    box.press("Enter")  # searches; never submits
    choice = p.locator("#id_applicant-results [data-pick]")
    choice.first.wait_for()
    assert choice.count() == 1 and head_number not in p.locator("#id_applicant-results").inner_text()
    choice.first.click()
    p.locator("#id_applicant-picker .picked").wait_for()
    p.get_by_label("申请理由").fill("户主肢体残疾无劳动能力，配偶患病，孩子在读")
    p.get_by_label("已签署《家庭经济状况核查授权书》").check()
    p.get_by_label("开户银行").fill("重庆农村商业银行涪陵分行")
    p.get_by_label("银行账号").fill("6228480000765432109")
    fits_the_screen(p)
    submit(p, "application-form")
    errors = p.locator(".error").all_inner_texts()
    assert "已登记申请" in p.content(), errors
    app = Application.objects.get()
    household = Household.objects.get(head=head)
    assert (app.program, app.household_id, app.applicant_id) == ("dibao", household.pk, head.pk)
    assert HouseholdMembership.objects.filter(household=household, valid_to__isnull=True).count() == 3
    # (the application page itself is the casework's; its phone layout is issue 11 item 4)
    screenshot(p, "family-5-application")

    # 6. The town accepts; the village visits; the town checks and approves at review.
    t = login(sized_context(**DESKTOP), live_server, town, console)
    town_accepts(t, live_server, app)
    village_investigates(p, live_server, app, colleague, on=today.isoformat())
    engine = town_checks_and_reviews(t)
    assert "家庭月人均收入低于当地低保标准" in engine
    screenshot(t, "family-6-publicity")

    # 7. A week later the 公示 has ended; the town closes it and the district confirms.
    later = timezone.localtime() + dt.timedelta(days=7)
    with time_machine.travel(later, tick=True):
        t2 = login(sized_context(**DESKTOP), live_server, town, console)
        t2.goto(f"{live_server.url}/assistance/applications/{app.pk}/")
        town_closes_publicity(t2)
        d = login(sized_context(**DESKTOP), live_server, district, console)
        district_confirms(d, live_server, app)
        screenshot(d, "family-7-confirmed")
    enrolment = Enrolment.objects.get()
    assert (enrolment.household_id, enrolment.amount_fen) == (household.pk, 186959)
    assert d.locator("#amount").inner_text() == format_yuan(enrolment.amount_fen) == "1,869.59"
    console.assert_clean()
