"""The roster import (all-or-nothing, row and field named), coverage of indicators 3 and 4 by
hand (and what planning reads), the screens and the API refusing another village or town."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import xlsxwriter

from minzheng.accounts.actor import Actor
from minzheng.api.auth import issue_token
from minzheng.assistance.actions import NewEnrolment, do_create_enrolment
from minzheng.assistance.enums import EnrolmentSource
from minzheng.assistance.models import Enrolment
from minzheng.core import clock
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import PermissionDenied
from minzheng.disability import selectors
from minzheng.disability.enums import Status, Subsidy
from minzheng.disability.imports import KIND
from minzheng.disability.models import SubsidyApplication
from minzheng.discovery.models import Signal
from minzheng.exchange.actions import do_commit_import, do_preview_import
from minzheng.exchange.models import BatchStatus, CommitMode
from minzheng.exchange.spec import get_spec
from minzheng.planning import adapters
from minzheng.screening.models import ScreeningResult, ScreeningRun

from .conftest import DADONGMEN, XINGSHENG, certificate_of
from .test_workflow import approve, register

pytestmark = pytest.mark.django_db
D = dt.date


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


def row(person, grade="2", amount="80.00", **kw):
    values = {
        "id_number": decrypt_text(person.id_number_encrypted), "name": person.name, "division_code": person.division_code,
        "subsidy": "重度残疾人护理补贴", "certificate_number": certificate_of(person, "4", grade), "certificate_category": "肢体残疾",
        "certificate_grade": grade, "certificate_issued_on": "2022-05-20", "approved_on": "2023-01-10", "start": "2023-02", "amount": amount,
    }
    values.update(kw)
    return [values[c.key] for c in get_spec(KIND).columns]


# -- roster import ---------------------------------------------------------------------------------


def test_roster_round_trip(staff, severe):
    batch = do_preview_import(staff.town, KIND, filename="护理补贴.xlsx", content=xlsx([header(), row(severe)])).batch
    assert (batch.error_rows, batch.summary.get("enrolments_planned")) == (0, 1)
    batch = do_commit_import(staff.town, batch, CommitMode.ALL_OR_NOTHING)
    assert batch.status == BatchStatus.COMMITTED
    a = SubsidyApplication.objects.get()
    assert (a.status, a.source, a.amount_fen, a.start_month, a.certificate_grade) == (Status.APPROVED, "roster", 8000, D(2027, 1, 1), 2)
    e = Enrolment.objects.get(pk=a.enrolment_id)
    assert (e.program, e.amount_fen, e.start_month, e.source) == ("severe_disability_care_subsidy", 8000, D(2027, 1, 1), "roster")


def test_a_grade_out_of_range_names_the_row_and_the_field_and_imports_nothing(staff, severe, make_person, id_number):
    other = make_person(DADONGMEN, "李四", id_number=id_number("19650505", "321"))
    content = xlsx([header(), row(severe), row(other, grade="5"), row(severe), row(other, amount="50.00", grade="1")])
    batch = do_preview_import(staff.town, KIND, filename="x.xlsx", content=content).batch
    assert sorted((e[0], e[1], e[2]) for e in batch.errors) == [
        (3, "残疾等级", "残疾等级须为一级至四级"),
        (4, "身份证号码", "与第2行重复"),
        (5, "月补贴金额（元）", "与现行标准（80.00元）不符"),
    ]
    batch = do_commit_import(staff.town, batch, CommitMode.GOOD_ROWS_ONLY)
    assert batch.status == BatchStatus.REFUSED
    assert not SubsidyApplication.objects.exists() and not Enrolment.objects.exists()


def test_roster_import_refused_to_a_village(staff):
    with pytest.raises(PermissionDenied):
        do_preview_import(staff.village, KIND, filename="x.xlsx", content=xlsx([header()]))


# -- coverage (indicators 3 and 4) by hand --------------------------------------------------------


def _run(period="2026-12"):
    now = clock.now()
    return ScreeningRun.objects.create(period=period, is_current=True, division_prefix="", started_at=now, finished_at=now)


def _result(run, person, program, eligible=True, amount=8000):
    ScreeningResult.objects.create(run=run, program=program, subject_kind="person", household_id=person.household_id or 0,
                                   person_id=person.pk, division_code=person.division_code, eligible=eligible, amount_fen=amount)


def test_coverage_by_hand(staff, severe, make_person, id_number, dibao_household):
    care = Subsidy.CARE.value
    a = make_person(DADONGMEN, "甲", id_number=id_number("19500101", "111"))  # eligible, not enrolled → 应保未保
    c = make_person(XINGSHENG, "丙", id_number=id_number("19500101", "131"))  # eligible, not enrolled → 应保未保
    d = make_person(XINGSHENG, "丁", id_number=id_number("19500101", "141"))  # paid, not eligible → 应退未退
    approve(staff, register(staff, severe))  # eligible and enrolled from next month: counts for this month's run
    do_create_enrolment(Actor.system("测试"), NewEnrolment(
        program=care, person=d, payee=d, division_code=XINGSHENG, zone="rural", amount_fen=8000, start_month=D(2025, 1, 1),
        decided_on=D(2024, 12, 20), reason="旧名册", source=EnrolmentSource.ROSTER))
    household, _ = dibao_household
    member = household.memberships.exclude(person_id=household.head_id).get().person
    approve(staff, register(staff, member, subsidy=Subsidy.LIVING, grade=3))
    run = _run()
    for p in (severe, a, c):
        _result(run, p, care)
    _result(run, member, Subsidy.LIVING.value)
    cov = selectors.coverage(staff.district, care, run=run)
    assert cov.by_town == {"500102006": (1, 2), "500102119": (0, 1)}
    assert (cov.eligible, cov.enrolled, cov.percent) == (3, 1, "33.3")
    assert [r["person"].name for r in cov.missed] == ["甲", "丙"]
    assert [(r["person"].name, r["reason"], r["amount_fen"]) for r in cov.wrongly_paid] == [("丁", "按最新筛查不再符合条件", 8000)]
    first = selectors.coverage(staff.district, care, run=run, list_limit=1)  # the page lists the first ones; the counts stay whole
    assert ([r["person"].name for r in first.missed], first.missed_count, first.wrongly_paid_count) == (["甲"], 2, 1)
    living = selectors.coverage(staff.district, Subsidy.LIVING.value, run=run)
    assert (living.by_town, living.missed, living.wrongly_paid) == ({"500102006": (1, 1)}, [], [])
    # 珍溪镇 sees its own town only.
    mine = selectors.coverage(staff.other_town, care, run=run)
    assert (mine.by_town, [r["person"].name for r in mine.missed], [r["person"].name for r in mine.wrongly_paid]) == (
        {"500102119": (0, 1)}, ["丙"], ["丁"])
    # Planning reads the same counts through the indicator registry.
    assert adapters.screening_coverage(run.id, care) == {"500102006": (1, 2), "500102119": (0, 1)}
    assert adapters.screening_coverage(run.id, Subsidy.LIVING.value) == {"500102006": (1, 1)}


def test_an_enrolment_ended_before_the_run_month_does_not_count(staff, severe):
    care = Subsidy.CARE.value
    do_create_enrolment(Actor.system("测试"), NewEnrolment(
        program=care, person=severe, payee=severe, division_code=DADONGMEN, zone="urban", amount_fen=8000,
        start_month=D(2025, 1, 1), end_month=D(2026, 11, 1), decided_on=D(2024, 12, 20), reason="旧名册", source=EnrolmentSource.ROSTER))
    run = _run()
    _result(run, severe, care)
    assert selectors.coverage(staff.district, care, run=run).by_town == {"500102006": (0, 1)}
    run_nov = _run("2026-11")
    _result(run_nov, severe, care)
    assert selectors.coverage(staff.district, care, run=run_nov).by_town == {"500102006": (1, 1)}


# -- screens and API --------------------------------------------------------------------------------


def test_pages_scoped(client, staff, severe):
    client.force_login(staff.village_user)
    page = client.get(f"/persons/{severe.pk}/")
    assert "申请两项补贴" in page.content.decode()
    new = client.get(f"/disability/applications/new/?person={severe.pk}")
    assert new.status_code == 200 and "王建国" in new.content.decode()
    posted = client.post(f"/disability/applications/new/?person={severe.pk}", {
        "person": severe.pk, "subsidy": Subsidy.CARE, "certificate_number": certificate_of(severe), "certificate_category": "physical",
        "certificate_grade": "2", "certificate_issued_on": "2026-03-10", "certificate_checked": "on"})
    a = SubsidyApplication.objects.get()
    assert posted.status_code == 302 and posted["Location"] == f"/disability/applications/{a.pk}/"
    detail = client.get(f"/disability/applications/{a.pk}/").content.decode()
    assert a.number in detail and certificate_of(severe) not in detail and a.certificate_number_masked in detail
    for user in (staff.other_village_user, staff.other_town_user):
        client.force_login(user)
        assert client.get(f"/disability/applications/{a.pk}/").status_code == 404
        assert "王建国" not in client.get("/disability/applications/").content.decode()
        assert client.post(f"/disability/applications/{a.pk}/accept/", {"version": a.version}).status_code == 404
    client.force_login(staff.town_user)
    assert client.post(f"/disability/applications/{a.pk}/accept/", {"version": a.version}).status_code == 302
    assert SubsidyApplication.objects.get().status == Status.REVIEW


def test_register_page_grade_out_of_range_writes_nothing(client, staff, severe):
    client.force_login(staff.village_user)
    page = client.post(f"/disability/applications/new/?person={severe.pk}", {
        "person": severe.pk, "subsidy": Subsidy.CARE, "certificate_number": certificate_of(severe, "4", 5), "certificate_category": "physical",
        "certificate_grade": "5", "certificate_issued_on": "2026-03-10", "certificate_checked": "on"})
    body = page.content.decode()
    assert page.status_code == 400 and "残疾等级须为一级至四级" in body
    assert not SubsidyApplication.objects.exists()


def test_coverage_page_and_export(client, staff, severe):
    run = _run()
    _result(run, severe, Subsidy.CARE.value)
    client.force_login(staff.town_user)
    body = client.get("/disability/coverage/").content.decode()
    assert "指标4：重度残疾人护理补贴覆盖率" in body and "王建国" in body and "应保未保" in body
    export = client.get("/disability/coverage/export.xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")
    client.force_login(staff.other_town_user)
    assert "王建国" not in client.get("/disability/coverage/").content.decode()


def test_api_scoped(client, staff, severe):
    a = approve(staff, register(staff, severe))

    def get(user, url):
        token, _ = issue_token(user)
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")

    mine = get(staff.village_user, f"/api/v1/disability/applications/{a.pk}")
    assert mine.status_code == 200
    assert (mine.json()["amount_fen"], mine.json()["person_name"], mine.json()["status_label"]) == (8000, "王建国", "已批准")
    assert [x["id"] for x in get(staff.village_user, "/api/v1/disability/applications").json()] == [a.pk]
    for user in (staff.other_village_user, staff.other_town_user):
        assert get(user, f"/api/v1/disability/applications/{a.pk}").status_code == 404
        assert get(user, "/api/v1/disability/applications").json() == []


def test_api_register_grade_out_of_range_is_422(client, staff, severe):
    token, _ = issue_token(staff.village_user)
    r = client.post("/api/v1/disability/applications", {
        "person_id": severe.pk, "subsidy": Subsidy.CARE, "certificate_number": certificate_of(severe, "4", 7),
        "certificate_category": "physical", "certificate_grade": 7, "certificate_issued_on": "2026-03-10"},
        content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "certificate_grade", "message": "残疾等级须为一级至四级"}]
    assert not SubsidyApplication.objects.exists()


def test_application_from_a_disability_feed_row(client, staff, severe):
    """A 残联 row (discovery's feed): the form starts from its category, grade and date."""
    signal = Signal.objects.create(kind="disability_certificate", batch_id=1, row_number=2, row_key="k1", person=severe,
                                   division_code=severe.division_code, event_date=D(2026, 11, 20), grade=1, code="new",
                                   detail={"category": "physical"})
    client.force_login(staff.village_user)
    page = client.get(f"/disability/applications/new/?signal={signal.pk}").content.decode()
    assert "区残联数据推送" in page and 'value="2026-11-20"' in page and 'value="1"' in page
    posted = client.post(f"/disability/applications/new/?signal={signal.pk}", {
        "signal": signal.pk, "subsidy": Subsidy.CARE, "certificate_number": certificate_of(severe, "4", 1),
        "certificate_category": "physical", "certificate_grade": "1", "certificate_issued_on": "2026-11-20", "certificate_checked": "on"})
    assert posted.status_code == 302
    a = SubsidyApplication.objects.get()
    assert (a.source, a.source_ref, a.certificate_grade) == ("feed", signal.pk, 1)
    client.force_login(staff.other_village_user)
    assert client.get(f"/disability/applications/new/?signal={signal.pk}").status_code == 404
