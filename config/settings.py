"""Settings for minzheng, read from the environment (12-factor).

DATABASE_URL defaults to a SQLite file under var/ (WAL mode); PostgreSQL via
postgres://user:pass@host:port/db. Secrets (SECRET_KEY, the SM4 field key and the
blind-index key) come from the environment; for a local or demo install they are
generated once into var/secrets.json, which is never committed.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("MINZHENG_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Where the partitions of a split screening leave their frames: shared by every worker (a
# shared mount when the workers run on several machines; docs/scale-out.md).
MINZHENG_WORK_DIR = Path(os.environ.get("MINZHENG_WORK_DIR", VAR_DIR / "work"))

env = environ.Env()
TESTING = env.bool("MINZHENG_TESTING", default=False)


def _local_secrets() -> dict[str, str]:
    """Secrets for a development/demo install: created once, kept out of git."""
    path = VAR_DIR / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    data = {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "MINZHENG_FIELD_KEY": secrets.token_hex(16),
        "MINZHENG_INDEX_KEY": secrets.token_hex(32),
    }
    path.write_text(json.dumps(data))
    path.chmod(0o600)
    return data


_local = {} if TESTING else _local_secrets()


def _secret(name: str, test_value: str) -> str:
    if TESTING:
        return env.str(name, default=test_value)
    return env.str(name, default=_local[name])


SECRET_KEY = _secret("SECRET_KEY", "test-secret-key-not-for-production-use-0123456789")
# SM4 needs a 128-bit key; the blind index uses HMAC-SM3 with a separate key.
FIELD_ENCRYPTION_KEY = bytes.fromhex(_secret("MINZHENG_FIELD_KEY", "00112233445566778899aabbccddeeff"))
BLIND_INDEX_KEY = bytes.fromhex(_secret("MINZHENG_INDEX_KEY", "ab" * 32))

DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=["http://127.0.0.1:8000", "http://localhost:8000"])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_tasks_db",
    "minzheng.core",
    "minzheng.divisions",
    "minzheng.accounts",
    "minzheng.registry",
    "minzheng.cases",
    "minzheng.jobs",
    "minzheng.assistance",
    "minzheng.screening",
    "minzheng.exchange",
    "minzheng.discovery",
    "minzheng.eldercare",
    "minzheng.funerals",
    "minzheng.lottery",
    "minzheng.children",
    "minzheng.lowincome",
    "minzheng.rescue",
    "minzheng.disability",
    "minzheng.referrals",
    "minzheng.adoption",
    "minzheng.marriage",
    "minzheng.sociorgs",
    "minzheng.charity",
    "minzheng.socialwork",
    "minzheng.volunteers",
    "minzheng.communities",
    "minzheng.placenames",
    "minzheng.planning",
    "minzheng.citizen",
    "minzheng.web",
    "minzheng.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "minzheng.web.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "minzheng.accounts.middleware.ActorMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "minzheng.web.context_processors.layout",
            ],
            "builtins": ["minzheng.web.templatetags.mz"],
        },
    }
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'minzheng.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000;",
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # No JIT: its compile time (≈ 0.25 s) exceeds what it saves on the platform's queries,
    # which read at most a few hundred thousand rows by index (docs/performance.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"

# Idle timeout: 30 minutes without a request ends the session (等保 L3-CES1-02).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=1800)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False

SESSION_COOKIE_SAMESITE = "Lax"

# Production (config/production.py): Secure cookies, HSTS, HTTPS redirect behind the proxy.
# ALLOWED_HOSTS and CSRF_TRUSTED_ORIGINS then come from the environment (above).
PRODUCTION = env.bool("MINZHENG_PRODUCTION", default=False)
if PRODUCTION:
    from config.production import PRODUCTION_SETTINGS

    globals().update(PRODUCTION_SETTINGS)

# Lock on username + IP: town offices share one egress address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/locked.html"
# JSON (ErrorsOut) for the API, the lock page for the screens.
AXES_LOCKOUT_CALLABLE = "minzheng.accounts.lockout.lockout_response"
AXES_VERBOSE = False

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "zh-hans"
FORMAT_MODULE_PATH = ["config.formats"]  # one date format: 2026-12-04
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if DEBUG or TESTING:
    # live_server and runserver serve through finders; hashed names would 404.
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
MEDIA_ROOT = VAR_DIR / "media"

TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend" if TESTING else "django_tasks_db.DatabaseBackend"
        )
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "minzheng.core.logging.RedactPersonalData"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# The district this deployment serves (NBS code, 6 digits): 涪陵区.
MINZHENG_DISTRICT_CODE = env.str("MINZHENG_DISTRICT_CODE", default="500102")

# Divisions data shipped with the project (copied from shared/data with provenance).
DIVISIONS_DATA_DIR = BASE_DIR / "minzheng" / "divisions" / "data"

# Whether real (non-demo) accounts must change their initial password on first login.
MINZHENG_DEMO = env.bool("MINZHENG_DEMO", default=False)

# The citizens' site's single sign-on adapter (渝快办-style; minzheng/citizen/sso.py): a dotted
# path, or empty for none. The demo and the tests use the stand-in; production refuses it.
MINZHENG_CITIZEN_SSO = env.str(
    "MINZHENG_CITIZEN_SSO", default="minzheng.citizen.sso.StandInSso" if (MINZHENG_DEMO or TESTING) else ""
)
if PRODUCTION and MINZHENG_CITIZEN_SSO.endswith(".StandInSso"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("生产环境不能使用演示的统一身份认证（MINZHENG_CITIZEN_SSO）")

# The append-only trigger on the audit table (migration core/0002). Off only for the test
# database, whose browser tests flush every table; a dedicated test installs and checks it.
AUDIT_DB_GUARD = not TESTING
