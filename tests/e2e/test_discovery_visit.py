"""Active discovery in a real browser (Playwright driving Debian's Chromium).

A village worker, on a 390-pixel phone screen, opens a left-behind child from the 三留守 list,
records a visit with a photo taken by the phone (its EXIF, GPS included, is stripped on the
server), and sees the record and the next visit date; the page never scrolls sideways.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from minzheng.accounts.models import Role
from minzheng.core import clock
from tests.e2e.helpers import no_horizontal_overflow

pytestmark = pytest.mark.e2e

PASSWORD = "test-pass-12345"  # the make_user fixture's default
VILLAGE = "500102006001"  # 敦仁街道 大东门社区


def login(page, live_server, user):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(user.username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")




def phone_photo() -> bytes:
    image = Image.new("RGB", (1200, 900), (90, 140, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (29.0, 42.0, 11.0), 3: "E", 4: (107.0, 23.0, 23.0)}
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


@pytest.fixture
def phone(browser, browser_context_args):
    context = browser.new_context(
        **{**browser_context_args, "viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
    )
    yield context
    context.close()


def test_a_visit_is_recorded_at_phone_width(live_server, phone, make_user, make_person, settings, tmp_path, console, screenshot):
    from minzheng.discovery.actions import do_register_left_behind
    from minzheng.discovery.models import LeftBehind, Visit, VisitPhoto

    settings.MEDIA_ROOT = tmp_path
    worker = make_user(Role.VILLAGE_WORKER, VILLAGE)
    from minzheng.accounts.actor import build_actor

    kid = make_person(VILLAGE, "王小明", birth="20150301")
    entry = do_register_left_behind(
        build_actor(worker), kid, category="child", risk_level="high", guardian="祖母 李秀英",
        situation="父母在浙江务工", registered_on=clock.today() - dt.timedelta(days=30),
    )  # fmt: skip
    page = console.attach(phone.new_page())
    login(page, live_server, worker)

    page.goto(f"{live_server.url}/discovery/left-behind/?due=1")
    page.locator("#left-behind-table").get_by_role("link", name="王小明").click()
    page.wait_for_url(f"{live_server.url}/discovery/left-behind/{entry.pk}/")
    no_horizontal_overflow(page)

    # Saving without findings shows the Chinese error next to the field.
    page.get_by_role("button", name="保存走访记录").click()
    page.locator(".field.has-error", has_text="走访情况").get_by_text("请填写此项").wait_for()
    page.get_by_label("走访地点").fill("家中")
    page.get_by_label("走访情况").fill("孩子在家，祖母身体尚可；作业已检查，提醒按时返校。")
    page.get_by_label("走访后风险等级").select_option("medium")
    page.get_by_label("需要跟进").check()
    page.get_by_label("跟进措施").fill("联系学校班主任每周反馈到校情况")
    page.get_by_label("现场照片").set_input_files(
        files=[{"name": "IMG_20261120.jpg", "mimeType": "image/jpeg", "buffer": phone_photo()}]
    )
    no_horizontal_overflow(page)
    screenshot(page, "discovery-visit-phone")
    page.get_by_role("button", name="保存走访记录").click()
    page.get_by_text("走访记录已保存。").wait_for()
    page.locator("#visit-records img").first.wait_for()
    # served and scoped: the browser has decoded the photo (wait for the load, do not race it)
    page.wait_for_function("() => { const img = document.querySelector('#visit-records img'); return img.complete && img.naturalWidth > 0; }")
    no_horizontal_overflow(page)
    screenshot(page, "discovery-visit-phone-saved")

    visit = Visit.objects.get(left_behind=entry)
    assert visit.place == "家中" and visit.needs_follow_up and visit.visitor_id == worker.pk
    photo = VisitPhoto.objects.get(visit=visit)
    with photo.file.open("rb") as f:
        stored = Image.open(io.BytesIO(f.read()))
    assert dict(stored.getexif()) == {}  # no GPS, no maker: stripped before storing
    entry = LeftBehind.objects.get(pk=entry.pk)
    assert entry.risk_level == "medium" and entry.next_visit_due == entry.last_visited_on + dt.timedelta(days=30)
    console.assert_clean(allow=("status of 422",))
