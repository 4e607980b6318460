"""Active discovery under the death policy (ADR 0004): a department's death report opens a
死亡核实 task at the person's village; the village's decision (the registry's
``do_confirm_death_report`` / ``do_refute_death_report``, from the task page or the API) closes it.
Registered with the registry's death handlers in ``apps.py``."""

from __future__ import annotations

import datetime as dt

from django.db.models import F

from minzheng.accounts.actor import Actor
from minzheng.core import clock
from minzheng.discovery.alerts import village_workers
from minzheng.discovery.enums import AlertKind, AlertProgram, AlertStatus, TaskKind, TaskOutcome, TaskStatus
from minzheng.discovery.models import Alert, Task
from minzheng.discovery.params import due_days
from minzheng.registry.deaths import DeathHandler, register_death_handler

NOTE_MAX = Task._meta.get_field("outcome_note").max_length


def on_report(actor: Actor, report) -> list[str]:
    person = report.person
    today = clock.today()
    alert = Alert.objects.create(
        kind=AlertKind.DEATH_REPORTED,
        program=AlertProgram.DEATH_CHECK,
        subject_key=f"d{report.pk}",  # one alert per report: a later report after a refuted one gets its own
        period=f"{report.death_date:%Y-%m}",
        person=person,
        household_id=person.household_id,
        division_code=report.division_code,
        reason=f"{report.get_source_display()}报告{report.death_date:%Y-%m-%d}死亡，请核实（{report.reference}）"[:300],
        facts={"death_date": report.death_date.isoformat(), "source": report.source, "death_report_id": report.pk},
    )
    task = Task.objects.create(
        alert=alert,
        kind=TaskKind.VERIFY_DEATH,
        division_code=report.division_code,
        assignee_id=village_workers([report.division_code]).get(report.division_code),
        due_on=today + dt.timedelta(days=due_days(TaskKind.VERIFY_DEATH, today)),
        death_report=report,
    )
    return [f"已向村（社区）派发死亡核实任务，期限{task.due_on:%Y-%m-%d}"]


def _close_tasks(actor: Actor, report, outcome: str, note: str) -> list[str]:
    now = clock.now()
    tasks = Task.objects.filter(death_report=report, status=TaskStatus.OPEN)
    alert_ids = list(tasks.values_list("alert_id", flat=True))
    closed = tasks.update(
        status=TaskStatus.DONE,
        outcome=outcome,
        outcome_note=note[:NOTE_MAX],
        outcome_by_id=actor.user_id,
        outcome_by_name=actor.display_name,
        outcome_at=now,
        version=F("version") + 1,
    )
    Alert.objects.filter(pk__in=alert_ids).update(status=AlertStatus.CLOSED, closed_at=now)
    return [f"死亡核实任务已办结（{TaskOutcome(outcome).label}）"] if closed else []


def on_confirm(actor: Actor, report) -> list[str]:
    return _close_tasks(actor, report, TaskOutcome.DEATH_CONFIRMED, report.reason or "村（社区）核实属实")


def on_refute(actor: Actor, report) -> list[str]:
    return _close_tasks(actor, report, TaskOutcome.DEATH_REFUTED, report.reason)


def register() -> None:
    register_death_handler(
        DeathHandler(line="discovery", label="主动发现", order=50, on_report=on_report, on_confirm=on_confirm, on_refute=on_refute)
    )
