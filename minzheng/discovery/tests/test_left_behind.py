"""The 三留守 registry: visit schedules by risk, visits with photos (EXIF stripped, type by
magic bytes, ≤ 5 MB), and a visit doing the open 走访 task of the person."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image

from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.discovery import actions
from minzheng.discovery.enums import TaskOutcome, TaskStatus
from minzheng.discovery.models import LeftBehind, Task, VisitPhoto
from minzheng.core.photos import PhotoRejected, clean_photo
from minzheng.discovery.tests.conftest import DADONGMEN, SCHOOL_HEADERS, id_of, import_rows

D = dt.date


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def jpeg_with_gps(size=(800, 600)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:11:20 09:30:00"  # DateTime
    gps = {1: "N", 2: (29.0, 42.0, 11.0), 3: "E", 4: (107.0, 23.0, 23.0)}
    exif[0x8825] = gps  # GPSInfo
    buf = io.BytesIO()
    image.save(buf, "JPEG", exif=exif)
    return buf.getvalue()


@pytest.fixture
def elder(make_person, staff):
    person = make_person(DADONGMEN, "周秀兰", birth="19440302")
    return actions.do_register_left_behind(staff.village, person, category="elderly", risk_level="high", registered_on=D(2026, 11, 1))


def test_registration_checks_the_category_and_schedules_by_risk(staff, make_person, elder):
    assert elder.next_visit_due == D(2026, 11, 15)  # high risk: every 14 days
    adult = make_person(DADONGMEN, "青壮年", birth="19900101")
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_left_behind(staff.village, adult, category="child", guardian="父亲")
    assert e.value.errors["category"] == "农村留守儿童应未满16周岁"
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_left_behind(staff.village, elder.person, category="elderly")
    assert "已在三留守名册" in e.value.errors["category"]
    kid = make_person(DADONGMEN, "小明", birth="20150301")
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_left_behind(staff.village, kid, category="child")
    assert "监护人" in e.value.errors["guardian"]
    low = actions.do_register_left_behind(staff.village, kid, category="child", guardian="祖母", risk_level="low", registered_on=D(2026, 11, 1))
    assert low.next_visit_due == D(2027, 1, 30)  # low risk: every 90 days


def test_a_worker_of_another_village_cannot_register_or_visit(staff, make_person, elder):
    with pytest.raises(NotFound):
        actions.do_register_left_behind(staff.other_village, make_person(DADONGMEN, "某人", birth="19400101"), category="elderly")
    with pytest.raises(NotFound):
        actions.do_record_visit(staff.other_village, elder, visited_at=timezone.now(), place="家中", findings="好")
    with pytest.raises(PermissionDenied):
        actions.do_record_visit(staff.leader, elder, visited_at=timezone.now(), place="家中", findings="好")


def test_a_visit_strips_exif_and_reschedules(staff, elder):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get(0x8825)
    visit = actions.do_record_visit(
        staff.village, elder, visited_at=timezone.now() - dt.timedelta(hours=1), place="家中",
        findings="老人精神尚可，冰箱食物充足。", risk_level_after="medium", photos=[("IMG_0001.jpg", original)],
    )  # fmt: skip
    [photo] = VisitPhoto.objects.filter(visit=visit)
    with photo.file.open("rb") as f:
        stored = f.read()
    assert stored[:3] == b"\xff\xd8\xff" and photo.content_type == "image/jpeg"
    reopened = Image.open(io.BytesIO(stored))
    assert dict(reopened.getexif()) == {} and b"Exif" not in stored[:200] and b"PhoneMaker" not in stored
    elder.refresh_from_db()
    today = timezone.localdate()
    assert elder.last_visited_on == timezone.localtime(visit.visited_at).date()
    assert elder.risk_level == "medium" and elder.next_visit_due == elder.last_visited_on + dt.timedelta(days=30)
    assert today >= elder.last_visited_on


def test_photos_are_checked_by_content_and_size(staff, elder):
    with pytest.raises(PhotoRejected, match="不是 JPG 或 PNG"):
        clean_photo("fake.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    with pytest.raises(PhotoRejected, match="超过5MB"):
        clean_photo("big.jpg", b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024))
    with pytest.raises(PhotoRejected, match="已损坏"):
        clean_photo("broken.jpg", b"\xff\xd8\xff\xe0" + b"garbage" * 10)
    png = io.BytesIO()
    Image.new("RGB", (10, 10)).save(png, "PNG")
    assert clean_photo("ok.png", png.getvalue()).content_type == "image/png"
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_visit(staff.village, elder, visited_at=timezone.now(), place="家中", findings="好", photos=[("a.jpg", b"MZ\x90\x00")])
    assert "不是 JPG 或 PNG" in e.value.errors["photos"]


def test_visit_form_errors_are_in_chinese(staff, elder):
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_visit(
            staff.village, elder, visited_at=timezone.now() + dt.timedelta(days=1), place="", findings="",
            needs_follow_up=True,
        )  # fmt: skip
    assert e.value.errors == {
        "visited_at": "走访时间不能晚于现在",
        "place": "请填写走访地点",
        "findings": "请填写走访情况",
        "follow_up": "需要跟进时请填写跟进措施",
    }


def test_a_visit_does_the_open_visit_task_of_the_person(staff, make_person):
    kid = make_person(DADONGMEN, "小明", birth="20150301")
    entry = actions.do_register_left_behind(staff.village, kid, category="child", guardian="祖母 李秀英", registered_on=D(2026, 9, 1))
    import_rows(staff.district, "school_leaving", SCHOOL_HEADERS, [[id_of(kid), "小明", "某小学", "小学", D(2026, 11, 9), "辍学"]])
    task = Task.objects.get()
    assert task.status == TaskStatus.OPEN
    visit = actions.do_record_visit(staff.village, entry, visited_at=timezone.now(), place="家中", findings="孩子在家，已联系学校劝返")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.outcome == TaskOutcome.VISITED and str(visit.pk) in task.outcome_note


def test_ending_an_entry(staff, elder):
    ended = actions.do_end_left_behind(staff.village, elder, reason="family_returned")
    assert not ended.active and ended.end_reason == "family_returned"
    assert not LeftBehind.objects.filter(active=True).exists()
