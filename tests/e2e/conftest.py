"""Browser-test fixtures: data the live server can see, and a console-error watch."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from asgiref.local import Local
from django.conf import settings
from django.core.management import call_command
from django.core.servers.basehttp import ThreadedWSGIServer
from django.tasks import task_backends
from django.test.testcases import LiveServerThread


class _OneRequestAtATimeServer(ThreadedWSGIServer):
    """On the in-memory SQLite test database every live-server thread shares the test's one
    connection (pytest-django passes it over), so two requests at once — a page and the
    htmx fragment it loads — can interleave their transactions and fail (seen in CI: the
    session save of one fragment failed and answered 400). Requests are served one at a
    time; connections stay threaded so keep-alive never blocks the browser."""

    def set_app(self, application):
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return application(environ, start_response)

        super().set_app(one_at_a_time)


if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    LiveServerThread.server_class = _OneRequestAtATimeServer


@pytest.fixture(autouse=True)
def _divisions_for_live_server(transactional_db):
    """live_server tests run in real transactions and flush every table afterwards, which
    also removes the divisions that django_db_setup loaded once for the session. Load them
    again (idempotent, ~0.1 s) so each browser test starts from the real tree."""
    from minzheng.divisions.directory import invalidate_directory
    from minzheng.divisions.loader import load_divisions

    load_divisions()
    invalidate_directory()
    # No invalidation afterwards: the flush that follows empties the table, and the cached
    # tree (the same shipped files) is what later tests in this process should still see.


class ConsoleWatch:
    """Collects console errors and uncaught exceptions of every page it is attached to."""

    def __init__(self):
        self.errors: list[str] = []

    def attach(self, page):
        # Two cores shared with the rest of the suite (xdist) and the live server: Playwright's
        # default 30 s per action can run out under load, so allow a minute.
        page.set_default_timeout(60_000)
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"{page.url} console: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"{page.url} pageerror: {exc}"))
        return page

    def assert_clean(self, *, allow: tuple[str, ...] = ()):
        """No errors since the last check, except ones containing an allowed fragment."""
        errors = [e for e in self.errors if not any(a in e for a in allow)]
        self.errors.clear()
        assert not errors, "浏览器控制台有错误：\n" + "\n".join(errors)


@pytest.fixture
def console():
    return ConsoleWatch()


@pytest.fixture
def screenshot(tmp_path_factory):
    """screenshot(page, name): a full-page PNG for people to look at — in a temporary folder
    (tests write nowhere else), or in MINZHENG_SCREENSHOTS when that is set."""
    chosen = os.environ.get("MINZHENG_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.getbasetemp() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def sized_context(browser, browser_context_args):
    """sized_context(viewport={...}, is_mobile=True, …): a new browser context whose options
    override the defaults (new_context cannot override the default viewport); closed after."""
    made = []

    def make(**kwargs):
        context = browser.new_context(**{**browser_context_args, **kwargs})
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def _reset_task_backends():
    task_backends.__dict__.pop("settings", None)
    task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture
def database_worker(settings):
    """The real background worker: jobs go to the database (django-tasks-db) and wait until the
    test calls ``database_worker()`` — the page must notice the result by itself."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _reset_task_backends()
    yield lambda: call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    _reset_task_backends()
