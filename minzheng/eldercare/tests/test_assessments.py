"""Recording an assessment, its report and the 80+ coverage — scoped by town."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.eldercare.actions import do_record_assessment
from minzheng.eldercare.models import Assessment
from minzheng.eldercare.reports import assessment_pdf
from minzheng.eldercare.selectors import assessment_coverage, list_assessments_for
from minzheng.eldercare.tests.conftest import DUNREN, DUNREN_COMMUNITY, ZHENXI
from minzheng.eldercare.tests.helpers import items_with_total

TODAY = dt.date(2026, 12, 4)  # the suite's frozen day (root conftest.py)


def record(actor, person, total=50, **kw):
    return do_record_assessment(
        actor,
        person,
        assessed_on=kw.pop("assessed_on", TODAY),
        reason=kw.pop("reason", "first"),
        assessors=kw.pop("assessors", ["李评估", "周评估"]),
        items=kw.pop("items", items_with_total(total)),
        **kw,
    )


def test_records_totals_levels_and_next_due_date(actor_of, dunren_officer, elder):
    person = elder()
    a = record(actor_of(dunren_officer), person, total=50, risk_events_30d=2, assessed_on=dt.date(2025, 3, 31))
    a.refresh_from_db()
    assert (a.total, a.preliminary_level, a.final_level) == (50, "moderate", "severe")
    assert a.division_code == person.division_code
    assert a.next_due_on == dt.date(2026, 3, 31)  # 12 months: parameter assessment.reassessment_interval
    assert a.assessors == ["李评估", "周评估"]
    event = AuditEvent.objects.get(object_type="eldercare.assessment", object_id=str(a.pk))
    assert event.action == "create" and "50分" in event.summary


def test_refuses_missing_items_and_future_dates_with_chinese_messages(actor_of, dunren_officer, elder):
    items = items_with_total(60)
    del items["eating"]
    with pytest.raises(ValidationFailed) as exc:
        record(actor_of(dunren_officer), elder(), items=items, assessed_on=TODAY + dt.timedelta(days=1), assessors=[""])
    assert set(exc.value.errors) == {"items.eating", "assessed_on", "assessors"}
    assert Assessment.objects.count() == 0


def test_person_under_60_is_not_assessed(actor_of, dunren_officer, elder):
    with pytest.raises(ValidationFailed) as exc:
        record(actor_of(dunren_officer), elder(age=45))
    assert "60周岁" in exc.value.errors["person"]


def test_officer_of_another_town_cannot_record_or_see(actor_of, dunren_officer, zhenxi_officer, elder):
    person = elder()
    with pytest.raises(NotFound):
        record(actor_of(zhenxi_officer), person)
    assert not AuditEvent.objects.filter(object_type="eldercare.assessment").exists()
    a = record(actor_of(dunren_officer), person)
    assert list(list_assessments_for(actor_of(zhenxi_officer))) == []
    assert list(list_assessments_for(actor_of(dunren_officer))) == [a]


def test_leader_without_manage_permission_cannot_record(make_user, actor_of, elder):
    leader = make_user("district_leader", "500102")
    with pytest.raises(PermissionDenied):
        record(actor_of(leader), elder())


def test_pdf_report_reads_back(actor_of, dunren_officer, elder):
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    a = record(actor_of(dunren_officer), elder(name="赵桂芳"), total=66, dementia_or_mental_disorder=True)
    pdf = assessment_pdf(a)
    assert pdf.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "老年人能力评估报告" in text
    assert "赵桂芳" in text
    assert "66 / 90" in text
    assert "能力中度受损（中度失能）" in text  # final: mild + dementia
    assert a.person.id_number_masked in text


def test_pages_and_report_are_404_for_another_town(login_as, actor_of, dunren_officer, zhenxi_officer, elder, client):
    a = record(actor_of(dunren_officer), elder())
    login_as(zhenxi_officer)
    for url in (f"/eldercare/assessments/{a.pk}/", f"/eldercare/assessments/{a.pk}/report.pdf",
                f"/eldercare/assessments/new/{a.person_id}/", f"/eldercare/elders/{a.person_id}/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert a.person.name not in client.get("/eldercare/assessments/").content.decode()
    login_as(dunren_officer)
    response = client.get(f"/eldercare/assessments/{a.pk}/report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="print", object_id=str(a.pk)).exists()


def test_form_shows_inline_chinese_errors_and_saves(login_as, dunren_officer, elder, client):
    person = elder()
    login_as(dunren_officer)
    url = f"/eldercare/assessments/new/{person.pk}/"
    page = client.get(url).content.decode()
    assert 'class="required"' in page and "进食（0–4）" in page
    data = {"assessed_on": TODAY.isoformat(), "reason": "first", "assessor_1": "李评估", "risk_events_30d": "0"}
    response = client.post(url, data)
    assert response.status_code == 422
    assert "请填写此项" in response.content.decode()
    data |= {k: str(v) for k, v in items_with_total(29).items()}
    response = client.post(url, data)
    assert response.status_code == 302
    a = Assessment.objects.get(person=person)
    assert (a.total, a.final_level) == (29, "complete")


def test_80_plus_coverage_by_town(actor_of, district_staff, dunren_officer, elder, make_person):
    actor = actor_of(district_staff)
    old_a = elder(age=85)
    elder(age=81, name="钱大爷")
    elder(division_code="500102119001", age=90, name="孙奶奶")
    elder(age=70, name="不计入")  # under 80
    record(actor, old_a)
    data = assessment_coverage(actor)
    towns = {t["code"]: t for t in data["towns"]}
    assert (towns[DUNREN]["people"], towns[DUNREN]["assessed"]) == (2, 1)
    assert (towns[ZHENXI]["people"], towns[ZHENXI]["assessed"]) == (1, 0)
    assert (data["people"], data["assessed"], data["share"]) == (3, 1, 33.3)
    only_dunren = assessment_coverage(actor_of(dunren_officer))
    assert [t["code"] for t in only_dunren["towns"]] == [DUNREN]
    assert DUNREN_COMMUNITY.startswith(DUNREN)
