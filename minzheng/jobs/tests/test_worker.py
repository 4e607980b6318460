"""The background worker survives a busy database: transient errors (a lock held past SQLite's
busy timeout, a dropped connection) are retried with backoff instead of ending the process, a
finished task's result is written even when the first attempts meet a lock, and under
`minzheng demo` a worker that dies anyway is restarted while the site keeps serving."""

from __future__ import annotations

import contextlib

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError
from django.test import override_settings
from django_tasks_db.management.commands import db_worker

from minzheng.jobs import worker as worker_module
from minzheng.jobs.worker import ResilientWorker, backoff_delay, retrying
from minzheng.web.management.commands.demo import SITE, WORKER, Supervisor

LOCKED = OperationalError("database is locked")


@pytest.fixture
def no_connections(monkeypatch):
    """Tests without a database: nothing to close between attempts."""
    monkeypatch.setattr(worker_module, "_reset_connections", lambda: None)
    monkeypatch.setattr(worker_module, "close_old_connections", lambda: None)


def test_backoff_doubles_from_half_a_second_up_to_thirty():
    assert [backoff_delay(n) for n in range(1, 10)] == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0, 30.0]


def test_retrying_waits_and_tries_again_then_gives_up(no_connections):
    sleeps, calls = [], []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise LOCKED
        return "written"

    assert retrying(flaky, sleep=sleeps.append)() == "written"
    assert sleeps == [0.5, 1.0] and len(calls) == 3

    def always_locked():
        raise LOCKED

    sleeps.clear()
    with pytest.raises(OperationalError):
        retrying(always_locked, attempts=4, sleep=sleeps.append)()
    assert sleeps == [0.5, 1.0, 2.0]


def test_retrying_lets_other_errors_through_at_once():
    sleeps = []

    def broken():
        raise ValueError("not a database problem")

    with pytest.raises(ValueError):
        retrying(broken, sleep=sleeps.append)()
    assert sleeps == []


def _worker(sleeps, clock=lambda: 0.0) -> ResilientWorker:
    return ResilientWorker(
        queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
        max_tasks=None, worker_id="test-worker", excluded_queue_names=[], sleep=sleeps.append, clock=clock,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_lock_past_the_busy_timeout_no_longer_kills_the_worker(monkeypatch):
    """The claim transaction cannot even begin three times (db_worker's own loop would raise
    out and the process would end); the worker waits, tries again and finishes its batch."""
    real = db_worker.exclusive_transaction
    failures = {"left": 3}

    @contextlib.contextmanager
    def locked_then_free(using):
        if failures["left"]:
            failures["left"] -= 1
            raise OperationalError("database is locked")
        with real(using):
            yield

    monkeypatch.setattr(db_worker, "exclusive_transaction", locked_then_free)
    with pytest.raises(OperationalError):  # what db_worker did: die
        db_worker.Worker(
            queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
            max_tasks=None, worker_id="plain", excluded_queue_names=[],
        ).run()  # fmt: skip
    sleeps = []
    worker = _worker(sleeps)
    worker.run()  # returns normally: the batch is done
    assert worker.retries == 2 and sleeps == [0.5, 1.0]
    assert failures["left"] == 0


def test_the_backoff_starts_again_after_a_calm_minute(monkeypatch, no_connections):
    times = iter([0.0, 1.0, 100.0])
    sleeps = []
    outcomes = [LOCKED, LOCKED, LOCKED, None]

    def parent_run(self):
        outcome = outcomes.pop(0)
        if outcome is not None:
            raise outcome

    monkeypatch.setattr(db_worker.Worker, "run", parent_run)
    worker = _worker(sleeps, clock=lambda: next(times))
    worker.run()
    assert sleeps == [0.5, 1.0, 0.5] and worker.retries == 3


def test_a_stopped_worker_does_not_retry(monkeypatch, no_connections):
    sleeps = []

    def parent_run(self):
        self.running = False  # Ctrl-C arrived, then the lock
        raise LOCKED

    monkeypatch.setattr(db_worker.Worker, "run", parent_run)
    worker = _worker(sleeps)
    worker.run()
    assert sleeps == [] and worker.retries == 0


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_worker_command_runs_the_resilient_worker(monkeypatch):
    seen = []
    monkeypatch.setattr(ResilientWorker, "run", lambda self: seen.append(type(self).__name__))
    monkeypatch.setattr(ResilientWorker, "configure_signals", lambda self: None)
    call_command("worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)
    assert seen == ["ResilientWorker"]
    assert db_worker.Worker.__name__ == "Worker"  # the original is put back


class FakeProc:
    def __init__(self, name, returncode=None):
        self.name, self.returncode = name, returncode

    def poll(self):
        return self.returncode


def test_demo_restarts_a_dead_worker_and_keeps_the_site():
    started = []
    now = {"t": 0.0}
    procs = {WORKER: FakeProc("worker-1", returncode=1), SITE: FakeProc("site")}
    commands = {WORKER: ["worker"], SITE: ["gunicorn"]}

    def start(cmd):
        started.append(cmd)
        return FakeProc(f"worker-{len(started) + 1}")

    supervisor = Supervisor(procs, commands, start=start, clock=lambda: now["t"])
    assert supervisor.check() == ["后台任务进程意外退出（退出码 1），已重新启动（第1次）；网站照常运行。"]
    assert started == [["worker"]] and procs[WORKER].name == "worker-2" and not supervisor.stopped
    # it dies again at once: the next restart waits five seconds
    procs[WORKER].returncode = -9
    now["t"] = 2.0
    assert supervisor.check() == [] and len(started) == 1
    now["t"] = 5.5
    assert supervisor.check() == ["后台任务进程意外退出（退出码 -9），已重新启动（第2次）；网站照常运行。"]
    # the site going down still stops everything
    procs[SITE].returncode = 3
    assert supervisor.check() == ["网站意外退出（退出码 3），正在停止其余进程。"]
    assert supervisor.stopped
