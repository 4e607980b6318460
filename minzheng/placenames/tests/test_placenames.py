"""Place names (register, duplicate refusal, renaming through every step with documents,
heritage list), boundary lines, markers (bounding box), 联检, division changes through
divisions' own action; scoping of a 珍溪镇 officer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from minzheng.accounts.models import Role
from minzheng.api.auth import issue_token
from minzheng.cases.models import CaseEvent
from minzheng.cases.workflow import MissingDocuments
from minzheng.core.audit import AuditEvent
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.divisions.models import Division
from minzheng.communities.actions import do_save_facility
from minzheng.placenames import actions
from minzheng.placenames.geometry import district_bbox
from minzheng.placenames.models import Marker, NamingCase, PlaceName
from minzheng.placenames.selectors import map_payload

pytestmark = pytest.mark.django_db
DUNREN, ZHENXI, DADONGMEN = "500102006", "500102119", "500102006001"
D = dt.date


def place(actor, name="白鹤路", code=DUNREN, category="road", **kw):
    return actions.do_register_place(actor, division_code=code, category=category, name=name, pinyin=kw.pop("pinyin", "Báihè Lù"), **kw)


def test_a_duplicate_name_of_the_same_category_in_the_same_town_is_refused(staff):
    place(staff.town)
    with pytest.raises(ValidationFailed) as e:
        place(staff.district, code=DADONGMEN)  # a village of the same town
    assert e.value.errors == {"name": "同一乡镇（街道）已有同类地名“白鹤路”，不能重名"}
    place(staff.district, category="bridge", name="白鹤路")  # another category: allowed
    place(staff.other_town, code=ZHENXI)  # another town: allowed
    with pytest.raises(ValidationFailed) as e:
        actions.do_apply_naming(staff.town, division_code=DUNREN, category="road", name="白鹤路", pinyin="Báihè Lù", applicant="敦仁街道办事处")
    assert e.value.errors == {"name": "同一乡镇（街道）已有同类地名“白鹤路”，不能重名"}
    assert PlaceName.objects.count() == 3 and NamingCase.objects.count() == 0


def test_bad_place_input_names_the_field(staff):
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_place(staff.town, division_code=DUNREN, category="road", name="", pinyin="bai2",
                                  geometry={"type": "Point", "coordinates": [120.0, 30.0]})  # fmt: skip
    assert e.value.errors == {"name": "请填写名称", "pinyin": "汉语拼音只能包含拼音字母、声调、空格和隔音符号", "geometry": "坐标不在涪陵区范围内"}
    with pytest.raises(NotFound):
        place(staff.other_town)  # 珍溪镇's officer in 敦仁街道
    assert PlaceName.objects.count() == 0


def test_a_renaming_passes_every_step(staff):
    old = place(staff.town, name="新华路", pinyin="Xīnhuá Lù")
    case = actions.do_apply_naming(staff.town, division_code=DUNREN, category="road", name="望江路", pinyin="Wàngjiāng Lù",
                                   applicant="敦仁街道办事处", place_id=old.pk)  # fmt: skip
    assert (case.kind, case.status, case.division_code) == ("renaming", "applied", DUNREN)
    with pytest.raises(MissingDocuments):
        actions.take_naming_step(staff.district, case, "review", expected_version=case.version)
    with pytest.raises(PermissionDenied):
        actions.take_naming_step(staff.town, case, "review", expected_version=case.version)
    for kind, action in (("expert_opinion", "review"), ("notice", "notice"), ("approval", "approve"), ("announcement", "announce")):
        actions.do_attach_document(staff.district, case, kind=kind, title=f"{kind} 材料", number="涪府地名〔2026〕3号" if kind == "approval" else "")
        case = actions.take_naming_step(staff.district, case, action, expected_version=case.version)
    assert (case.status, case.approval_no, case.approved_on, case.announced_on) == ("announced", "涪府地名〔2026〕3号", D(2026, 12, 4), D(2026, 12, 4))
    old.refresh_from_db()
    new = case.result
    assert (old.status, new.name, new.status, new.pinyin, new.history) == ("retired", "望江路", "standard", "Wàngjiāng Lù", "原名新华路，2026-12-04更名。")
    assert list(CaseEvent.objects.filter(case_id=case.pk, workflow="placenames.naming").values_list("label", flat=True)) == [
        "提交申请", "专家论证", "社会公示", "批准", "公告"]
    # The old name is free again only as a 历史地名; a new 新华路 in the same town is allowed.
    place(staff.town, name="新华路", pinyin="Xīnhuá Lù")


def test_the_heritage_list_is_the_districts(staff):
    p = place(staff.town, name="龙王沱", category="natural", pinyin="Lóngwáng Tuó")
    with pytest.raises(PermissionDenied):
        actions.do_list_heritage(staff.town, p.pk, listed_on=D(2026, 6, 1), note="历史地名")
    actions.do_list_heritage(staff.district, p.pk, listed_on=D(2026, 6, 1), note="沿用三百余年")
    assert PlaceName.objects.filter(heritage=True).get().heritage_listed_on == D(2026, 6, 1)


def test_markers_outside_the_district_are_refused_and_inspections_recorded(staff):
    line = actions.do_register_line(staff.district, division_code="500102", level="district", name="涪长线", parties="涪陵区—长寿区")
    x0, y0, x1, y1 = district_bbox()
    with pytest.raises(ValidationFailed) as e:
        actions.do_save_marker(staff.district, line_id=line.pk, number="涪长01", lon=x1 + Decimal("0.1"), lat=y0)
    assert e.value.errors == {"lon": "界桩坐标不在涪陵区范围内（经度、纬度超出区界外接矩形）"}
    assert Marker.objects.count() == 0 and AuditEvent.objects.filter(object_type="placenames.marker").count() == 0
    m = actions.do_save_marker(staff.district, line_id=line.pk, number="涪长01", lon=x0 + Decimal("0.01"), lat=y0 + Decimal("0.01"))
    assert m.condition == "good"
    town_line = actions.do_register_line(staff.town, division_code=DUNREN, level="town", name="敦仁街道—崇义街道界线", parties="敦仁街道、崇义街道")
    with pytest.raises(NotFound):
        actions.do_save_marker(staff.other_town, line_id=town_line.pk, number="1", lon=x0, lat=y0)
    with pytest.raises(NotFound):
        actions.do_save_marker(staff.town, line_id=line.pk, number="涪长02", lon=x0, lat=y0)  # the district's line
    actions.do_record_inspection(staff.district, line_id=line.pk, year=2026, inspected_on=D(2026, 10, 12), findings="界桩受损", repairs="已修复", markers_repaired=1)
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_inspection(staff.district, line_id=line.pk, year=2026, inspected_on=D(2026, 11, 1))
    assert e.value.errors == {"year": "2026年的联检已登记"}


def test_a_division_change_is_recorded_through_the_divisions_dated_change(staff, make_user, actor_of):
    admin = actor_of(make_user(Role.SYSTEM_ADMIN, "500102", username="admin_user"))
    change = actions.do_apply_division_change(staff.town, division_code=DADONGMEN, new_name="大东门社区", new_kind="社区",
                                              effective=D(2027, 1, 1), reason="规范名称")  # fmt: skip
    with pytest.raises(ValidationFailed) as e:
        actions.take_change_step(staff.district, change, "approve", expected_version=change.version, approved_on=D(2026, 12, 1))
    assert e.value.errors == {"approval_no": "请填写批准文号"}
    change = actions.take_change_step(staff.district, change, "approve", expected_version=change.version, approval_no="涪府〔2026〕9号",
                                      approved_on=D(2026, 12, 1))  # fmt: skip
    with pytest.raises(PermissionDenied):
        actions.take_change_step(staff.district, change, "record", expected_version=change.version)
    change = actions.take_change_step(admin, change, "record", expected_version=change.version)
    version = Division.objects.get(pk=change.recorded_version_id)
    assert (change.status, version.code, version.valid_from, version.source) == ("recorded", DADONGMEN, D(2027, 1, 1), "涪府〔2026〕9号（2026-12-01）")


def test_a_zhenxi_officer_is_refused_dunren_names_by_page_and_api(staff, client):
    p = place(staff.town)
    case = actions.do_apply_naming(staff.town, division_code=DUNREN, category="road", name="滨江路", pinyin="Bīnjiāng Lù", applicant="敦仁街道办事处")
    client.force_login(staff.other_town_user)
    assert client.get(f"/placenames/cases/{case.pk}/").status_code == 404
    assert "白鹤路" not in client.get("/placenames/places/").text
    token, _ = issue_token(staff.other_town_user)
    assert client.get(f"/api/v1/placenames/places/{p.pk}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 404
    client.force_login(staff.town_user)
    page = client.get("/placenames/")
    assert page.status_code == 200 and "placename-map-data" in page.text
    assert "白鹤路" in client.get("/placenames/places/").text
    assert client.get(f"/placenames/cases/{case.pk}/").status_code == 200


def test_the_map_shows_located_names_and_markers_in_scope(staff):
    x0, y0, _, _ = district_bbox()
    lon, lat = float(x0 + Decimal("0.2")), float(y0 + Decimal("0.2"))
    place(staff.town, name="松林山", category="natural", pinyin="Sōnglín Shān", geometry={"type": "Point", "coordinates": [lon, lat]})
    place(staff.town, name="白鹤路")  # no location: not on the map
    line = actions.do_register_line(staff.town, division_code=DUNREN, level="town", name="敦仁街道界线", parties="敦仁街道、崇义街道")
    actions.do_save_marker(staff.town, line_id=line.pk, number="1", lon=x0 + Decimal("0.1"), lat=y0 + Decimal("0.1"))
    do_save_facility(staff.town, division_code="500102006001", name="党群服务中心", area_m2="320", ownership="owned",
                     lon=x0 + Decimal("0.3"), lat=y0 + Decimal("0.3"))  # fmt: skip
    do_save_facility(staff.town, division_code="500102006001", name="未标注位置的活动室", area_m2="60", ownership="owned")
    data = map_payload(staff.town)
    assert data["facilities"] == [{"name": "大东门社区 · 党群服务中心", "category": "facility", "status": "in_use", "area": "320.00",
                                   "value": [float(x0 + Decimal("0.3")), float(y0 + Decimal("0.3"))]}]  # fmt: skip
    assert data["points"] == [{"name": "松林山", "category": "natural", "value": [lon, lat]}]
    assert data["lines"] == [] and [m["name"] for m in data["markers"]] == ["敦仁街道界线 1"]
    assert map_payload(staff.other_town) == {"points": [], "lines": [], "markers": [], "facilities": []}
