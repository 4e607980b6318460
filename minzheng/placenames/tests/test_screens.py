"""The place-name screens: a town officer registers a name and applies for a renaming from the
name's page, the district walks the renaming through every step on the case page, a duplicate
is refused next to the name, and another town is refused everywhere."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.accounts.models import Role
from minzheng.divisions.models import Division

from minzheng.placenames import actions
from minzheng.placenames.forms import suggested_pinyin
from minzheng.placenames.models import BoundaryLine, DivisionChange, Marker, NamingCase, PlaceName

pytestmark = pytest.mark.django_db

DUNREN = "500102006"


def test_register_a_name_and_a_duplicate_is_refused_next_to_the_name(client, staff):
    client.force_login(staff.town_user)
    page = client.get("/placenames/places/").content.decode()
    assert "登记地名" in page and "申请命名" in page
    response = client.post("/placenames/places/new/", {"division_code": DUNREN, "category": "road", "name": "滨江路", "pinyin": "",
                                                       "lon": "107.39", "lat": "29.70"})  # fmt: skip
    place = PlaceName.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/placenames/places/{place.pk}/"
    assert (place.pinyin, place.geometry) == ("Bīnjiānglù", {"type": "Point", "coordinates": [107.39, 29.7]})
    detail = client.get(f"/placenames/places/{place.pk}/").content.decode()
    assert "东经 107.39，北纬 29.7" in detail and "申请更名" in detail and "None" not in detail
    again = client.post("/placenames/places/new/", {"division_code": "500102006001", "category": "road", "name": "滨江路"})
    assert again.status_code == 422 and "同一乡镇（街道）已有同类地名“滨江路”，不能重名" in again.content.decode()
    half = client.post("/placenames/places/new/", {"division_code": DUNREN, "category": "bridge", "name": "滨江桥", "lon": "107.39"})
    assert half.status_code == 422 and "经度和纬度须同时填写" in half.content.decode()
    assert PlaceName.objects.count() == 1
    assert suggested_pinyin("涪陵") == "Fúlíng"


def test_a_renaming_from_the_names_page_walks_every_step(client, staff):
    client.force_login(staff.town_user)
    client.post("/placenames/places/new/", {"division_code": DUNREN, "category": "road", "name": "新华路", "pinyin": "Xīnhuá Lù"})
    old = PlaceName.objects.get()
    form = client.get(f"/placenames/cases/new/?place={old.pk}").content.decode()
    assert "申请更名：新华路" in form and "所在乡镇（街道）或村（社区）" not in form
    response = client.post("/placenames/cases/new/", {"place": old.pk, "name": "望江路", "pinyin": "Wàngjiāng Lù", "applicant": "敦仁街道办事处"})
    case = NamingCase.objects.get()
    assert response.status_code == 302 and (case.kind, case.status, case.place_id) == ("renaming", "applied", old.pk)
    assert f"/placenames/cases/{case.pk}/review/" not in client.get(f"/placenames/cases/{case.pk}/").content.decode()  # the district's step
    client.force_login(staff.district_user)
    url = f"/placenames/cases/{case.pk}/"
    refused = client.post(f"{url}review/", {"version": case.version})  # no 专家论证意见 attached yet
    assert refused.status_code == 200 and "专家论证意见" in refused.content.decode()
    for kind, action in (("expert_opinion", "review"), ("notice", "notice"), ("approval", "approve"), ("announcement", "announce")):
        client.post(f"{url}documents/", {"kind": kind, "title": "材料", "number": "涪府地名〔2026〕3号" if kind == "approval" else ""})
        case.refresh_from_db()
        assert client.post(f"{url}{action}/", {"version": case.version}).status_code == 302, action
    case.refresh_from_db()
    old.refresh_from_db()
    assert (case.status, case.approval_no, old.status, case.result.name) == ("announced", "涪府地名〔2026〕3号", "retired", "望江路")
    assert "望江路" in client.get(f"/placenames/places/{old.pk}/").content.decode()  # the case is listed on the old name's page


def test_another_town_is_refused_names_pages_and_renaming(client, staff):
    client.force_login(staff.town_user)
    client.post("/placenames/places/new/", {"division_code": DUNREN, "category": "road", "name": "新华路", "pinyin": "Xīnhuá Lù"})
    place = PlaceName.objects.get()
    client.force_login(staff.other_town_user)
    assert client.get(f"/placenames/places/{place.pk}/").status_code == 404
    assert client.get(f"/placenames/cases/new/?place={place.pk}").status_code == 404
    refused = client.post("/placenames/places/new/", {"division_code": DUNREN, "category": "road", "name": "珍溪路", "pinyin": "Zhēnxī Lù"})
    assert refused.status_code == 422 and PlaceName.objects.count() == 1  # 敦仁 is not among their choices
    client.force_login(staff.village_user)  # a village worker reads names but does not register them
    assert client.get("/placenames/places/new/").status_code == 403
    assert "登记地名" not in client.get("/placenames/places/").content.decode()


def test_markers_and_inspections_from_the_line_page(client, staff):
    line = actions.do_register_line(staff.town, division_code=DUNREN, level="town", name="敦仁街道—崇义街道界线", parties="敦仁街道、崇义街道")
    client.force_login(staff.town_user)
    url = f"/placenames/lines/{line.pk}/"
    page = client.get(url).content.decode()
    assert "登记界桩" in page and "登记联检" in page
    outside = client.post(f"{url}markers/", {"number": "敦崇01", "lon": "110.5", "lat": "29.70", "condition": "good"})
    assert outside.status_code == 422 and "界桩坐标不在涪陵区范围内" in outside.content.decode() and not Marker.objects.exists()
    assert client.post(f"{url}markers/", {"number": "敦崇01", "lon": "107.39", "lat": "29.70", "condition": "damaged"}).status_code == 302
    assert (Marker.objects.get().number, Marker.objects.get().condition) == ("敦崇01", "damaged")
    late = client.post(f"{url}inspections/", {"year": "2026", "inspected_on": "2026-12-05", "markers_repaired": "0"})
    assert late.status_code == 422 and "联检日期不能晚于今天" in late.content.decode()
    done = client.post(f"{url}inspections/", {"year": "2026", "inspected_on": "2026-11-20", "findings": "界桩倾斜", "repairs": "已扶正",
                                              "markers_repaired": "1"})  # fmt: skip
    assert done.status_code == 302 and "界桩倾斜" in client.get(url).content.decode()
    client.force_login(staff.other_town_user)  # 珍溪镇: not their line
    assert client.post(f"{url}markers/", {"number": "X", "lon": "107.39", "lat": "29.70", "condition": "good"}).status_code == 404
    assert Marker.objects.count() == 1
    client.force_login(staff.village_user)  # reads, does not register
    assert "登记界桩" not in client.get(url).content.decode()
    assert client.post(f"{url}markers/", {"number": "X", "lon": "107.39", "lat": "29.70", "condition": "good"}).status_code == 403


def test_a_division_change_walks_from_the_screens(client, staff, make_user):
    admin = make_user(Role.SYSTEM_ADMIN, "500102", username="screens_admin")
    client.force_login(staff.town_user)
    assert "申报区划变更" in client.get("/placenames/changes/").content.decode()
    bad = client.post("/placenames/changes/new/", {"division_code": "500102006001", "new_name": "大东门社区", "new_kind": "社区",
                                                   "effective": "2026-12-01", "reason": "规范名称"})  # fmt: skip
    assert bad.status_code == 422 and "生效日期须晚于今天" in bad.content.decode()
    client.post("/placenames/changes/new/", {"division_code": "500102006001", "new_name": "大东门社区", "new_kind": "社区",
                                             "effective": "2027-01-01", "reason": "规范名称"})  # fmt: skip
    change = DivisionChange.objects.get()
    url = f"/placenames/changes/{change.pk}/"
    assert f"{url}approve/" not in client.get(url).content.decode()  # the district approves
    client.force_login(staff.district_user)
    missing = client.post(f"{url}approve/", {"version": change.version, "approved_on": "2026-12-01"})
    assert missing.status_code == 422 and "请填写批准文号" in missing.content.decode()
    assert client.post(f"{url}approve/", {"version": change.version, "approval_no": "涪府〔2026〕9号", "approved_on": "2026-12-01"}).status_code == 302
    change.refresh_from_db()
    refused = client.post(f"{url}record/", {"version": change.version})  # the system administrator records it
    assert refused.status_code == 403 and change.status == "approved"
    client.force_login(admin)
    assert client.post(f"{url}record/", {"version": change.version}).status_code == 302
    change.refresh_from_db()
    version = Division.objects.get(pk=change.recorded_version_id)
    assert (change.status, version.valid_from, version.source) == ("recorded", dt.date(2027, 1, 1), "涪府〔2026〕9号（2026-12-01）")
    client.force_login(staff.other_town_user)
    assert client.get(url).status_code == 404


def test_a_town_registers_its_boundary_line_from_the_home_page(client, staff):
    client.force_login(staff.town_user)
    assert "登记界线" in client.get("/placenames/").content.decode()
    form = client.get("/placenames/lines/new/").content.decode()
    assert "敦仁街道" in form and "珍溪镇" not in form
    wrong = client.post("/placenames/lines/new/", {"level": "district", "division_code": DUNREN, "name": "敦仁—崇义界线", "parties": "敦仁街道、崇义街道"})
    assert wrong.status_code == 422 and "区（县）级界线由区管理" in wrong.content.decode() and not BoundaryLine.objects.exists()
    done = client.post("/placenames/lines/new/", {"level": "town", "division_code": DUNREN, "name": "敦仁—崇义界线", "parties": "敦仁街道、崇义街道",
                                                   "agreement": "敦仁街道与崇义街道行政区域界线协议书", "agreement_on": "2019-06-30"})  # fmt: skip
    line = BoundaryLine.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/placenames/lines/{line.pk}/"
    assert (line.level, line.division_code, line.agreement_on) == ("town", DUNREN, dt.date(2019, 6, 30))
    client.force_login(staff.village_user)
    assert client.get("/placenames/lines/new/").status_code == 403 and "登记界线" not in client.get("/placenames/").content.decode()
