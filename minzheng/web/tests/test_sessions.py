"""Sessions and API tokens: `next` stays on this site; an account on its initial password gets
no token and reads nothing; tokens die on password change and logout and can be listed and
revoked (audited); the API's lockout answer is JSON in the ErrorsOut shape."""

from __future__ import annotations

import pytest

from minzheng.accounts.actions import do_revoke_api_token
from minzheng.accounts.models import ApiToken, Role
from minzheng.core.models import AuditEvent

DADONGMEN = "500102006001"
XINGSHENG = "500102119001"
PASSWORD = "right-password-1"


def _token(client, username, password=PASSWORD):
    return client.post("/api/v1/auth/token", {"username": username, "password": password}, content_type="application/json")


def _bearer(client, username) -> dict:
    response = _token(client, username)
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['access_token']}"}


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        " //evil.example",
        "http://testserver.evil.example/",
    ],
)
def test_next_never_leaves_the_site(client, make_user, target):
    make_user(Role.VILLAGE_WORKER, DADONGMEN, username="nexter", password=PASSWORD)
    response = client.post(f"/login/?next={target}", {"username": "nexter", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_next_on_this_site_is_followed(client, make_user):
    make_user(Role.VILLAGE_WORKER, DADONGMEN, username="nexter", password=PASSWORD)
    response = client.post("/login/?next=/persons/?q=zsf", {"username": "nexter", "password": PASSWORD})
    assert response["Location"] == "/persons/?q=zsf"


def test_an_initial_password_gets_no_token_and_reads_nothing(client, make_user):
    user = make_user(Role.VILLAGE_WORKER, DADONGMEN, username="fresh", password=PASSWORD)
    auth = _bearer(client, "fresh")  # issued while the password was a chosen one
    user.must_change_password = True
    user.save(update_fields=["must_change_password"])
    response = _token(client, "fresh")
    assert response.status_code == 403
    assert response.json() == {"detail": "请先登录网页修改初始密码，再申请接口令牌", "code": "must_change_password"}
    response = client.get("/api/v1/persons", **auth)
    assert response.status_code == 401
    assert response.json() == {"detail": "未提供有效的访问令牌，或令牌已过期、已撤销"}


def test_password_change_revokes_every_token(client, make_user):
    user = make_user(Role.VILLAGE_WORKER, DADONGMEN, username="changer", password=PASSWORD)
    first, second = _bearer(client, "changer"), _bearer(client, "changer")
    assert client.get("/api/v1/persons", **first).status_code == 200
    client.force_login(user)
    response = client.post("/password/", {"new_password1": "Fuling-2026-safe", "new_password2": "Fuling-2026-safe"})
    assert response.status_code == 302
    assert ApiToken.objects.filter(user=user).count() == 0
    assert client.get("/api/v1/persons", **first).status_code == 401
    assert client.get("/api/v1/persons", **second).status_code == 401
    event = AuditEvent.objects.get(object_type="api_token")
    assert (event.action, event.summary, event.username) == ("delete", "撤销接口令牌2个（修改密码）", "changer")


def test_logout_revokes_every_token(client, make_user):
    user = make_user(Role.VILLAGE_WORKER, DADONGMEN, username="leaver", password=PASSWORD)
    auth = _bearer(client, "leaver")
    client.force_login(user)
    assert client.post("/logout/").status_code == 302
    assert client.get("/api/v1/persons", **auth).status_code == 401
    assert AuditEvent.objects.get(object_type="api_token").summary == "撤销接口令牌1个（退出登录）"


def test_token_page_lists_and_revokes_own_tokens_only(client, make_user):
    me = make_user(Role.VILLAGE_WORKER, DADONGMEN, username="owner", password=PASSWORD)
    make_user(Role.VILLAGE_WORKER, XINGSHENG, username="other", password=PASSWORD)
    auth = _bearer(client, "owner")
    other_auth = _bearer(client, "other")
    mine = ApiToken.objects.get(user=me)
    theirs = ApiToken.objects.get(user__username="other")
    client.force_login(me)
    page = client.get("/tokens/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<td>{mine.pk}</td><td class="nowrap">2026-12-04 09:00</td><td class="nowrap">2026-12-04 17:00</td>' in html
    assert "有效" in html and f"<td>{theirs.pk}</td>" not in html
    # another's token: the same 404 as a missing one, and it stays valid
    assert client.post("/tokens/", {"token": theirs.pk}).status_code == 404
    assert client.post("/tokens/", {"token": "abc"}).status_code == 404
    assert client.get("/api/v1/persons", **other_auth).status_code == 200
    response = client.post("/tokens/", {"token": mine.pk})
    assert response.status_code == 302 and response["Location"] == "/tokens/"
    assert client.get("/api/v1/persons", **auth).status_code == 401
    event = AuditEvent.objects.get(object_type="api_token")
    assert (event.action, event.object_id, event.summary) == ("delete", str(mine.pk), "撤销接口令牌")
    assert "没有接口令牌。" in client.get("/tokens/").content.decode()


def test_an_administrator_may_revoke_anyones_token(client, make_user, actor_of):
    make_user(Role.VILLAGE_WORKER, DADONGMEN, username="holder", password=PASSWORD)
    auth = _bearer(client, "holder")
    admin = make_user(Role.SYSTEM_ADMIN, "500102")
    do_revoke_api_token(actor_of(admin), ApiToken.objects.get(user__username="holder").pk)
    assert client.get("/api/v1/persons", **auth).status_code == 401


def test_api_lockout_answers_json_in_the_errors_shape(client, make_user):
    make_user(Role.VILLAGE_WORKER, DADONGMEN, username="lockapi", password=PASSWORD)
    for _ in range(5):
        response = _token(client, "lockapi", "wrong")
    response = _token(client, "lockapi")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    locked = "登录失败次数过多，账号已临时锁定，请30分钟后再试，或联系系统管理员解锁"
    assert response.json() == {"detail": locked, "errors": [{"field": "username", "message": locked}]}
    # the screens keep their page
    make_user(Role.VILLAGE_WORKER, DADONGMEN, username="lockweb", password=PASSWORD)
    for _ in range(6):
        response = client.post("/login/", {"username": "lockweb", "password": "wrong"})
    assert response.status_code == 429 and "账号已临时锁定" in response.content.decode()
