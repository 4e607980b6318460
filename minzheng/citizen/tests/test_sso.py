"""Single sign-on with a 渝快办-style provider (issue 22 item 2): the adapter is an interface; the
stand-in plays the provider. Out with a one-time state, back with a signed code; the account of
the mobile number is bound at once when the registry holds that person; a forged code, a stale
state or an account bound to somebody else is refused; production refuses the stand-in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import override_settings

from minzheng.citizen.models import CitizenAccount
from minzheng.citizen.sso import SsoIdentity, StandInSso
from minzheng.core.audit import AuditEvent
from minzheng.core.crypto import decrypt_text

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
DADONGMEN = "500102006001"
PHONE = "13912345678"


@pytest.fixture
def family(make_household):
    return make_household(DADONGMEN, names=("刘建国", "刘秀兰"))


def through_provider(client, *, name: str, id_number: str, phone: str = PHONE):
    start = client.get("/citizen/sso/")
    assert start.status_code == 302 and start.url.startswith("/citizen/sso/stand-in/?")
    page = client.get(start.url)
    assert page.status_code == 200 and "渝快办（演示）登录" in page.content.decode()
    back = client.post(start.url, {"name": name, "id_number": id_number, "phone": phone})
    assert back.status_code == 302 and back.url.startswith("/citizen/sso/callback/?")
    return client.get(back.url)


def test_signed_in_and_bound_by_the_provider(client, family):
    head = family.head
    assert "使用渝快办（演示）登录" in client.get("/citizen/signin/").content.decode()
    done = through_provider(client, name=head.name, id_number=decrypt_text(head.id_number_encrypted))
    assert done.status_code == 302 and done.url == "/citizen/"
    account = CitizenAccount.objects.get()
    assert (account.person_id, account.phone_masked) == (head.pk, "139****5678")
    assert head.name in client.get("/citizen/").content.decode()
    assert list(AuditEvent.objects.filter(actor_kind="citizen").order_by("id").values_list("action", "summary")) == [
        ("login", "群众注册并通过渝快办（演示）登录：139****5678"),
        ("update", f"渝快办（演示）实名认证：139****5678 绑定 {head.id_number_masked}"),
        ("view", "群众查看本人家庭信息"),
    ]


def test_a_person_the_registry_does_not_hold_signs_in_and_binds_as_anyone_does(client, family):
    done = through_provider(client, name="不在册", id_number="500102199001011237")
    assert done.url == "/citizen/"
    assert client.get("/citizen/").url == "/citizen/bind/"
    assert CitizenAccount.objects.get().person_id is None


def test_a_stale_state_or_a_forged_code_signs_nobody_in(client, family):
    head = family.head
    client.get("/citizen/sso/")
    code = StandInSso().issue_code(SsoIdentity("x", PHONE, head.name, decrypt_text(head.id_number_encrypted)))
    stale = client.get("/citizen/sso/callback/", {"state": "not-the-one", "code": code})
    assert stale.status_code == 400 and "登录已过期或来源不明，请重新登录" in stale.content.decode()
    state_url = client.get("/citizen/sso/").url
    state = parse_qs(urlparse(state_url).query)["state"][0]
    forged = client.get("/citizen/sso/callback/", {"state": state, "code": code[:-2] + "xx"})
    assert forged.status_code == 400 and "渝快办（演示）未能确认您的身份，请重新登录" in forged.content.decode()
    assert not CitizenAccount.objects.exists()
    assert client.get("/citizen/").url == "/citizen/signin/"


def test_an_account_bound_to_somebody_else_is_refused(client, family):
    head, other = family.head, family.persons.exclude(pk=family.head_id).first()
    through_provider(client, name=head.name, id_number=decrypt_text(head.id_number_encrypted))
    client.post("/citizen/signout/")
    refused = through_provider(client, name=other.name, id_number=decrypt_text(other.id_number_encrypted))
    assert refused.status_code == 400 and "该手机号已实名绑定其他人员" in refused.content.decode()
    assert CitizenAccount.objects.get().person_id == head.pk
    assert client.get("/citizen/").url == "/citizen/signin/"


@override_settings(MINZHENG_CITIZEN_SSO="")
def test_without_an_adapter_there_is_no_button_and_no_route(client):
    assert "渝快办" not in client.get("/citizen/signin/").content.decode()
    assert client.get("/citizen/sso/").status_code == 404
    assert client.get("/citizen/sso/stand-in/").status_code == 404
    assert client.get("/citizen/sso/callback/").status_code == 404


def test_production_refuses_the_stand_in(tmp_path):
    env = {
        **os.environ, "MINZHENG_PRODUCTION": "1", "MINZHENG_TESTING": "", "DJANGO_SETTINGS_MODULE": "config.settings",
        "MINZHENG_VAR_DIR": str(tmp_path), "ALLOWED_HOSTS": "minzheng.fuling.example", "SECRET_KEY": "k" * 60,
        "MINZHENG_CITIZEN_SSO": "minzheng.citizen.sso.StandInSso", "PYTHONPATH": str(ROOT),
    }  # fmt: skip
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "minzheng.manage", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "生产环境不能使用演示的统一身份认证" in result.stderr
