"""A background worker that survives a busy database.

django-tasks-db's ``db_worker`` ignores a lock only while it claims a task; a lock that outlasts
SQLite's busy timeout (10 s) anywhere else — opening the claim transaction, recording a task's
result — raised out of its loop and the worker died. ``ResilientWorker`` retries every
transient database error (locked, disconnected) with a capped exponential backoff and goes
on; a task whose own code fails is recorded as failed by the worker as before, never fatal.
``minzheng worker`` runs it (minzheng/jobs/management/commands/worker.py)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connections
from django.db.utils import InterfaceError, OperationalError
from django_tasks_db.management.commands.db_worker import Worker

logger = logging.getLogger("minzheng.jobs.worker")

FIRST_DELAY = 0.5  # seconds
MAX_DELAY = 30.0
CALM_AFTER = 60.0  # a minute without an error starts the backoff again from FIRST_DELAY
RESULT_ATTEMPTS = 8  # writing a finished task's result: about 1 min 20 s of retries at most

TRANSIENT = (OperationalError, InterfaceError)


def backoff_delay(attempt: int) -> float:
    """0.5, 1, 2, 4, 8, 16, 30, 30, … seconds for attempt 1, 2, 3, …"""
    return min(MAX_DELAY, FIRST_DELAY * 2 ** (attempt - 1))


def _reset_connections() -> None:
    for conn in connections.all(initialized_only=True):
        try:
            if conn.in_atomic_block:
                conn.set_rollback(True)
            conn.close()
        except Exception:  # a broken connection is replaced on next use
            logger.debug("closing a broken connection failed", exc_info=True)


def retrying(call: Callable[..., Any], *, attempts: int = RESULT_ATTEMPTS, sleep=time.sleep) -> Callable[..., Any]:
    """``call`` retried on a transient database error, with backoff; the last error raises."""

    def wrapper(*args, **kwargs):
        for attempt in range(1, attempts + 1):
            try:
                return call(*args, **kwargs)
            except TRANSIENT as e:
                if attempt == attempts:
                    raise
                delay = backoff_delay(attempt)
                logger.warning("数据库暂时不可用（%s），%.1f 秒后重试（第%d次）", e, delay, attempt)
                _reset_connections()
                sleep(delay)
        raise AssertionError("unreachable")

    return wrapper


class ResilientWorker(Worker):
    """``db_worker``'s loop, restarted after a transient database error instead of dying."""

    def __init__(self, *args, sleep=time.sleep, clock=time.monotonic, **kwargs):
        super().__init__(*args, **kwargs)
        self._sleep = sleep
        self._clock = clock
        self.retries = 0  # transient errors survived (for tests and the log)

    def run(self) -> None:
        attempt = 0
        last_error = None
        while True:
            try:
                super().run()
                return  # stopped (signal), a batch done, or --max-tasks reached
            except TRANSIENT as e:
                if not self.running:
                    return
                now = self._clock()
                attempt = 1 if last_error is None or now - last_error > CALM_AFTER else attempt + 1
                last_error = now
                self.retries += 1
                delay = backoff_delay(attempt)
                logger.warning("后台任务进程：数据库暂时不可用（%s），%.1f 秒后重试（第%d次）", e, delay, attempt)
                _reset_connections()
                self._sleep(delay)
                self.startup_delay = False
                close_old_connections()

    def run_task(self, db_task_result) -> None:
        # The task runs once; only writing its result (success or failure) is retried.
        db_task_result.set_successful = retrying(db_task_result.set_successful, sleep=self._sleep)
        db_task_result.set_failed = retrying(db_task_result.set_failed, sleep=self._sleep)
        super().run_task(db_task_result)
