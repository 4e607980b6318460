"""The roster import round trip (all-or-nothing, row errors), indicator 11 by hand, and the
screens refusing another village or town."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter

from minzheng.api.auth import issue_token
from minzheng.assistance.models import Enrolment
from minzheng.children import actions
from minzheng.children.demo import seed_demo
from minzheng.children.enums import Status
from minzheng.children.imports import KIND
from minzheng.children.indicators import station_coverage
from minzheng.children.models import (
    ProtectionCase,
    ProtectionStation,
    Recognition,
    WelfareInstitution,
)
from minzheng.children.tests.test_recognition import recognise
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.exchange.actions import do_commit_import, do_preview_import
from minzheng.exchange.models import BatchStatus, CommitMode
from minzheng.exchange.spec import get_spec
from minzheng.registry.models import Person

pytestmark = pytest.mark.django_db


def xlsx(rows):
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf)
    ws = wb.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write_string(r, c, str(value))
    wb.close()
    return buf.getvalue()


def header():
    return [c.header for c in get_spec(KIND).columns]


def row(child, guardian, amount="1651.00", **kw):
    values = {
        "id_number": decrypt_text(child.id_number_encrypted), "name": child.name, "division_code": child.division_code,
        "category": "孤儿", "ground": "父母双方均死亡", "placement": "散居",
        "guardian_id_number": decrypt_text(guardian.id_number_encrypted) if guardian else "", "guardian_relation": "祖母",
        "recognised_on": "2024-05-20", "start": "2024-06", "amount": amount,
    }
    values.update(kw)
    return [values[c.key] for c in get_spec(KIND).columns]


def test_roster_round_trip(staff, child, guardian, make_person):
    second = make_person("500102006001", "刘小丽", birth="20120808")
    content = xlsx([header(), row(child, guardian), row(second, None, amount="1851.00", placement="集中供养")])
    batch = do_preview_import(staff.town, KIND, filename="孤儿.xlsx", content=content).batch
    assert (batch.error_rows, batch.summary.get("enrolments_planned")) == (0, 2)
    batch = do_commit_import(staff.town, batch, CommitMode.ALL_OR_NOTHING)
    assert batch.status == BatchStatus.COMMITTED
    recs = {r.person_id: r for r in Recognition.objects.all()}
    assert {r.status for r in recs.values()} == {Status.RECOGNISED}
    first = Enrolment.objects.get(pk=recs[child.pk].enrolment_id)
    assert (first.amount_fen, first.payee_id, first.start_month, first.source) == (165100, guardian.pk, dt.date(2027, 1, 1), "roster")
    assert Enrolment.objects.get(pk=recs[second.pk].enrolment_id).amount_fen == 185100
    assert Person.objects.get(pk=second.pk).in_institution is True


def test_roster_all_or_nothing_with_row_errors(staff, child, guardian, make_person):
    adult = make_person("500102006001", "成年", birth="20000101")
    other = make_person("500102119001", "外镇", birth="20140101")
    content = xlsx([
        header(),
        row(child, guardian, amount="1600.00"),
        row(adult, guardian),
        row(child, guardian),
        row(make_person("500102006001", "无监护", birth="20130303"), None),
    ])
    batch = do_preview_import(staff.town, KIND, filename="x.xlsx", content=content).batch
    messages = sorted((e[0], e[2]) for e in batch.errors)
    assert messages == [
        (2, "与现行标准（1651.00元）不符"),
        (3, "该人员已年满18周岁"),
        (4, "与第2行重复"),
        (5, "散居儿童须填写监护人身份证号码"),
    ]
    batch = do_commit_import(staff.town, batch, CommitMode.GOOD_ROWS_ONLY)
    assert batch.status == BatchStatus.REFUSED
    assert not Recognition.objects.exists() and not Enrolment.objects.exists()
    # another town's child is not matched in the importer's scope
    batch = do_preview_import(staff.town, KIND, filename="y.xlsx", content=xlsx([header(), row(other, guardian)])).batch
    assert [e[2] for e in batch.errors] == ["该儿童未在人口库登记（或不在您的辖区），请先在人口管理中登记"]


def test_roster_import_refused_to_a_village(staff):
    with pytest.raises(PermissionDenied):
        do_preview_import(staff.village, KIND, filename="x.xlsx", content=xlsx([header()]))


def test_indicator_11_by_hand(staff):
    """27 towns and streets; 3 stations, one established after the day asked: 2 ÷ 27 = 7.4%."""
    for code, day in (("500102006", dt.date(2022, 3, 1)), ("500102119", dt.date(2023, 6, 1)), ("500102007", dt.date(2026, 11, 30))):
        actions.do_save_station(staff.district, actions.StationInput(division_code=code, name=f"{code}未成年人保护工作站", established_on=day, staff_count=3, premises_m2=60))
    at_2025 = station_coverage(dt.date(2025, 12, 31))
    assert (at_2025["numerator"], at_2025["denominator"], at_2025["value"]) == (2, 27, 7.4)
    now = station_coverage()
    assert (now["numerator"], now["value"]) == (3, 11.1)


def test_station_refusals(staff):
    with pytest.raises(ValidationFailed) as e:
        actions.do_save_station(staff.town, actions.StationInput(division_code="500102006001", name="", established_on=None))
    assert e.value.errors == {"division_code": "请选择乡镇（街道）", "name": "请填写工作站名称", "established_on": "请填写设立日期"}
    with pytest.raises(NotFound):
        actions.do_save_station(staff.other_town, actions.StationInput(division_code="500102006", name="x", established_on=dt.date(2024, 1, 1)))
    with pytest.raises(PermissionDenied):
        actions.do_save_station(staff.village, actions.StationInput(division_code="500102006", name="x", established_on=dt.date(2024, 1, 1)))
    assert not ProtectionStation.objects.exists()


def test_pages_scoped(client, staff, child, guardian):
    r = recognise(staff, child, guardian)
    client.force_login(staff.village_user)
    page = client.get(f"/children/recognitions/{r.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "王小明" in text and "1,651.00 元" in text and decrypt_text(child.id_number_encrypted) not in text
    assert client.get("/children/").status_code == 200
    for user in (staff.other_village_user, staff.other_town_user):
        client.force_login(user)
        assert client.get(f"/children/recognitions/{r.pk}/").status_code == 404
        assert "王小明" not in client.get("/children/recognitions/").content.decode()
        assert client.post(f"/children/recognitions/{r.pk}/end/", {"version": r.version, "end_reason": "adopted"}).status_code == 404


def test_register_page_bad_input_writes_nothing(client, staff, child):
    client.force_login(staff.village_user)
    page = client.post(f"/children/recognitions/new/?person={child.pk}", {"category": "orphan", "source": "discovery", "grounds": ["parent_detained"], "placement": "scattered"})
    assert page.status_code == 200
    assert "所选情形不属于孤儿的认定情形" in page.content.decode()
    assert not Recognition.objects.exists()


def test_api_scoped(client, staff, child, guardian):
    r = recognise(staff, child, guardian)

    def get(user, url):
        token, _ = issue_token(user)
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")

    mine = get(staff.village_user, f"/api/v1/children/recognitions/{r.pk}")
    assert mine.status_code == 200
    assert (mine.json()["amount_fen"], mine.json()["child_name"], mine.json()["category_label"]) == (165100, "王小明", "孤儿")
    assert [x["id"] for x in get(staff.village_user, "/api/v1/children/recognitions").json()] == [r.pk]
    for user in (staff.other_village_user, staff.other_town_user):
        assert get(user, f"/api/v1/children/recognitions/{r.pk}").status_code == 404
        assert get(user, "/api/v1/children/recognitions").json() == []


def test_seed_demo_is_idempotent(make_person):
    for i, birth in enumerate(("20140101", "20150202")):
        make_person("500102006001", f"童{i}", birth=birth)
    for i in range(2):
        make_person("500102006001", f"长{i}", birth="19600101")
    make_person("500102006001", "童2", birth="20160303")
    first = seed_demo(seed=1)
    assert first["children"] == 2 and first["stations"] > 0
    assert (first["workers"], first["reports"], first["institution"], first["residents"]) == (4, 6, 1, 1)
    assert seed_demo(seed=1) == {"stations": 0, "children": 0, "workers": 0, "reports": 0, "institution": 0, "residents": 0}
    assert Enrolment.objects.filter(program__in=["orphan_allowance", "defacto_child_allowance"]).count() == 3
    home = WelfareInstitution.objects.get()
    assert (home.name, home.beds, home.floor_area_m2) == ("涪陵区儿童福利院", 100, 3500)
    statuses = sorted(ProtectionCase.objects.filter(division_code="500102006001").values_list("status", flat=True))
    assert statuses == ["follow_up", "reported", "reported"]


def test_change_of_placement_or_guardian_on_the_page(client, staff, child, guardian):
    r = recognise(staff, child, guardian)
    client.force_login(staff.village_user)
    assert "养育方式或监护人变更" not in client.get(f"/children/recognitions/{r.pk}/").content.decode()  # town or district only
    client.force_login(staff.town_user)
    assert "养育方式或监护人变更" in client.get(f"/children/recognitions/{r.pk}/").content.decode()
    bad = client.post(f"/children/recognitions/{r.pk}/change/", {"version": r.version, "placement": "scattered", "guardian_id_number": "", "reason": "监护人变更"})
    assert bad.status_code == 400 and "散居儿童须填写监护人（基本生活费的领款人）" in bad.content.decode()
    ok = client.post(f"/children/recognitions/{r.pk}/change/", {"version": r.version, "placement": "institutional", "reason": "入住儿童福利院"})
    assert ok.status_code == 302
    r.refresh_from_db()
    assert (r.placement, r.amount_fen, Enrolment.objects.get(pk=r.enrolment_id).amount_fen) == ("institutional", 185100, 185100)
    client.force_login(staff.other_town_user)
    assert client.post(f"/children/recognitions/{r.pk}/change/", {"version": r.version, "placement": "scattered", "reason": "x"}).status_code == 404
