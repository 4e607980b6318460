"""What the API document states is what the server does (issue 20 item 4): the parameters' and
fields' rules are in the document; a well-formed request naming what does not exist is a 404,
one conflicting with what is recorded a 409 — not a 422, which means "the document forbids it";
and the bounds the database columns need are checked before them (each failed before)."""

from __future__ import annotations

import re

import pytest

from minzheng.accounts.models import Role
from minzheng.accounts.scoping import DIVISION_PARAM_PATTERN
from minzheng.api.auth import issue_token
from minzheng.api.tests.test_openapi_conformance import schema_errors
from minzheng.api.urls import api
from minzheng.communities.models import ServiceFacility
from minzheng.core.periods import MONTH_PATTERN, YEAR_OR_MONTH_PATTERN
from minzheng.eldercare.tests.helpers import full_marks
from minzheng.placenames.models import PlaceName

pytestmark = pytest.mark.django_db
VILLAGE = "500102006001"  # 敦仁街道 大东门社区


@pytest.fixture
def call(client, make_user):
    user = make_user(Role.DISTRICT_STAFF, "500102", username="document_rules_district")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user)[0]}"}

    def post(url, body):
        return client.post(url, body, content_type="application/json", **headers)

    def get(url):
        return client.get(url, **headers)

    post.get = get
    return post


def _parameter(document, path, method, name):
    return next(p for p in document["paths"][path][method]["parameters"] if p["name"] == name)


def test_the_document_states_the_rules_of_divisions_months_years_and_windows():
    document = api.get_openapi_schema()
    assert _parameter(document, "/api/v1/persons", "get", "division")["schema"]["pattern"] == DIVISION_PARAM_PATTERN
    assert _parameter(document, "/api/v1/rules/parameters", "get", "on")["schema"]["pattern"] == MONTH_PATTERN
    assert _parameter(document, "/api/v1/marriage/stats", "get", "period")["schema"]["pattern"] == YEAR_OR_MONTH_PATTERN
    assert _parameter(document, "/api/v1/marriage/stats", "get", "period")["required"] is True
    year = _parameter(document, "/api/v1/charity/summary", "get", "year")
    # A query string cannot carry null: an optional year is absent, not "null".
    assert year["schema"]["type"] == "integer" and (year["schema"]["minimum"], year["schema"]["maximum"]) == (2000, 2100)
    limit = _parameter(document, "/api/v1/eldercare/facilities", "get", "limit")["schema"]
    assert (limit["minimum"], limit["maximum"]) == (1, 500)
    outlet = document["components"]["schemas"]["OutletIn"]
    assert outlet["additionalProperties"] is False
    assert outlet["properties"]["division_code"]["format"] == "village-code"
    assert outlet["properties"]["operator_id_number"]["format"] == "cn-id-number"
    assert set(outlet["required"]) >= {"kind", "division_code", "opened_on", "operator_name", "operator_id_number"}
    # Every integer of a body carries the bounded reader's limit.
    assert document["components"]["schemas"]["VersionIn"]["properties"]["version"]["maximum"] == 10**18 - 1


def test_the_patterns_are_the_readers():
    for code in ("50", "500102", "500102006001"):
        assert re.fullmatch(DIVISION_PARAM_PATTERN, code)
    for code in ("5", "5001020060011", "５００１", "²²"):
        assert re.fullmatch(DIVISION_PARAM_PATTERN, code) is None


def test_a_field_the_document_does_not_name_is_refused_by_name(call):
    response = call("/api/v1/eldercare/assessments/score", {"items": full_marks(), "extra": 1})
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "extra", "message": "不接受该字段"}]


def test_a_score_of_3_0_is_the_integer_3(call):
    items = {k: float(v) for k, v in full_marks().items()}
    response = call("/api/v1/eldercare/assessments/score", {"items": items})
    assert response.status_code == 200
    assert response.json()["final_level"] == "intact"


def test_a_person_who_does_not_exist_is_a_404_naming_the_field(call):
    response = call("/api/v1/disability/applications", {"person_id": 999999999, "subsidy": "disability_living_subsidy"})
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该人员，或该人员不在您的管辖范围内", "code": "not_found"}


def test_a_duplicate_is_a_409_and_writes_nothing(call):
    body = {"division_code": "500102006", "category": "road", "name": "兴华路", "pinyin": "Xīnghuá Lù"}
    assert call("/api/v1/placenames/places", body).status_code == 201
    again = call("/api/v1/placenames/places", body)
    assert again.status_code == 409
    assert again.json() == {"detail": "同一乡镇（街道）已有同类地名“兴华路”，不能重名", "code": "duplicate"}
    assert PlaceName.objects.filter(name="兴华路").count() == 1


def test_a_place_with_points_is_stored_as_geojson(call):
    body = {
        "division_code": "500102006", "category": "road", "name": "滨江路", "pinyin": "Bīnjiāng Lù",
        "points": [{"lon": "107.39", "lat": "29.71"}, {"lon": "107.40", "lat": "29.72"}],
    }  # fmt: skip
    response = call("/api/v1/placenames/places", body)
    assert response.status_code == 201, response.json()
    assert PlaceName.objects.get(name="滨江路").geometry == {"type": "LineString", "coordinates": [[107.39, 29.71], [107.4, 29.72]]}


def test_a_price_batch_for_a_month_without_its_index_is_a_404(call):
    response = call("/api/v1/lowincome/price-indices/2026-05/batch", None)
    assert response.status_code == 404
    assert response.json()["detail"] == "2026-05的物价指数尚未录入，请先录入该月物价指数"


def test_facility_rooms_and_area_beyond_their_columns_are_refused_by_name(call):
    """40,000 rooms overflowed the column (a 500 on PostgreSQL); so did 10^8 m² the area's digits."""
    body = {"division_code": VILLAGE, "name": "大东门社区服务站", "area_m2": "120", "ownership": "owned"}
    rooms = call("/api/v1/communities/facilities", {**body, "rooms": 40000})
    assert rooms.status_code == 422
    assert rooms.json()["errors"] == [{"field": "rooms", "message": "功能室数不能超过10000间，请核对"}]
    area = call("/api/v1/communities/facilities", {**body, "area_m2": "123456789"})
    assert area.status_code == 422
    assert area.json()["errors"] == [{"field": "area_m2", "message": "建筑面积过大，请核对"}]
    assert not ServiceFacility.objects.filter(name="大东门社区服务站").exists()


def _schemas_with_examples(node, found):
    if isinstance(node, dict):
        if "examples" in node and "type" in node:
            found.append(node)
        for value in node.values():
            _schemas_with_examples(value, found)
    elif isinstance(node, list):
        for value in node:
            _schemas_with_examples(value, found)
    return found


def test_every_example_in_the_document_validates_against_its_schema():
    document = api.get_openapi_schema()
    schemas = _schemas_with_examples(document, [])
    assert len(schemas) >= 6
    for schema in schemas:
        for example in schema["examples"]:
            assert schema_errors(example, schema, document) == [], schema.get("title")


@pytest.mark.parametrize(
    ("url", "component"),
    [("/api/v1/lottery/outlets", "OutletIn"), ("/api/v1/communities/facilities", "FacilityIn"), ("/api/v1/placenames/places", "PlaceIn")],
)
def test_the_documents_examples_are_accepted(call, url, component):
    example = api.get_openapi_schema()["components"]["schemas"][component]["examples"][0]
    response = call(url, example)
    assert response.status_code == 201, response.json()
