"""A worker of another village or town sees none of the alerts, tasks or 三留守 people: lists are
empty, pages and API answer 404 — the same answer as for a missing row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from minzheng.api.auth import issue_token
from minzheng.core.errors import NotFound
from minzheng.discovery import actions
from minzheng.discovery.models import Alert, Task
from minzheng.discovery.selectors import dashboard_for, list_alerts_for, list_left_behind_for, list_tasks_for
from minzheng.discovery.tests.conftest import DADONGMEN, MEDICAL_HEADERS, id_of, import_rows

D = dt.date


@pytest.fixture
def alert(staff, family):
    household, (head, _) = family(wage=(150000, 0))
    row = [id_of(head), head.name, "JS1", "涪陵中心医院", D(2026, 9, 1), D(2026, 9, 10), 22000, 10000, 12000]
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [row])
    return Alert.objects.get()


@pytest.fixture
def entry(staff, make_person):
    person = make_person(DADONGMEN, "周秀兰", birth="19440302")
    return actions.do_register_left_behind(staff.village, person, category="elderly", registered_on=D(2026, 11, 1))


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def api_for(user) -> Client:
    token, _ = issue_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def test_lists_are_empty_for_other_villages_and_towns(staff, alert, entry):
    for actor in (staff.village, staff.town, staff.district):
        assert list_alerts_for(actor).count() == 1 and list_tasks_for(actor).count() == 1
        assert list_left_behind_for(actor).count() == 1
    for actor in (staff.other_village, staff.other_town):
        assert list_alerts_for(actor).count() == 0 and list_tasks_for(actor).count() == 0
        assert list_left_behind_for(actor).count() == 0
        board = dashboard_for(actor)
        assert board.rows == [] and board.open_tasks == 0 and sum(board.left_behind.values()) == 0


def test_pages_answer_404_outside_the_scope(staff, alert, entry):
    task = Task.objects.get()
    urls = [
        f"/discovery/alerts/{alert.pk}/",
        f"/discovery/left-behind/{entry.pk}/",
    ]
    for url in urls:
        assert client_for(staff.village_user).get(url).status_code == 200
        for user in (staff.other_village_user, staff.other_town_user):
            response = client_for(user).get(url)
            assert response.status_code == 404, (url, user)
            assert "周秀兰" not in response.content.decode() and alert.person.name not in response.content.decode()
    response = client_for(staff.other_village_user).post(f"/discovery/tasks/{task.pk}/outcome/", {"outcome": "visited"})
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.status == "open"
    listing = client_for(staff.other_town_user).get("/discovery/alerts/")
    assert listing.status_code == 200 and alert.person.name not in listing.content.decode()


def test_api_answers_404_outside_the_scope(staff, alert):
    task = Task.objects.get()
    ok = api_for(staff.village_user)
    assert ok.get(f"/api/v1/discovery/alerts/{alert.pk}").status_code == 200
    assert len(ok.get("/api/v1/discovery/alerts").json()) == 1
    for user in (staff.other_village_user, staff.other_town_user):
        api = api_for(user)
        assert api.get(f"/api/v1/discovery/alerts/{alert.pk}").status_code == 404
        assert api.get(f"/api/v1/discovery/tasks/{task.pk}").status_code == 404
        assert api.get("/api/v1/discovery/alerts").json() == []
        response = api.post(f"/api/v1/discovery/tasks/{task.pk}/outcome", {"outcome": "visited"}, content_type="application/json")
        assert response.status_code == 404
    body = ok.get(f"/api/v1/discovery/alerts/{alert.pk}").json()
    assert "*" in body["id_number"]  # masked


def test_actions_refuse_other_villages(staff, alert, entry):
    with pytest.raises(NotFound):
        actions.do_record_task_outcome(staff.other_village, Task.objects.get(), outcome="visited")
    with pytest.raises(NotFound):
        actions.do_end_left_behind(staff.other_town, entry, reason="other")


def test_import_batches_are_not_visible_to_village_workers(staff, alert):
    batch_id = alert.batch_id
    assert client_for(staff.district_user).get(f"/exchange/batches/{batch_id}/").status_code == 200
    assert client_for(staff.village_user).get(f"/exchange/batches/{batch_id}/").status_code in (403, 404)
    assert client_for(staff.other_town_user).get(f"/exchange/batches/{batch_id}/report.xlsx").status_code in (403, 404)
