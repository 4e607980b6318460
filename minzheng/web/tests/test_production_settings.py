"""Production settings (config/production.py, MINZHENG_PRODUCTION=1): Secure + HttpOnly +
SameSite cookies, HSTS, HTTPS redirect honouring the proxy's X-Forwarded-Proto, and
`minzheng check --deploy` without a warning. And Cache-Control: no-store on every page, API
answer and download (minzheng/web/middleware.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.test import override_settings

from config.production import PRODUCTION_SETTINGS
from minzheng.accounts.models import Role

ROOT = Path(__file__).resolve().parents[3]
DADONGMEN = "500102006001"
PASSWORD = "right-password-1"


def test_production_values():
    assert {k: PRODUCTION_SETTINGS[k] for k in sorted(PRODUCTION_SETTINGS)} == {
        "CSRF_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "DEBUG": False,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SECURE_REFERRER_POLICY": "same-origin",
        "SECURE_SSL_REDIRECT": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": True,
        "X_FRAME_OPTIONS": "DENY",
    }


def test_deploy_check_passes_without_warnings(tmp_path):
    env = {
        **os.environ,
        "MINZHENG_PRODUCTION": "1",
        "MINZHENG_TESTING": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MINZHENG_VAR_DIR": str(tmp_path),
        "ALLOWED_HOSTS": "minzheng.fuling.example",
        "SECRET_KEY": "x7Qv-" + "k9#Lm2$Pz8!Wc4^Rt6&Yb1*Hn3(Jd5)Gf0_Vs" * 2,
        "PYTHONPATH": str(ROOT),
    }
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):  # set by the test run only
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "-m", "minzheng.manage", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@override_settings(**PRODUCTION_SETTINGS)
def test_plain_http_is_redirected_and_the_proxy_header_is_honoured(client):
    response = client.get("/login/")
    assert response.status_code == 301 and response["Location"] == "https://testserver/login/"
    response = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


@override_settings(**PRODUCTION_SETTINGS)
def test_cookies_are_secure_httponly_and_same_site(client, make_user):
    make_user(Role.VILLAGE_WORKER, DADONGMEN, username="cookie", password=PASSWORD)
    response = client.post("/login/", {"username": "cookie", "password": PASSWORD}, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert (session["secure"], session["httponly"], session["samesite"]) == (True, True, "Lax")
    page = client.get("/password/", HTTP_X_FORWARDED_PROTO="https")
    csrf = page.cookies.get("csrftoken") or client.cookies["csrftoken"]
    assert (csrf["secure"], csrf["samesite"]) == (True, "Lax")


def test_pages_api_answers_and_downloads_are_not_stored(client, make_user):
    user = make_user(Role.DISTRICT_STAFF, "500102", username="nostore", password=PASSWORD)
    token = client.post(
        "/api/v1/auth/token", {"username": "nostore", "password": PASSWORD}, content_type="application/json"
    ).json()["access_token"]
    api = client.get("/api/v1/persons", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200 and api["Cache-Control"] == "no-store"
    assert client.get("/api/v1/persons")["Cache-Control"] == "no-store"  # refusals too
    client.force_login(user)
    page = client.get("/persons/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    download = client.get("/exchange/feeds/death/template.xlsx")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert download["Cache-Control"] == "no-store"
    assert client.get("/login/")["Cache-Control"] == "no-store"
