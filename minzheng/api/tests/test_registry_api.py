import pytest

from minzheng.accounts.models import Role
from minzheng.core.crypto import decrypt_text
from minzheng.core.models import AuditEvent

DADONGMEN = "500102006001"
XINGSHENG = "500102119001"


@pytest.fixture
def people(make_household):
    return make_household(DADONGMEN, names=("张三丰", "李四")), make_household(XINGSHENG, names=("张翠山",))


@pytest.fixture
def token_for(client, make_user):
    def issue(role, *codes):
        user = make_user(role, *codes, password="api-pass-12345")
        response = client.post(
            "/api/v1/auth/token", {"username": user.username, "password": "api-pass-12345"}, content_type="application/json"
        )
        assert response.status_code == 200
        return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['access_token']}"}

    return issue


def test_token_refused_for_wrong_password(client, make_user):
    user = make_user(Role.VILLAGE_WORKER, DADONGMEN, password="api-pass-12345")
    response = client.post(
        "/api/v1/auth/token", {"username": user.username, "password": "nope"}, content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json() == {"detail": "用户名或密码错误"}


def test_requests_without_token_are_refused(client, people):
    assert client.get("/api/v1/persons", {"q": "zsf"}).status_code == 401


def test_search_is_scoped_and_masked(client, token_for, people):
    mine, theirs = people
    auth = token_for(Role.VILLAGE_WORKER, DADONGMEN)
    body = client.get("/api/v1/persons", {"q": "z"}, **auth).json()
    assert [r["name"] for r in body["results"]] == ["张三丰"]
    assert body["results"][0]["id_number"] == mine.head.id_number_masked
    assert decrypt_text(mine.head.id_number_encrypted) not in str(body)
    # full number of someone in another town: nothing
    body = client.get("/api/v1/persons", {"q": decrypt_text(theirs.head.id_number_encrypted)}, **auth).json()
    assert body["count"] == 0


def test_person_and_household_of_other_village_are_404(client, token_for, people):
    _, theirs = people
    auth = token_for(Role.VILLAGE_WORKER, DADONGMEN)
    for url in (f"/api/v1/persons/{theirs.head_id}", f"/api/v1/households/{theirs.pk}", "/api/v1/persons/99999999"):
        response = client.get(url, **auth)
        assert response.status_code == 404
        assert response.json() == {"detail": "记录不存在或无权访问"}


def test_household_detail_is_masked_and_audited(client, token_for, people):
    mine, _ = people
    auth = token_for(Role.TOWN_OFFICER, "500102006")
    body = client.get(f"/api/v1/households/{mine.pk}", **auth).json()
    assert body["member_count"] == 2
    assert sorted(m["person"]["id_number"] for m in body["members"]) == sorted(
        m.person.id_number_masked for m in mine.memberships.select_related("person")
    )
    assert AuditEvent.objects.filter(action="view", object_type="household", object_id=str(mine.pk)).count() == 1


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/v1/auth/token", "/api/v1/persons", "/api/v1/persons/{person_id}", "/api/v1/households/{household_id}"} <= set(paths)
