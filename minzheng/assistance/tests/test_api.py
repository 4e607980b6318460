"""API: scoped and masked like the screens; the stale version is a 409 with the message."""

import pytest

from minzheng.api.auth import issue_token
from minzheng.assistance.enums import Status

pytestmark = pytest.mark.django_db


def bearer(user):
    token, _ = issue_token(user)
    return {"Authorization": f"Bearer {token}"}


def test_todo_and_accept_through_the_api(client, staff, new_case):
    app = new_case()
    r = client.get("/api/v1/assistance/todo", headers=bearer(staff.town_user))
    body = r.json()
    assert r.status_code == 200 and body["total"] == 1 and body["items"][0]["number"] == app.number
    r = client.post(f"/api/v1/assistance/applications/{app.pk}/accept", {"version": app.version}, content_type="application/json", headers=bearer(staff.town_user))
    assert r.status_code == 200 and r.json()["status"] == Status.INVESTIGATION
    assert "*" in r.json()["applicant_id_number"]
    r = client.post(f"/api/v1/assistance/applications/{app.pk}/accept", {"version": app.version}, content_type="application/json", headers=bearer(staff.district_user))
    assert r.status_code == 409 and r.json()["detail"] == "该申请已被其他用户处理，请刷新后重试"


def test_other_town_gets_404(client, staff, new_case):
    app = new_case()
    assert client.get(f"/api/v1/assistance/applications/{app.pk}", headers=bearer(staff.other_town_user)).status_code == 404
    assert client.get("/api/v1/assistance/todo", headers=bearer(staff.other_town_user)).json()["total"] == 0
