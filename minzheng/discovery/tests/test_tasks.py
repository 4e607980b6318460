"""Tasks: outcomes, the village's death check (ADR 0004), bulk escalation of overdue tasks."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
import pytest

from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.discovery import actions
from minzheng.discovery.enums import AlertStatus, EscalationReason, TaskOutcome, TaskStatus
from minzheng.discovery.models import Alert, Task
from minzheng.discovery.tests.conftest import DEATH_HEADERS, MEDICAL_HEADERS, TODAY, enrol, id_of, import_rows
from minzheng.registry.actions import do_confirm_death_report, do_refute_death_report
from minzheng.registry.models import Person

D = dt.date


@pytest.fixture
def medical_task(staff, family):
    household, (head, _) = family(wage=(150000, 0))
    row = [id_of(head), head.name, "JS1", "涪陵中心医院", D(2026, 9, 1), D(2026, 9, 10), 22000, 10000, 12000]
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [row])
    return Task.objects.get()


def test_outcome_closes_the_task_and_the_alert(staff, medical_task):
    task = actions.do_record_task_outcome(staff.village, medical_task, outcome=TaskOutcome.APPLICATION_STARTED, note="已受理临时救助申请")
    assert task.status == TaskStatus.DONE and task.outcome_by_id == staff.village_user.pk and task.outcome_at
    assert Alert.objects.get().status == AlertStatus.CLOSED
    assert AuditEvent.objects.filter(object_type="discovery_task", object_id=str(task.pk)).exists()
    with pytest.raises(DomainError):
        actions.do_record_task_outcome(staff.village, task, outcome=TaskOutcome.VISITED)


def test_not_needed_requires_a_reason(staff, medical_task):
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_task_outcome(staff.village, medical_task, outcome=TaskOutcome.NOT_NEEDED, note=" ")
    assert "原因" in e.value.errors["note"]
    task = actions.do_record_task_outcome(staff.village, medical_task, outcome=TaskOutcome.NOT_NEEDED, note="商业保险已理赔")
    assert task.outcome_note == "商业保险已理赔"


def test_stale_version_is_refused(staff, medical_task):
    with pytest.raises(DomainError) as e:
        actions.do_record_task_outcome(staff.village, medical_task, outcome=TaskOutcome.VISITED, expected_version=medical_task.version + 1)
    assert e.value.code == "stale"


def test_leaders_read_but_do_not_act(staff, medical_task):
    with pytest.raises(PermissionDenied):
        actions.do_record_task_outcome(staff.leader, medical_task, outcome=TaskOutcome.VISITED)


@pytest.fixture
def death_task(staff, make_person):
    person = make_person("500102006001", "郑特困")
    enrolment = enrol("tekun", person=person, amount_fen=100100)
    import_rows(staff.district, "death", DEATH_HEADERS, [[id_of(person), person.name, D(2026, 11, 3), "公安户籍注销"]])
    return Task.objects.get(), person, enrolment


def test_death_confirmed_by_the_village_ends_the_enrolment(staff, death_task):
    """ADR 0004 (was: the village recorded the death, a town reviewer stopped payment in a
    second step): the village's confirmation records the death and ends the enrolment."""
    task, person, enrolment = death_task
    do_confirm_death_report(staff.village, task.death_report_id)
    person.refresh_from_db()
    assert person.is_deceased and person.death_date == D(2026, 11, 3)  # via the registry's action
    enrolment.refresh_from_db()
    assert enrolment.status == "exited" and enrolment.exit_reason == "death" and enrolment.end_month == D(2026, 11, 1)
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.outcome == TaskOutcome.DEATH_CONFIRMED


def test_a_town_officer_confirms_too(staff, death_task):
    task, person, enrolment = death_task
    do_confirm_death_report(staff.town, task.death_report_id)
    enrolment.refresh_from_db()
    task.refresh_from_db()
    assert task.outcome == TaskOutcome.DEATH_CONFIRMED and enrolment.status == "exited"


def test_a_wrong_death_report_is_closed_without_touching_the_registry(staff, death_task):
    task, person, enrolment = death_task
    with pytest.raises(ValidationFailed):  # the outcome form is not the way: 核实有误 is
        actions.do_record_task_outcome(staff.village, task, outcome=TaskOutcome.NOT_NEEDED, note="本人健在")
    do_refute_death_report(staff.village, task.death_report_id, reason="本人健在，部门身份证号码录入错误")
    assert not Person.objects.get(pk=person.pk).is_deceased
    enrolment.refresh_from_db()
    assert enrolment.status == "active"
    task.refresh_from_db()
    assert (task.status, task.outcome, task.outcome_note) == (TaskStatus.DONE, TaskOutcome.DEATH_REFUTED, "本人健在，部门身份证号码录入错误")


def test_overdue_tasks_escalate_to_the_town_in_bulk(staff, family, system_actor, django_assert_max_num_queries):
    tasks = []
    for i in range(3):
        household, (head, _) = family(names=(f"户主{i}", f"配偶{i}"), wage=(150000, 0))
        row = [id_of(head), head.name, f"JS{i}", "医院", D(2026, 9, 1), D(2026, 9, 10), 22000, 10000, 12000]
        import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [row])
    tasks = list(Task.objects.order_by("id"))
    Task.objects.filter(pk=tasks[0].pk).update(due_on=TODAY - dt.timedelta(days=1))
    Task.objects.filter(pk=tasks[1].pk).update(due_on=TODAY - dt.timedelta(days=30))
    actions.do_record_task_outcome(staff.village, tasks[1], outcome=TaskOutcome.VISITED)  # done: not escalated
    with django_assert_max_num_queries(5):  # savepoint, read towns, one UPDATE, audit, release
        result = actions.do_escalate_overdue_tasks(system_actor, today=TODAY)
    assert result["escalated"] == 1 and result["by_town"] == {"500102006": 1}
    escalated = Task.objects.filter(escalated_at__isnull=False)
    assert list(escalated.values_list("pk", "escalation_reason")) == [(tasks[0].pk, EscalationReason.OVERDUE)]
    assert actions.do_escalate_overdue_tasks(system_actor, today=TODAY)["escalated"] == 0  # idempotent
    event = AuditEvent.objects.filter(object_type="discovery_escalation").order_by("id").first()
    assert event.actor_kind == "system" and "敦仁街道" in str(event.extra)


def test_escalation_command(staff, medical_task, capsys):
    Task.objects.update(due_on=TODAY - dt.timedelta(days=2))
    call_command("escalate_discovery_tasks", "--today", TODAY.isoformat())
    assert "已上报 1 件" in capsys.readouterr().out
