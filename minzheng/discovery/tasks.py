"""Background tasks (django.tasks; the db_worker runs them)."""

from __future__ import annotations

from django.tasks import task

from minzheng.accounts.actor import Actor
from minzheng.discovery.actions import do_escalate_overdue_tasks


@task()
def escalate_overdue_tasks() -> dict:
    return do_escalate_overdue_tasks(Actor.system("超期预警任务上报"))
