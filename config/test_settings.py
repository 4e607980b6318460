"""Test settings: the same settings with fixed test keys and immediate tasks.

DATABASE_URL picks the database as everywhere else, so the suite runs unchanged on
SQLite and on PostgreSQL."""

import os

os.environ["MINZHENG_TESTING"] = "1"

from config.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; tests use fake users
AXES_ENABLED = True
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns when the folder is missing; tests serve via finders
WHITENOISE_USE_FINDERS = True
