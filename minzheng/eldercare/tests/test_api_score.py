"""POST /api/v1/eldercare/assessments/score."""

from __future__ import annotations

from minzheng.eldercare.tests.helpers import full_marks, items_with_total

URL = "/api/v1/eldercare/assessments/score"


def test_scores_and_returns_levels_with_labels(api_as, dunren_officer):
    response = api_as(dunren_officer).post(
        URL, {"items": items_with_total(66), "coma": False, "dementia_or_mental_disorder": True, "risk_events_30d": 2}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 66
    assert body["preliminary_level"] == "mild"
    assert body["final_level"] == "severe"
    assert body["preliminary_level_label"] == "能力轻度受损（轻度失能）"
    assert body["final_level_label"] == "能力重度受损（重度失能）"


def test_optional_flags_default_to_no_adjustment(api_as, dunren_officer):
    response = api_as(dunren_officer).post(URL, {"items": full_marks()})
    assert response.status_code == 200
    assert response.json()["final_level"] == "intact"


def test_422_names_every_missing_and_out_of_range_item(api_as, dunren_officer):
    items = full_marks()
    del items["memory"]
    items["consciousness"] = 3
    items["transport"] = 9
    response = api_as(dunren_officer).post(URL, {"items": items, "risk_events_30d": 0})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"items.memory", "items.consciousness", "items.transport"}


def test_requires_a_token(client):
    response = client.post(URL, data={"items": {}}, content_type="application/json")
    assert response.status_code == 401
