"""``minzheng worker``: django-tasks-db's db_worker (same options) with the retrying loop of
minzheng/jobs/worker.py — a database locked longer than its busy timeout no longer kills it."""

from __future__ import annotations

from django_tasks_db.management.commands import db_worker

from minzheng.jobs.worker import ResilientWorker


class Command(db_worker.Command):
    help = "运行后台任务进程（数据库被锁或暂时断开时退避重试，不退出）"

    def handle(self, *args, **options):
        original = db_worker.Worker
        db_worker.Worker = ResilientWorker
        try:
            return super().handle(*args, **options)
        finally:
            db_worker.Worker = original
