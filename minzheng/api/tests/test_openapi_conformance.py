"""The API keeps its own document: real calls answer what the OpenAPI document declares for
their status, every operation documents 401/403/404/409/422, errors come in one shape
(ErrorOut / ErrorsOut), and requests valid by the schema are accepted.

jsonschema is not installed in the project's environment, so a small structural validator
below checks the subset of JSON Schema the document uses ($ref, type, properties, required,
items, anyOf, enum, additionalProperties, minimum/maximum)."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from ninja import Schema

from minzheng.accounts.models import Role
from minzheng.api.urls import api
from minzheng.screening.tests.test_facts_contract import CONTRACT_EXAMPLE

DADONGMEN = "500102006001"
XINGSHENG = "500102119001"
ERROR_STATUSES = ("401", "403", "404", "409", "422")

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}


def schema_errors(value, schema: dict, document: dict, path: str = "$") -> list[str]:
    """Every place where ``value`` breaks ``schema`` (empty: it validates)."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return schema_errors(value, document["components"]["schemas"][name], document, path)
    if "anyOf" in schema:
        branches = [schema_errors(value, s, document, path) for s in schema["anyOf"]]
        if all(branches):
            return [f"{path}: matches none of anyOf ({'; '.join(b[0] for b in branches)})"]
        return []
    errors: list[str] = []
    kind = schema.get("type")
    if kind is not None:
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(_TYPES[k](value) for k in kinds):
            return [f"{path}: expected {kind}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            errors.append(f"{path}: {value} < {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            errors.append(f"{path}: {value} > {schema['maximum']}")
    if isinstance(value, dict):
        for key in schema.get("required", ()):
            if key not in value:
                errors.append(f"{path}: missing required {key!r}")
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in properties:
                errors += schema_errors(item, properties[key], document, f"{path}.{key}")
            elif extra is False:
                errors.append(f"{path}: unexpected {key!r}")
            elif isinstance(extra, dict):
                errors += schema_errors(item, extra, document, f"{path}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            errors += schema_errors(item, schema["items"], document, f"{path}[{index}]")
    return errors


@pytest.fixture(scope="module")
def document():
    return api.get_openapi_schema()


def _operation(document, method: str, url: str) -> dict:
    """The document's operation for a concrete URL (path parameters matched by position)."""
    parts = url.split("?")[0].strip("/").split("/")
    for template, item in document["paths"].items():
        t = template.strip("/").split("/")
        if len(t) == len(parts) and all(a == b or (a.startswith("{") and a.endswith("}")) for a, b in zip(t, parts)):
            if method in item:
                return item[method]
    raise AssertionError(f"{method.upper()} {url} is not in the document")


def _request_schema(operation: dict) -> dict:
    return operation["requestBody"]["content"]["application/json"]["schema"]


@pytest.fixture
def auth(client, make_user):
    def issue(role, *codes):
        user = make_user(role, *codes, password="api-pass-12345")
        response = client.post(
            "/api/v1/auth/token", {"username": user.username, "password": "api-pass-12345"}, content_type="application/json"
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['access_token']}"}

    return issue


def test_every_operation_documents_the_five_error_statuses_in_one_shape(document, client):
    served = client.get("/api/v1/openapi.json")
    assert served.status_code == 200
    assert served.json()["components"]["schemas"]["ErrorsOut"]["required"] == ["detail", "errors"]
    count = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            count += 1
            responses = operation["responses"]
            for status in ERROR_STATUSES:
                assert status in responses, f"{method.upper()} {path} does not document {status}"
                schema = json.dumps(responses[status]["content"]["application/json"]["schema"])
                expected = "ErrorsOut" if status == "422" else "ErrorOut"
                assert f"#/components/schemas/{expected}" in schema, f"{method.upper()} {path} {status}: {schema}"
    assert count >= 80
    assert document["components"]["schemas"]["ErrorsOut"]["required"] == ["detail", "errors"]
    assert document["components"]["schemas"]["FieldError"]["required"] == ["field", "message"]


def test_real_answers_validate_against_the_declared_response_schemas(client, auth, document, make_household):
    mine = make_household(DADONGMEN)
    theirs = make_household(XINGSHENG, names=("张翠山",))
    district = auth(Role.DISTRICT_STAFF, "500102")
    village = auth(Role.VILLAGE_WORKER, DADONGMEN)
    calls = [
        # (method, url, body, headers, expected status)
        ("post", "/api/v1/auth/token", {"username": "nobody", "password": "x"}, {}, 401),
        ("get", "/api/v1/persons", None, {}, 401),
        ("get", "/api/v1/persons", None, {"HTTP_AUTHORIZATION": "Bearer forged"}, 401),
        ("get", "/api/v1/persons?q=z", None, village, 200),
        ("get", f"/api/v1/persons/{mine.head_id}", None, village, 200),
        ("get", f"/api/v1/persons/{theirs.head_id}", None, village, 404),
        ("get", f"/api/v1/households/{mine.pk}", None, village, 200),
        ("get", "/api/v1/persons/abc", None, village, 422),
        ("post", "/api/v1/rules/evaluate", json.loads(CONTRACT_EXAMPLE), village, 200),
        ("post", "/api/v1/rules/evaluate", {}, village, 422),
        ("post", "/api/v1/rules/simulate", {"period": "2026-12", "set": {}}, district, 202),
        ("post", "/api/v1/rules/simulate", {"period": 5}, district, 422),
        ("post", "/api/v1/eldercare/assessments/score", {"items": {}}, village, 422),
        ("post", "/api/v1/eldercare/assessments/score", {"items": dict.fromkeys(["eating"], 1)}, village, 422),
        ("post", "/api/v1/exchange/feeds/death", {"rows": []}, district, 200),
        ("post", "/api/v1/exchange/feeds/death", {"rows": [{"id_number": "1"}]}, district, 422),
        ("post", "/api/v1/exchange/feeds/death", {"rows": 5}, district, 422),
        ("post", "/api/v1/exchange/feeds/death", {"rows": [], "mode": "sometimes"}, district, 422),
        ("post", "/api/v1/exchange/feeds/death", {"rows": []}, village, 403),
        ("post", "/api/v1/exchange/feeds/nosuchfeed", {"rows": []}, district, 404),
        ("get", "/api/v1/exchange/feeds", None, district, 200),
        ("get", "/api/v1/rules/parameters", None, village, 200),
    ]
    for method, url, body, headers, status in calls:
        operation = _operation(document, method, url)
        if body is not None:
            response = getattr(client, method)(url, body, content_type="application/json", **headers)
        else:
            response = getattr(client, method)(url, **headers)
        assert response.status_code == status, (method, url, response.status_code, response.content[:300])
        declared = operation["responses"][str(status)]["content"]["application/json"]["schema"]
        assert schema_errors(response.json(), declared, document) == [], (method, url, response.json())
        if status in (200, 202) and body is not None and "requestBody" in operation:
            # valid by the document, and accepted
            assert schema_errors(body, _request_schema(operation), document) == [], (method, url)


def test_schema_refusals_answer_errors_out_in_chinese(client, auth, make_household):
    village = auth(Role.VILLAGE_WORKER, DADONGMEN)
    response = client.post("/api/v1/rules/simulate", {"period": 5}, content_type="application/json", **village)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "输入有误",
        "errors": [{"field": "period", "message": "应为文字"}, {"field": "set", "message": "缺少必填字段"}],
    }
    response = client.get("/api/v1/persons/abc", **village)
    assert response.json() == {"detail": "输入有误", "errors": [{"field": "person_id", "message": "应为整数"}]}
    response = client.post("/api/v1/rules/simulate", b"{nope", content_type="application/json", **village)
    assert response.status_code == 422
    assert response.json() == {"detail": "输入有误", "errors": [{"field": "", "message": "请求体不是有效的JSON（第1行第2列）"}]}
    assert client.get("/api/v1/persons").json() == {"detail": "未提供有效的访问令牌，或令牌已过期、已撤销"}


def test_the_document_states_what_evaluate_and_scoring_need(document):
    evaluate = _request_schema(_operation(document, "post", "/api/v1/rules/evaluate"))
    assert evaluate["required"] == ["period", "household"]
    assert schema_errors({}, evaluate, document) == ["$: missing required 'period'", "$: missing required 'household'"]
    assert schema_errors(json.loads(CONTRACT_EXAMPLE), evaluate, document) == []
    score = _request_schema(_operation(document, "post", "/api/v1/eldercare/assessments/score"))
    errors = schema_errors({"items": {}}, score, document)
    assert len(errors) == 26 and errors[0] == "$.items: missing required 'eating'"


def test_an_empty_feed_is_an_empty_batch_with_its_id(client, auth):
    district = auth(Role.DISTRICT_STAFF, "500102")
    body = client.post("/api/v1/exchange/feeds/death", {"rows": []}, content_type="application/json", **district).json()
    assert isinstance(body["batch_id"], int)
    assert {k: body[k] for k in ("status", "total", "imported", "errors", "file_errors", "message")} == {
        "status": "committed",
        "total": 0,
        "imported": 0,
        "errors": [],
        "file_errors": [],
        "message": "没有数据，未写入任何数据",
    }


def test_an_empty_simulation_changes_nothing(client, auth, make_household):
    make_household(DADONGMEN)
    district = auth(Role.DISTRICT_STAFF, "500102")
    job = client.post(
        "/api/v1/rules/simulate", {"period": "2026-12", "set": {}}, content_type="application/json", **district
    ).json()
    assert job["status"] == "done"  # the tests' immediate backend; the worker otherwise
    body = client.get(job["url"], **district).json()["result"]
    assert body["overrides"] == {} and body["changed"] == []
    for town in body["towns"]:
        for program in town["programs"]:
            assert program["cases_change"] == 0 and program["amount_fen_change"] == 0


def test_no_two_api_schemas_share_a_name():
    """The document names each schema once (components are keyed by class name): two schemas
    of one name make one line's answers validate against another line's shape."""
    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    api.get_openapi_schema()  # every router's module is imported
    modules = defaultdict(set)
    for cls in subclasses(Schema):
        if cls.__module__.startswith("minzheng.") and ".tests." not in cls.__module__:
            modules[cls.__name__].add(cls.__module__)
    assert {name: sorted(m) for name, m in modules.items() if len(m) > 1} == {}
