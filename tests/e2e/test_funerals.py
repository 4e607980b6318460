"""The funeral line in a real browser (Playwright driving Debian's Chromium): a death from the
family's notification at the village, on a 390 px phone, to the funeral home's transport and
cremation (a death notification: the village is asked to confirm) and the interment in a tree
plot; each village page fits the phone, the record page passes axe-core; screenshots named
funerals-*.png (see README)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from minzheng.accounts.models import Role
from minzheng.funerals import actions
from minzheng.funerals.models import FuneralRecord, IllegalGrave
from minzheng.registry.models import DeathReport
from tests.e2e.helpers import login, no_horizontal_overflow
from tests.e2e.test_accessibility import AXE_TAGS, RUN_AXE, axe_source

pytestmark = pytest.mark.e2e

VILLAGE = "500102006001"  # 敦仁街道 大东门社区
PHONE = {"width": 390, "height": 844}


def test_a_death_from_notification_to_interment(live_server, browser, sized_context, make_user, make_person, system_actor, console, screenshot):
    village_user = make_user(Role.VILLAGE_WORKER, VILLAGE, username="dadongmen_worker")
    district_user = make_user(Role.DISTRICT_STAFF, "500102", username="funeral_home_staff")
    make_person(VILLAGE, "郑德明", birth="19400303")
    home = actions.do_register_facility(system_actor, name="涪陵区殡仪馆", kind="funeral_home", division_code="500102", opened_on=dt.date(2010, 1, 1))
    for item, price in {"transport": "300", "refrigeration_day": "60", "body_bag": "50", "cremation": "500", "urn": "280"}.items():
        actions.do_file_price(system_actor, home, item=item, price_yuan=Decimal(price), effective_from=dt.date(2024, 1, 1), reference="演示")
    cemetery = actions.do_register_facility(system_actor, name="敦仁街道公益性公墓", kind="public_cemetery", division_code="500102006",
                                            capacity=10, opened_on=dt.date(2022, 5, 1))  # fmt: skip
    actions.do_add_plots(system_actor, cemetery, kind="tree", numbers=["S-01", "S-02"])

    # The village worker, on a phone: finds the person and records the family's notification.
    phone = sized_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = login(phone, live_server, village_user, console)
    page.goto(f"{live_server.url}/funerals/records/?q=郑德明")
    no_horizontal_overflow(page)
    page.get_by_role("link", name="报丧登记").click()
    page.get_by_label("死亡日期").fill("2026-12-05")  # tomorrow: refused next to the field
    page.get_by_label("死亡地点").fill("家中")
    page.get_by_label("家属联系人").fill("郑大")
    page.get_by_label("联系电话").fill("13800001111")
    page.get_by_label("承办殡仪馆（服务站）").select_option(label="涪陵区殡仪馆")
    page.get_by_role("button", name="登记").click()
    assert "死亡日期不能晚于今天" in page.content() and not FuneralRecord.objects.exists()
    no_horizontal_overflow(page)
    screenshot(page, "funerals-1-notify-refused")
    page.get_by_label("死亡日期").fill("2026-11-30")
    page.get_by_role("button", name="登记").click()
    page.wait_for_url(f"{live_server.url}/funerals/records/*/")
    assert "已登记报丧" in page.content() and "138****1111" in page.content()
    no_horizontal_overflow(page)
    screenshot(page, "funerals-2-notified")
    record = FuneralRecord.objects.get()

    # The funeral home (district staff) transports and cremates.
    desk = sized_context(viewport={"width": 1366, "height": 768})
    office = login(desk, live_server, district_user, console)
    office.goto(f"{live_server.url}/funerals/records/{record.pk}/")
    office.locator("#step-transport button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    office.locator("#id_cremate_cremated_on").fill("2026-12-01")  # before the transport (today): refused
    office.locator("#id_cremate_certificate_no").fill("HH2026-0001")
    office.locator("#step-cremate button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    assert "火化日期不能早于接运日期（2026-12-04）" in office.locator("#step-cremate").inner_text()
    office.locator("#id_cremate_cremated_on").fill("2026-12-04")
    office.locator("#id_cremate_certificate_no").fill("HH2026-0001")
    office.locator("#step-cremate button[type=submit]").click()
    office.wait_for_load_state("networkidle")
    assert "已报送，待村（社区）核实" in office.content()
    screenshot(office, "funerals-3-cremated")
    report = DeathReport.objects.get()
    assert (report.source, report.status) == ("funeral", "pending")
    office.evaluate(axe_source())
    assert office.evaluate(RUN_AXE, AXE_TAGS) == []

    # Back at the village: the interment in a tree plot.
    page.goto(f"{live_server.url}/funerals/records/{record.pk}/")
    no_horizontal_overflow(page)
    page.locator("#id_inter_cemetery").select_option(label="敦仁街道公益性公墓")
    page.locator("#id_inter_plot").select_option(label="敦仁街道公益性公墓 S-01（树葬）")
    page.locator("#step-inter button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "节地生态安葬" in page.locator("#record-interment").inner_text()
    no_horizontal_overflow(page)
    screenshot(page, "funerals-4-interred")
    page.evaluate(axe_source())
    assert page.evaluate(RUN_AXE, AXE_TAGS) == []
    assert FuneralRecord.objects.get().status == "interred"
    console.assert_clean(allow=("status of 422",))  # the two refusals above answer 422 on purpose


def test_an_illegal_grave_reported_ordered_and_closed_on_a_phone(live_server, browser, sized_context, make_user, console, screenshot):
    """散埋乱葬 on 390 px: the village reports it, the town orders the rectification with a
    deadline (a past one refused next to the field), the village closes it."""
    village_user = make_user(Role.VILLAGE_WORKER, VILLAGE, username="dadongmen_grave")
    town_user = make_user(Role.TOWN_OFFICER, "500102006", username="dunren_grave")
    phone = sized_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = login(phone, live_server, village_user, console)
    page.goto(f"{live_server.url}/funerals/")
    page.locator("nav.subnav").get_by_role("link", name="散埋乱葬整治").click()
    page.wait_for_url(f"{live_server.url}/funerals/graves/")
    page.locator("#id_grave_division_code").select_option(label="大东门社区")
    page.get_by_label("发现日期").fill("2026-12-01")
    page.get_by_label("位置").fill("大东门社区三组后山")
    page.locator("#grave-form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "已登记散埋乱葬：大东门社区三组后山。" in page.content()
    grave = IllegalGrave.objects.get()
    assert page.locator(f"#grave-order-{grave.pk}").count() == 0  # the village does not order
    no_horizontal_overflow(page)
    screenshot(page, "funerals-5-grave-reported")

    town = login(sized_context(viewport=PHONE, is_mobile=True, has_touch=True), live_server, town_user, console)
    town.goto(f"{live_server.url}/funerals/graves/")
    town.locator(f"#id_order_{grave.pk}_deadline_on").fill("2026-12-01")
    town.locator(f"#grave-order-{grave.pk} button[type=submit]").click()
    town.wait_for_load_state("networkidle")
    assert "整改期限应晚于今天" in town.locator(f"#grave-order-{grave.pk}").inner_text()
    town.locator(f"#id_order_{grave.pk}_deadline_on").fill("2027-01-31")
    town.locator(f"#grave-order-{grave.pk} button[type=submit]").click()
    town.wait_for_load_state("networkidle")
    assert "已下达整改：大东门社区三组后山，期限2027-01-31。" in town.content()
    no_horizontal_overflow(town)
    town.evaluate(axe_source())
    assert town.evaluate(RUN_AXE, AXE_TAGS) == []

    page.goto(f"{live_server.url}/funerals/graves/?status=rectifying")
    page.locator(f"#id_close_{grave.pk}_rectification").fill("迁入敦仁街道公益性公墓")
    page.locator(f"#grave-close-{grave.pk} button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "已整改销号：大东门社区三组后山。" in page.content()
    no_horizontal_overflow(page)
    screenshot(page, "funerals-6-grave-closed")
    grave.refresh_from_db()
    assert (grave.status, grave.deadline_on, grave.rectified_on, grave.rectification) == (
        "rectified", dt.date(2027, 1, 31), dt.date(2026, 12, 4), "迁入敦仁街道公益性公墓")  # fmt: skip
    console.assert_clean(allow=("status of 422",))  # the past deadline answers 422 on purpose
