"""The citizens' site as a citizen uses it (issue 22 items 1–2): sign in by code, bind, see the
household masked; nothing of the staff platform is reachable from it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

from minzheng.accounts.models import Role
from minzheng.citizen.tests.test_signin import PHONE, last_code
from minzheng.core.audit import AuditEvent
from minzheng.core.crypto import decrypt_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(make_household):
    return make_household("500102006001", names=("刘建国", "刘秀兰"))


def _number_of(person) -> str:
    return decrypt_text(person.id_number_encrypted)


def test_sign_in_bind_and_see_the_household_masked(client, household):
    assert client.get("/citizen/").url == "/citizen/signin/"
    page = client.get("/citizen/signin/").content.decode()
    assert "获取验证码" in page and "手机号码" in page
    refused = client.post("/citizen/signin/", {"phone": "12345"})
    assert "请输入11位手机号码" in refused.content.decode()
    sent = client.post("/citizen/signin/", {"phone": PHONE})
    assert sent.url == "/citizen/signin/code/"
    code_page = client.get("/citizen/signin/code/").content.decode()
    assert "138****5678" in code_page and PHONE not in code_page
    wrong = client.post("/citizen/signin/code/", {"code": "000000" if last_code() != "000000" else "111111"})
    assert "验证码不正确，还可以再试4次" in wrong.content.decode()
    signed = client.post("/citizen/signin/code/", {"code": last_code()})
    assert signed.url == "/citizen/"
    assert client.get("/citizen/").url == "/citizen/bind/"
    head = household.head
    bad = client.post("/citizen/bind/", {"name": "刘建", "id_number": _number_of(head)})
    assert "姓名与身份证号码不一致" in bad.content.decode()
    assert client.post("/citizen/bind/", {"name": "刘建国", "id_number": _number_of(head)}).url == "/citizen/"
    home = client.get("/citizen/").content.decode()
    assert "您好，刘建国" in home and "刘建国（本人）" in home
    assert "刘*兰" in home and "刘秀兰" not in home  # the other member masked
    assert _number_of(head) not in home and head.id_number_masked in home
    assert "None" not in home
    assert AuditEvent.objects.filter(action="view", actor_kind="citizen", object_id=str(household.pk)).count() == 1
    assert client.post("/citizen/signout/").url == "/citizen/signin/"
    assert client.get("/citizen/").url == "/citizen/signin/"


def test_a_citizen_session_opens_nothing_of_the_staff_platform(client, household):
    client.post("/citizen/signin/", {"phone": PHONE})
    client.post("/citizen/signin/code/", {"code": last_code()})
    for url in ("/persons/", "/assistance/", f"/households/{household.pk}/", "/audit/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/login/"), url
    assert client.get("/api/v1/persons").status_code == 401


def test_a_staff_session_is_not_a_citizen(client, make_user):
    client.force_login(make_user(Role.DISTRICT_STAFF, "500102", username="citizen_site_staff"))
    assert client.get("/citizen/").url == "/citizen/signin/"


@pytest.fixture
def citizen_site():
    with override_settings(ROOT_URLCONF="config.urls_citizen"):
        clear_url_caches()
        yield
    clear_url_caches()


def test_the_citizen_site_alone_has_no_staff_page_or_api(client, citizen_site):
    for url in ("/persons/", "/assistance/", "/api/v1/persons", "/api/v1/openapi.json", "/login/", "/audit/", "/planning/"):
        assert client.get(url).status_code == 404, url
    assert client.get("/").url == "/citizen/"
    assert client.get("/citizen/signin/").status_code == 200


def test_a_new_code_after_a_minute_replaces_the_old_one(client, travel):
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    travel(start)
    client.post("/citizen/signin/", {"phone": PHONE})
    old = last_code()
    travel(start + dt.timedelta(seconds=61))
    assert client.post("/citizen/signin/resend/").url == "/citizen/signin/code/"
    new = last_code()
    if new != old:
        assert "验证码不正确" in client.post("/citizen/signin/code/", {"code": old}).content.decode()
    assert client.post("/citizen/signin/code/", {"code": new}).url == "/citizen/"
