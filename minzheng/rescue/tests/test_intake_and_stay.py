"""Intake (identity as known, risk, source and time, photos without metadata for station staff
only; a minor opens a protection case) and the stay (beds, extensions, daily records, the
over-stay on the workbench); bad input → the Chinese message on the field, nothing written."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import IntegrityError, transaction
from PIL import Image

from minzheng.cases.tasks import workbench_feed
from minzheng.children.models import ProtectionCase
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from minzheng.core.models import AuditEvent
from minzheng.rescue import actions
from minzheng.rescue.models import (
    Bed,
    BedAssignment,
    DailyRecord,
    IntakePhoto,
    RescueCase,
    StayExtension,
)

from .conftest import DADONGMEN, at, intake_input, jpeg_with_exif

pytestmark = pytest.mark.django_db
D = dt.date


def counts():
    return (RescueCase.objects.count(), IntakePhoto.objects.count(), BedAssignment.objects.count(), ProtectionCase.objects.count(),
            AuditEvent.objects.filter(object_type="rescue.case").count())  # fmt: skip


def test_the_station_has_the_80_beds_of_the_key_project(station):
    assert station.capacity == 80 and station.division_code == "500102"
    assert list(Bed.objects.filter(station=station).values_list("number", flat=True)[:3]) == ["001", "002", "003"]
    assert Bed.objects.filter(station=station).count() == 80


def test_intake_records_identity_as_known_risk_source_and_time(staff, station, take_in):
    case = take_in(risks=["mental", "ill"], estimated_age=67, belongings="编织袋一个，旧棉被", health="左腿外伤")
    assert (case.name, case.name_known, case.sex, case.source, case.source_unit, case.found_division_code) == (
        "不详", False, "M", "police", "敦仁派出所", DADONGMEN)
    assert case.risks == ["elderly", "mental", "ill"]  # 67 → 老年人, added in the enum's order
    assert case.arrived_at == at(2026, 12, 1)
    assert case.protection_case_number == ""


def test_a_stated_id_number_is_stored_masked_and_links_the_registry(staff, station, take_in, make_person):
    person = make_person(DADONGMEN, "陈有福", birth="19800101")
    case = take_in(name="陈有福", id_number=decrypt_text(person.id_number_encrypted))
    assert (case.person_id, case.id_number_masked, case.estimated_age) == (person.pk, person.id_number_masked, 46)
    assert "*" in case.id_number_masked and decrypt_text(case.id_number_encrypted) == decrypt_text(person.id_number_encrypted)


def test_a_minor_at_intake_opens_a_protection_case(staff, station, take_in):
    case = take_in(name="小军", estimated_age=12, source="public", source_unit="", features="约12岁男孩，蓝色校服")
    assert case.risks == ["minor"]
    protection = ProtectionCase.objects.get(number=case.protection_case_number)
    assert (protection.child_name, protection.division_code, protection.reporter_kind, protection.reporter_unit, protection.status) == (
        "小军", DADONGMEN, "institution", "涪陵区救助管理站", "reported")
    assert protection.harm_kinds == ["other"]
    assert protection.description == f"流浪乞讨未成年人，人民路天桥下发现，已由涪陵区救助管理站受助登记（{case.number}）。"


def test_photos_are_stored_without_metadata(staff, station, take_in):
    raw = jpeg_with_exif()
    assert Image.open(io.BytesIO(raw)).getexif()  # the phone's file carries EXIF
    case = take_in(photos=[("现场.jpg", raw)])
    photo = IntakePhoto.objects.get(case=case)
    with photo.file.open("rb") as f:
        stored = f.read()
    with Image.open(io.BytesIO(stored)) as image:
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info
        assert image.size == (40, 30)
    assert (photo.width, photo.height, photo.content_type) == (40, 30, "image/jpeg")


def test_photos_are_visible_only_to_station_staff(client, staff, station, take_in):
    case = take_in(photos=[("现场.jpg", jpeg_with_exif())])
    photo = IntakePhoto.objects.get(case=case)
    client.force_login(staff.station_user)
    response = client.get(f"/rescue/photos/{photo.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"  # read to the end: the client then closes the file
    # the bureau's district staff (区民政局科室人员) are not the station's staff: no photo, no case
    for user, status in ((staff.district_user, 403), (staff.leader_user, 403), (staff.town_user, 403), (staff.village_user, 403), (staff.zhenxi_staff_user, 404)):
        client.force_login(user)
        assert client.get(f"/rescue/photos/{photo.pk}/").status_code == status, user.username
        assert client.get(f"/rescue/cases/{case.pk}/").status_code == status, user.username
    # …but they keep the figures
    client.force_login(staff.district_user)
    assert client.get("/rescue/").status_code in (200, 302)


def test_bad_intake_input_names_the_field_and_writes_nothing(staff, station):
    before = counts()
    bad = intake_input(
        station, name="不详", features="", sex="X", source="police", source_unit="", found_place=" ", found_division_code="500102006",
        arrived_at=at(2026, 12, 5), estimated_age=130, id_number="50010219800101123", risks=["drunk"],
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        actions.do_intake(staff.station, bad, photos=[("a.gif", b"GIF89a....")])
    assert e.value.errors == {
        "features": "姓名不详时请填写体貌特征",
        "sex": "请选择性别",
        "source_unit": "请填写护送或转来单位",
        "found_place": "请填写发现地点",
        "found_division_code": "请选择发现地村（社区）",
        "arrived_at": "入站时间不能晚于现在",
        "estimated_age": "年龄应在0至120岁之间",
        "risks": "请从列表中选择风险情形",
        "id_number": "身份证号码应为18位（或旧式15位），当前为17位",
        "photos": "“a.gif”不是 JPG 或 PNG 图片",
    }
    assert counts() == before


def test_intake_is_the_stations_and_the_districts(staff, station):
    before = counts()
    with pytest.raises(PermissionDenied):
        actions.do_intake(staff.town, intake_input(station))
    with pytest.raises(ValidationFailed) as e:  # the station is not within 珍溪镇's scope
        actions.do_intake(staff.zhenxi_staff, intake_input(station))
    assert e.value.errors == {"station_id": "请选择救助管理站"}
    assert counts() == before


def test_a_bed_cannot_hold_two_people(staff, station, take_in):
    bed = station.beds.get(number="010")
    first = take_in(bed_id=bed.pk)
    before = counts()
    with pytest.raises(ValidationFailed) as e:
        take_in(bed_id=bed.pk)
    assert e.value.errors == {"bed_id": f"010号床已有人入住（{first.number}），一张床位不能同时安排两人"}
    assert counts() == before
    second = take_in()
    with pytest.raises(ValidationFailed) as e:
        actions.do_assign_bed(staff.station, second, bed_id=bed.pk)
    assert e.value.errors == {"bed": f"010号床已有人入住（{first.number}），一张床位不能同时安排两人"}
    # The database refuses it too (the check is not the only guard).
    with pytest.raises(IntegrityError), transaction.atomic():
        BedAssignment.objects.create(case=second, bed=bed, division_code="500102", start_on=D(2026, 12, 2))
    # Moving to another bed frees the first; leaving frees the second.
    actions.do_assign_bed(staff.station, first, bed_id=station.beds.get(number="011").pk)
    assert actions.do_assign_bed(staff.station, second, bed_id=bed.pk).bed == bed


def test_stay_extensions_need_a_reason_and_the_filing(staff, station, take_in):
    case = take_in()
    with pytest.raises(ValidationFailed) as e:
        actions.do_extend_stay(staff.station, case, expected_version=case.version, days=0, reason="", filing="")
    assert e.value.errors == {"days": "延长天数应为1至90之间的整数", "reason": "请填写延长在站期限的理由", "filing": "请填写向上级民政部门备案的情况（备案日期、文号）"}
    with pytest.raises(PermissionDenied):
        actions.do_extend_stay(staff.town, case, expected_version=case.version, days=10, reason="等待DNA比对结果", filing="2026-12-04报区民政局备案")
    with pytest.raises(NotFound):
        actions.do_extend_stay(staff.zhenxi_staff, case, expected_version=case.version, days=10, reason="等待DNA比对结果", filing="2026-12-04报区民政局备案")
    assert StayExtension.objects.count() == 0
    case = actions.do_extend_stay(staff.station, case, expected_version=case.version, days=10, reason="等待DNA比对结果", filing="2026-12-04报区民政局备案")
    case = actions.do_extend_stay(staff.station, case, expected_version=case.version, days=5, reason="住院治疗", filing="2026-12-04报区民政局备案")
    assert case.stay_until == D(2026, 12, 26)  # 12-01 + 10 + 10 + 5: no cap (working default)
    assert list(StayExtension.objects.values_list("previous_until", "new_until")) == [(D(2026, 12, 11), D(2026, 12, 21)), (D(2026, 12, 21), D(2026, 12, 26))]


def test_daily_records_once_a_day_with_the_hospital_named(staff, station, take_in):
    case = take_in()
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_day(staff.station, case, day=D(2026, 11, 30), meals=7, medical="hospital", hospital="")
    assert e.value.errors == {"day": "日期不能早于入站日期（2026-12-01）", "meals": "供餐次数应为0至5", "hospital": "送医救治时请填写医院名称"}
    actions.do_record_day(staff.station, case, day=D(2026, 12, 2), meals=3, medical="hospital", hospital="涪陵中心医院", note="发热送医")
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_day(staff.station, case, day=D(2026, 12, 2), meals=3)
    assert e.value.errors == {"day": "2026-12-02的在站日志已记录"}
    assert list(DailyRecord.objects.values_list("day", "meals", "medical", "hospital")) == [(D(2026, 12, 2), 3, "hospital", "涪陵中心医院")]


def test_an_over_stay_shows_on_the_station_staffs_workbench(staff, station, take_in, travel):
    over = take_in(arrived_at=at(2026, 11, 20))  # limit 11-30, today 12-04
    take_in()  # limit 12-11: not yet near
    counts_, tasks = workbench_feed(staff.station)
    row = next(c for c in counts_ if c["workflow"] == "rescue.overstay")
    assert (row["label"], row["total"], row["overdue"], row["near"]) == ("超期在站", 1, 1, 0)
    item = next(t for t in tasks if t.label == "超期在站")
    assert (item.title, item.deadline, item.overdue, item.url) == (over.number, D(2026, 11, 30), True, f"/rescue/cases/{over.pk}/")
    for actor in (staff.town, staff.zhenxi_staff, staff.leader):
        assert all(c["workflow"] != "rescue.overstay" for c in workbench_feed(actor)[0])
    actions.do_extend_stay(staff.station, over, expected_version=over.version, days=10, reason="等待家属接回", filing="2026-12-04报区民政局备案")
    assert all(c["workflow"] != "rescue.overstay" for c in workbench_feed(staff.station)[0])


def test_nothing_of_another_step_is_possible_once_the_person_left(staff, station, take_in):
    case = take_in()
    case = actions.do_leave(staff.station, case, expected_version=case.version, left_on=D(2026, 12, 2), reason="本人要求离站")
    with pytest.raises(DomainError) as e:
        actions.do_extend_stay(staff.station, case, expected_version=case.version, days=3, reason="x", filing="y")
    assert e.value.message == "受助记录当前处于“自行离站”环节，不能延长在站期限"
