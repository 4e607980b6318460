"""Machine clients push the same feeds through POST /api/v1/exchange/feeds/{kind}."""

from __future__ import annotations

import pytest
from django.test import Client

from minzheng.api.auth import issue_token
from minzheng.discovery.models import Alert, Signal
from minzheng.discovery.tests.conftest import DADONGMEN, enrol, id_of
from minzheng.exchange.models import ImportBatch


@pytest.fixture
def people(make_person):
    people = [make_person(DADONGMEN, n) for n in ("甲", "乙")]
    for p in people:
        enrol("tekun", person=p)
    return people


def api(user) -> Client:
    token, _ = issue_token(user)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def rows(people):
    return [{"id_number": id_of(p), "name": p.name, "death_date": "2026-11-03", "source": "公安户籍注销"} for p in people]


def test_push_commits_and_a_retry_changes_nothing(staff, people):
    client = api(staff.district_user)
    body = {"mode": "all_or_nothing", "rows": rows(people)}
    first = client.post("/api/v1/exchange/feeds/death", body, content_type="application/json")
    assert first.status_code == 200, first.content
    data = first.json()
    assert (data["status"], data["imported"], data["alerts"], data["duplicate"]) == ("committed", 2, 2, False)
    again = client.post("/api/v1/exchange/feeds/death", body, content_type="application/json")
    assert again.status_code == 200 and again.json()["duplicate"] and again.json()["batch_id"] == data["batch_id"]
    assert Signal.objects.count() == 2 and Alert.objects.count() == 2 and ImportBatch.objects.count() == 1
    assert client.get(f"/api/v1/exchange/batches/{data['batch_id']}").json()["imported"] == 2


def test_the_clients_idempotency_key_is_honoured(staff, people):
    client = api(staff.district_user)
    body = {"rows": rows(people[:1])}
    assert client.post("/api/v1/exchange/feeds/death", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="yibao-20261120-001").json()["imported"] == 1
    body = {"rows": rows(people)}  # a different body under the same key: already done
    again = client.post("/api/v1/exchange/feeds/death", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="yibao-20261120-001")
    assert again.json()["duplicate"] and Signal.objects.count() == 1


def test_bad_rows_are_refused_with_row_errors_and_nothing_written(staff, people):
    client = api(staff.district_user)
    body = {"rows": [*rows(people), {"id_number": 500102195201207809, "name": "数字", "death_date": "2099-01-01", "source": "x"}]}
    response = client.post("/api/v1/exchange/feeds/death", body, content_type="application/json")
    assert response.status_code == 422
    data = response.json()
    assert data["status"] == "refused" and data["error_rows"] == 1
    assert {(e["row"], e["column"]) for e in data["errors"]} == {(3, "身份证号码"), (3, "死亡日期"), (3, "信息来源")}
    assert any("文本格式" in e["message"] for e in data["errors"])
    assert Signal.objects.count() == 0
    good_only = client.post("/api/v1/exchange/feeds/death", {**body, "mode": "good_rows_only"}, content_type="application/json")
    assert good_only.status_code == 200 and good_only.json()["imported"] == 2


def test_feeds_are_described_and_refused_to_the_unauthorised(staff):
    feeds = api(staff.district_user).get("/api/v1/exchange/feeds").json()
    assert {f["kind"] for f in feeds} >= {"medical_discharge", "disability_certificate", "death", "unemployment", "school_leaving", "disaster"}
    village = api(staff.village_user)
    assert village.get("/api/v1/exchange/feeds").json() == []
    assert village.post("/api/v1/exchange/feeds/death", {"rows": []}, content_type="application/json").status_code == 403
    assert Client().post("/api/v1/exchange/feeds/death", {"rows": []}, content_type="application/json").status_code == 401
    assert api(staff.district_user).post("/api/v1/exchange/feeds/nope", {"rows": []}, content_type="application/json").status_code == 404
