"""收养登记 in a real browser at phone width (390 px), by the roles that do it: the district
registrar applies (adopters and child through the person picker; a missing field first: the
Chinese error next to it), checks in the missing paper, accepts, records the assessment,
registers and prints the certificate (read back); the town officer of the child's town records
the first 回访 from the workbench. No page scrolls sideways; axe finds nothing serious."""

from __future__ import annotations

import pytest

from minzheng.accounts.models import Role
from minzheng.adoption.models import Adoption, FollowUpVisit
from minzheng.assistance.tests.pdftext import pdf_text
from minzheng.registry.actions import do_add_household_member, do_create_household
from tests.e2e.helpers import login, no_horizontal_overflow, pick_person, submit
from tests.e2e.test_accessibility import AXE_TAGS, RUN_AXE, axe_source

pytestmark = pytest.mark.e2e

VILLAGE = "500102006001"


def axe_clean(page):
    page.evaluate(axe_source())
    violations = page.evaluate(RUN_AXE, AXE_TAGS)
    assert violations == [], violations



@pytest.fixture
def phone(browser, browser_context_args):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "bypass_csp": True}
    )
    yield context
    context.close()


def test_an_adoption_from_application_to_certificate_at_phone_width(
    live_server, phone, make_user, make_person, id_number, system_actor, console, screenshot, travel
):
    registrar = make_user(Role.DISTRICT_STAFF, "500102")
    town = make_user(Role.TOWN_OFFICER, "500102006")
    husband = make_person(VILLAGE, "李建国", id_number=id_number("19850301", "311"))
    wife = make_person(VILLAGE, "陈秀英", id_number=id_number("19870615", "322"))
    home = do_create_household(system_actor, head=husband)
    do_add_household_member(system_actor, home, wife, relation="spouse")
    grandma = make_person(VILLAGE, "王婆婆", id_number=id_number("19580210", "332"))
    kid = make_person(VILLAGE, "王小花", id_number=id_number("20200501", "342"))
    do_add_household_member(system_actor, do_create_household(system_actor, head=grandma), kid, relation="grandchild")

    page = login(phone, live_server, registrar, console)
    page.goto(f"{live_server.url}/adoption/new/")
    no_horizontal_overflow(page)
    pick_person(page, "child", "王小花", "王小花")
    page.get_by_label("被收养人情形").select_option("orphan")
    page.get_by_label("送养人", exact=True).select_option("guardian")
    pick_person(page, "adopter", "李建国", "李建国")
    page.get_by_label("收养人有配偶").check()
    pick_person(page, "co_adopter", "陈秀英", "陈秀英")
    for paper in ("收养申请书", "收养人居民身份证和户口簿", "收养人婚姻状况证明", "收养人县级以上医疗机构出具的体检证明",
                  "收养人无违法犯罪记录证明", "送养人身份证明或儿童福利机构证明", "送养协议或同意送养的书面意见"):  # fmt: skip
        page.get_by_label(paper).check()
    page.get_by_role("button", name="登记申请").click()
    page.locator(".field.has-error", has_text="送养人或儿童福利机构名称").get_by_text("此项为必填项").wait_for()
    assert Adoption.objects.count() == 0
    page.get_by_label("送养人或儿童福利机构名称").fill("王婆婆（祖母，监护人）")
    page.get_by_role("button", name="登记申请").click()
    page.get_by_text("已登记收养申请").wait_for()
    adoption = Adoption.objects.get()
    no_horizontal_overflow(page)
    axe_clean(page)
    screenshot(page, "adoption-applied-phone")

    submit(page, "action-accept")  # the orphan's proof is missing
    page.get_by_text("办理“受理”前须上传：被收养人父母死亡或宣告死亡的证明").wait_for()
    page.locator("#document-form").get_by_label("补交材料").select_option("orphan_proof")
    submit(page, "document-form")
    page.get_by_text("已收件").first.wait_for()
    submit(page, "action-accept")
    page.get_by_text("已办理“受理”").wait_for()

    form = page.locator("#action-assess")
    form.get_by_label("评估人员").fill("赵敏、钱进")
    form.get_by_label("评估开始日期").fill("2026-12-01")
    form.get_by_label("报告日期").fill("2026-12-04")
    form.get_by_label("评估结论").select_option("suitable")
    form.get_by_label("评估意见").fill("收养动机端正，家庭和睦")
    for label in ("收养动机", "道德品行", "受教育程度", "健康状况", "经济及住房条件", "婚姻家庭关系及共同生活家庭成员意见",
                  "抚育计划", "邻里关系及社区环境", "与被收养人融合情况"):  # fmt: skip
        form.get_by_label(label, exact=True).fill(f"{label}良好")
    submit(page, "action-assess")
    page.get_by_text("已办理“收养评估”").wait_for()
    page.get_by_text("收养条件审查").wait_for()
    no_horizontal_overflow(page)
    screenshot(page, "adoption-review-phone")
    submit(page, "action-register")
    page.get_by_text("已办理“准予登记”").wait_for()
    adoption.refresh_from_db()
    assert adoption.status == "registered"
    no_horizontal_overflow(page)
    axe_clean(page)
    screenshot(page, "adoption-registered-phone")
    pdf = page.request.get(f"{live_server.url}/adoption/{adoption.pk}/certificate.pdf")
    text = "".join(pdf_text(pdf.body()).split())
    assert "收养登记证" in text and adoption.certificate_number in text and kid.id_number_masked in text

    travel(FollowUpVisit.objects.get(adoption=adoption, sequence=1).due_on)
    town_page = login(phone, live_server, town, console)
    town_page.get_by_role("link", name=f"{adoption.number} · 第1次回访").first.click()
    form = town_page.locator("#visit-form")
    form.get_by_label("回访日期").fill(FollowUpVisit.objects.get(adoption=adoption, sequence=1).due_on.isoformat())
    form.get_by_label("回访情况").fill("孩子适应良好，与养父母关系融洽")
    submit(town_page, "visit-form")
    town_page.get_by_text("已登记回访").wait_for()
    no_horizontal_overflow(town_page)
    axe_clean(town_page)
    screenshot(town_page, "adoption-visit-phone")
    assert FollowUpVisit.objects.get(adoption=adoption, sequence=1).status == "done"
    console.assert_clean(allow=("status of 400", "status of 422"))
