"""Settings of the citizens' site (网上办, issue 22) when deployed apart from the staff
platform: the same code and database, but only the citizens' URLs exist — no staff page, no
staff API, no admin — and its own cookie names, so a browser's staff and citizen sessions never
mix.

    DJANGO_SETTINGS_MODULE=config.citizen gunicorn config.wsgi

(The demo serves both from one process: the staff URLconf includes /citizen/ too.)"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "config.urls_citizen"
SESSION_COOKIE_NAME = "minzheng_citizen_session"
CSRF_COOKIE_NAME = "minzheng_citizen_csrftoken"
LOGIN_URL = "/citizen/signin/"
