"""The volunteer API (list, register, sign in: scoped, refusals as 422 naming the field) and the
town report read back from Excel."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from minzheng.api.auth import issue_token
from minzheng.volunteers import actions
from minzheng.volunteers.models import ServiceHours, Volunteer
from minzheng.volunteers.tests.conftest import DADONGMEN, XINGSHENG

pytestmark = pytest.mark.django_db

D = dt.date


def bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)[0]}"}


def test_the_api_registers_signs_in_and_keeps_to_the_village(client, staff, make_person):
    person = make_person(DADONGMEN, "陈志愿", birth="19900505")
    theirs = make_person(XINGSHENG, "李外村", birth="19900505")
    mine = bearer(staff.village_user)
    refused = client.post("/api/v1/volunteers/volunteers", {"person_id": person.pk}, content_type="application/json", **mine)
    assert refused.status_code == 422 and Volunteer.objects.count() == 0
    created = client.post("/api/v1/volunteers/volunteers", {"person_id": person.pk, "consent_on": "2026-11-01", "skills": "理发"},
                          content_type="application/json", **mine)  # fmt: skip
    assert created.status_code == 201 and created.json()["name"] == "陈志愿" and "*" in created.json()["id_number_masked"]
    other = client.post("/api/v1/volunteers/volunteers", {"person_id": theirs.pk, "consent_on": "2026-11-01"}, content_type="application/json", **mine)
    assert other.status_code == 404 and Volunteer.objects.count() == 1
    activity = actions.do_create_activity(staff.village, title="重阳敬老义剪", division_code=DADONGMEN, held_on=D(2026, 12, 3))
    url = f"/api/v1/volunteers/activities/{activity.pk}/sign-in"
    volunteer_id = created.json()["id"]
    assert client.post(url, {"volunteer_id": volunteer_id, "hours": "2.5"}, content_type="application/json", **mine).json()["hours"] == "2.5"
    twice = client.post(url, {"volunteer_id": volunteer_id, "hours": "1"}, content_type="application/json", **mine)
    assert twice.status_code in (409, 422) and ServiceHours.objects.count() == 1
    assert [v["name"] for v in client.get("/api/v1/volunteers/volunteers", **mine).json()] == ["陈志愿"]
    assert client.get("/api/v1/volunteers/volunteers", **bearer(staff.other_village_user)).json() == []
    assert client.get("/api/v1/volunteers/indicators", **mine).status_code == 403


def test_the_town_report_reads_back(client, staff, make_person):
    person = make_person(DADONGMEN, "陈志愿", birth="19900505")
    volunteer = actions.do_register_volunteer(staff.village, person=person, consent_on=D(2026, 11, 1))
    activity = actions.do_create_activity(staff.village, title="重阳敬老义剪", division_code=DADONGMEN, held_on=D(2026, 12, 3))
    actions.do_sign_in(staff.village, activity, volunteer, hours="2.5")
    client.force_login(staff.district_user)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/volunteers/report.xlsx").content)).active
    rows = {r[0]: r[1:] for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]}
    assert rows["敦仁街道"][:4] == (1, 0, 0, 1) and rows["敦仁街道"][4] == "2.5"
    assert rows["珍溪镇"][:4] == (0, 0, 0, 0)
