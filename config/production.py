"""Production hardening, applied by config/settings.py when ``MINZHENG_PRODUCTION=1``.

The demo and the tests serve plain HTTP on 127.0.0.1 and leave it off. Behind the district's
HTTPS reverse proxy (which sets ``X-Forwarded-Proto: https``) it turns on: cookies sent over
HTTPS only (Secure), unreadable by scripts (HttpOnly, the session), same-site only; HSTS for a
year; every plain-HTTP request redirected to HTTPS. ``minzheng check --deploy`` passes without
warnings (minzheng/web/tests/test_production_settings.py)."""

from __future__ import annotations

HSTS_SECONDS = 31_536_000  # one year

PRODUCTION_SETTINGS = {
    "DEBUG": False,
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "CSRF_COOKIE_SECURE": True,
    "CSRF_COOKIE_SAMESITE": "Lax",
    "SECURE_HSTS_SECONDS": HSTS_SECONDS,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": True,
    "SECURE_SSL_REDIRECT": True,
    # The proxy terminates TLS; this header is how a request says it came in over HTTPS.
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
    "SECURE_CONTENT_TYPE_NOSNIFF": True,
    "SECURE_REFERRER_POLICY": "same-origin",
    "X_FRAME_OPTIONS": "DENY",
}
