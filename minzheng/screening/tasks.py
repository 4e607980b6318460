"""Background work: a screening run started from the screens (the worker runs it)."""

from __future__ import annotations

from django.tasks import task

from minzheng.accounts.actor import Actor, build_actor
from minzheng.accounts.models import User
from minzheng.screening.runs import do_run_screening


@task
def run_screening_task(*, period: str, user_id: int | None) -> int:
    """Run `do_run_screening` for ``period`` as the user who asked (or the system)."""
    if user_id is None:
        actor = Actor.system("后台任务：救助资格筛查")
    else:
        actor = build_actor(User.objects.get(pk=user_id))
    return do_run_screening(actor, period=period).pk
