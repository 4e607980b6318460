"""ADR 0004, one death policy: a department's death record, imported through the one intake path
(the exchange feed ``death``), suspends the person's payments from the next payroll and opens a
village check; confirming ends the enrolment with the month of death; refuting lifts the
suspension and the next payroll pays the withheld months (補发) — once. Amounts in fen."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from minzheng.accounts.models import Role
from minzheng.assistance import payroll
from minzheng.assistance.models import DeathSuspension, EnrolmentChange, Payment, PaymentBatch, ReviewTask, WithheldPayment
from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.discovery.enums import AlertKind, AlertProgram, TaskKind, TaskOutcome, TaskStatus
from minzheng.discovery.models import Alert, Task
from minzheng.discovery.tests.conftest import DADONGMEN, DEATH_HEADERS, enrol, id_of, import_rows
from minzheng.registry.actions import do_confirm_death_report, do_refute_death_report, do_report_death
from minzheng.registry.models import DeathReport, HouseholdMembership, Person
from minzheng.accounts.actor import build_actor
from minzheng.accounts.models import User
from minzheng.assistance.actions import do_resume_enrolment
from minzheng.assistance.workflow import WrongState
from minzheng.exchange.actions import do_preview_import
from minzheng.discovery.tests.conftest import xlsx_file
import importlib
from django.apps import apps

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")
TEKUN = 100100  # 1,001.00 yuan a month


def on(time_machine, day: dt.date) -> dt.date:
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI), tick=False)
    return day


@pytest.fixture
def checker(make_user, actor_of):
    return actor_of(make_user(Role.DISTRICT_STAFF, "500102", username="district_checker"))


@pytest.fixture
def pay(staff, checker):
    """Prepare and approve one month's batch (maker-checker); returns the batch."""

    def run(period: str, program: str = "tekun", approve: bool = True) -> PaymentBatch:
        summary = payroll.run_payroll(staff.district, program=program, period=period)
        batch = PaymentBatch.objects.get(pk=summary.batch_id)
        if approve:
            batch = payroll.do_approve_batch(checker, batch, expected_version=batch.version)
        return batch

    return run


def paid(batch: PaymentBatch) -> list[tuple[str, int, str]]:
    return sorted(Payment.objects.filter(batch=batch).values_list("period", "amount_fen", "change_kind"))


@pytest.fixture
def tekun(make_person):
    person = make_person(DADONGMEN, "郑特困")
    return person, enrol("tekun", person=person, amount_fen=TEKUN)


def report_death(staff, person, death_date, source="公安户籍注销", today=None):
    return import_rows(staff.district, "death", DEATH_HEADERS, [[id_of(person), person.name, death_date, source]], today=today)


# -- report: suspended from the next payroll, a village task, nobody struck off --------------------


def test_a_feed_death_suspends_the_next_payroll_and_opens_the_village_task(staff, tekun, pay, time_machine):
    person, enrolment = tekun
    on(time_machine, D(2026, 11, 20))
    november = pay("2026-11")
    assert paid(november) == [("2026-11", TEKUN, "new")]
    today = on(time_machine, D(2026, 12, 4))
    batch = report_death(staff, person, D(2026, 11, 25), today=today)
    assert batch.summary["death_reports"] == 1

    report = DeathReport.objects.get()
    assert (report.person_id, report.death_date, report.source, report.status) == (person.pk, D(2026, 11, 25), "police", "pending")
    assert report.reference == f"数据交换批次{batch.pk}第2行（公安户籍注销）"
    person.refresh_from_db()
    assert not person.is_deceased and person.death_date is None and person.household_id is None  # alive until checked
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_month) == ("suspended", None)
    assert enrolment.status_reason == "待核实死亡信息（公安户籍注销报告2026-11-25死亡）"
    assert EnrolmentChange.objects.filter(enrolment=enrolment, kind="suspend", effective_month=D(2026, 12, 1)).count() == 1
    [task] = Task.objects.all()
    assert (task.kind, task.division_code, task.death_report_id, task.due_on) == (TaskKind.VERIFY_DEATH, DADONGMEN, report.pk, D(2026, 12, 7))
    assert task.assignee_id == staff.village_user.pk
    assert (task.alert.kind, task.alert.program) == (AlertKind.DEATH_REPORTED, AlertProgram.DEATH_CHECK)
    assert [e["text"] for e in report.effects["report"]] == [
        f"特困人员救助供养自2026-12起暂停发放，待村（社区）核实（保障编号{enrolment.pk}）",
        "已向村（社区）派发死亡核实任务，期限2026-12-07",
    ]

    december = pay("2026-12")
    assert paid(december) == []  # skipped …
    assert list(WithheldPayment.objects.values_list("period", "amount_fen", "status", "batch_id")) == [
        ("2026-12", TEKUN, "withheld", december.pk)
    ]  # … and recorded
    assert payroll.batch_summary(december).withheld == 1


def test_refuting_pays_the_withheld_month_in_the_next_payroll_once(staff, tekun, pay, time_machine):
    person, enrolment = tekun
    on(time_machine, D(2026, 11, 20))
    pay("2026-11")
    report_death(staff, person, D(2026, 11, 25), today=on(time_machine, D(2026, 12, 4)))
    pay("2026-12")
    report = DeathReport.objects.get()

    report = do_refute_death_report(staff.village, report, reason="已入户见到本人，本人健在，系身份证号码录入错误")
    assert (report.status, report.decided_by_id, report.reason) == ("refuted", staff.village_user.pk, "已入户见到本人，本人健在，系身份证号码录入错误")
    enrolment.refresh_from_db()
    assert enrolment.status == "active" and not Person.objects.get(pk=person.pk).is_deceased
    assert WithheldPayment.objects.get().status == "payable"
    task = Task.objects.get()
    assert (task.status, task.outcome) == (TaskStatus.DONE, TaskOutcome.DEATH_REFUTED)
    assert [e["text"] for e in report.effects["refute"]] == [
        "特困人员救助供养恢复发放，暂停期间的1个月在下次发放时补发", "死亡核实任务已办结（核实有误，已恢复发放）",
    ]

    on(time_machine, D(2027, 1, 5))
    january = pay("2027-01", approve=False)
    assert paid(january) == [("2026-12", TEKUN, "arrears"), ("2027-01", TEKUN, "new")]
    assert january.total_fen == 200200 and payroll.batch_summary(january).arrears == 1
    again = payroll.run_payroll(staff.district, program="tekun", period="2027-01")  # a rerun: same, not twice
    assert (again.payments, again.total_fen, again.arrears, again.skipped) == (2, 200200, 1, 0)
    payroll.do_approve_batch(checker_of(staff), january, expected_version=PaymentBatch.objects.get(pk=january.pk).version)
    february = pay("2027-02")
    assert paid(february) == [("2027-02", TEKUN, "continuing")]  # the 补发 is never paid again
    assert Payment.objects.filter(period="2026-12").count() == 1


def checker_of(staff):
    return build_actor(User.objects.get(username="district_checker"), "127.0.0.1")


def test_confirming_ends_the_enrolment_with_the_month_of_death(staff, tekun, pay, time_machine):
    person, enrolment = tekun
    on(time_machine, D(2026, 11, 20))
    pay("2026-11")
    report_death(staff, person, D(2026, 11, 25), source="殡葬火化", today=on(time_machine, D(2026, 12, 4)))
    pay("2026-12")

    report = do_confirm_death_report(staff.village, DeathReport.objects.get(), note="已见火化证明")
    person.refresh_from_db()
    assert person.is_deceased and person.death_date == D(2026, 11, 25)  # the registry's own action
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.exit_reason, enrolment.end_month) == ("exited", "death", D(2026, 11, 1))
    assert WithheldPayment.objects.get().status == "forfeited"  # December: after the death, never paid
    assert ReviewTask.objects.get(enrolment=enrolment).kind == "death"
    assert (Task.objects.get().outcome, report.status) == (TaskOutcome.DEATH_CONFIRMED, "confirmed")
    assert report.effects["confirm"][0]["text"] == "特困人员救助供养终止保障，最后发放月份2026-11，死亡次月起暂停的1个月不再发放"

    january = pay("2027-01")
    assert paid(january) == [] and january.total_fen == 0


def test_a_death_in_a_withheld_month_is_paid_for_that_month(staff, tekun, pay, time_machine):
    """Died on 2 December, reported before December's payroll: December is withheld, then paid
    as 补发 once confirmed — payment stops from the month after death."""
    person, enrolment = tekun
    on(time_machine, D(2026, 11, 20))
    pay("2026-11")
    report_death(staff, person, D(2026, 12, 2), today=on(time_machine, D(2026, 12, 4)))
    assert paid(pay("2026-12")) == []
    do_confirm_death_report(staff.town, DeathReport.objects.get())
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.end_month) == ("exited", D(2026, 12, 1))
    on(time_machine, D(2027, 1, 5))
    january = pay("2027-01")
    assert paid(january) == [("2026-12", TEKUN, "arrears")] and january.total_fen == TEKUN


def test_household_payee_suspended_member_only_flagged(staff, family, pay, time_machine):
    household, (head, spouse) = family()
    dibao = enrol("dibao", household=household, amount_fen=154000)  # payee: the head
    today = on(time_machine, D(2026, 12, 4))
    report_death(staff, spouse, D(2026, 11, 28), today=today)
    dibao.refresh_from_db()
    assert dibao.status == "active"  # a member who is not the payee: paid on, flagged
    assert DeathSuspension.objects.get().kind == "flag"
    assert paid(pay("2026-12", program="dibao")) == [("2026-12", 154000, "new")]
    do_confirm_death_report(staff.village, DeathReport.objects.get())
    dibao.refresh_from_db()
    assert dibao.status == "active" and ReviewTask.objects.get(enrolment=dibao).note.startswith("家庭成员刘小芳 2026-11-28死亡")


def test_the_payee_of_a_household_with_living_members_stays_suspended_for_review(staff, family, pay, time_machine):
    household, (head, spouse) = family()
    dibao = enrol("dibao", household=household, amount_fen=154000)
    report_death(staff, head, D(2026, 12, 1), today=on(time_machine, D(2026, 12, 4)))
    dibao.refresh_from_db()
    assert dibao.status == "suspended" and DeathSuspension.objects.get().kind == "suspend"
    assert paid(pay("2026-12", program="dibao")) == []
    do_confirm_death_report(staff.village, DeathReport.objects.get())
    dibao.refresh_from_db()
    assert dibao.status == "suspended"  # the household lives on: the review changes the payee
    assert DeathSuspension.objects.get().status == "review"
    assert WithheldPayment.objects.get().status == "payable"  # December: the month of death
    assert "领款人" in ReviewTask.objects.get(enrolment=dibao).note
    assert HouseholdMembership.objects.filter(household=household, valid_to__isnull=True).count() == 1


def test_a_one_person_household_ends_when_confirmed_and_the_payroll_stops(staff, make_household, pay, time_machine):
    """Moved here from assistance's DEPT_DEATH import test (the import kind is gone)."""
    alone = make_household(DADONGMEN, names=("独居老人",))
    dibao = enrol("dibao", household=alone, amount_fen=70000)
    on(time_machine, D(2026, 10, 20))
    pay("2026-10", program="dibao")
    report_death(staff, alone.head, D(2026, 10, 20), today=on(time_machine, D(2026, 10, 30)))
    do_confirm_death_report(staff.village, DeathReport.objects.get())
    dibao.refresh_from_db()
    assert (dibao.status, dibao.end_month, dibao.exit_reason) == ("exited", D(2026, 10, 1), "death")
    assert "已自次月停发，请核销" in ReviewTask.objects.get(enrolment=dibao, kind="death").note
    on(time_machine, D(2026, 11, 5))
    summary = payroll.run_payroll(staff.district, program="dibao", period="2026-11")
    assert (summary.payments, summary.stopped, summary.withheld) == (0, 1, 0)


# -- not duplicated ------------------------------------------------------------------------------


def test_a_second_report_of_the_same_death_is_not_duplicated(staff, tekun, time_machine):
    person, enrolment = tekun
    today = on(time_machine, D(2026, 12, 4))
    report_death(staff, person, D(2026, 11, 25), today=today)
    second = report_death(staff, person, D(2026, 11, 25), source="卫健死亡医学证明", today=today)
    assert (second.summary["death_reports"], second.summary["death_reports_existing"]) == (0, 1)
    outcome = do_report_death(staff.district, person=person, death_date=D(2026, 11, 25), source="funeral", reference="手工")
    assert not outcome.created and outcome.report == DeathReport.objects.get() and outcome.note == "该人员已有待核实的死亡信息"
    assert (DeathReport.objects.count(), Task.objects.count(), DeathSuspension.objects.count()) == (1, 1, 1)
    assert EnrolmentChange.objects.filter(enrolment=enrolment, kind="suspend").count() == 1
    # Refuted, the same department's same record sent again is not raised again …
    do_refute_death_report(staff.village, DeathReport.objects.get(), reason="本人健在")
    again = do_report_death(staff.district, person=person, death_date=D(2026, 11, 25), source="police", reference="重报")
    assert not again.created and again.report.status == "refuted"
    # … a later record from another department is checked again (a new report and task).
    later = do_report_death(staff.district, person=person, death_date=D(2026, 12, 2), source="funeral", reference="火化")
    assert later.created and Task.objects.filter(status="open").count() == 1
    enrolment.refresh_from_db()
    assert enrolment.status == "suspended"


def test_a_person_already_recorded_dead_is_not_reported(staff, tekun, time_machine):
    person, _ = tekun
    on(time_machine, D(2026, 12, 4))
    Person.objects.filter(pk=person.pk).update(is_deceased=True, death_date=D(2026, 10, 1))
    person.refresh_from_db()
    outcome = do_report_death(staff.district, person=person, death_date=D(2026, 10, 1), source="police", reference="x")
    assert (outcome.report, outcome.created, outcome.note) == (None, False, "人员库已登记死亡")
    assert DeathReport.objects.count() == 0 and Alert.objects.count() == 0


# -- scope, permission, bad input: a Chinese refusal and nothing written -------------------------


@pytest.fixture
def pending(staff, tekun, time_machine):
    person, enrolment = tekun
    report_death(staff, person, D(2026, 11, 25), today=on(time_machine, D(2026, 12, 4)))
    return DeathReport.objects.get(), enrolment


def _unchanged(report, enrolment, events):
    report.refresh_from_db()
    enrolment.refresh_from_db()
    assert (report.status, report.version, enrolment.status) == ("pending", 1, "suspended")
    assert not Person.objects.get(pk=report.person_id).is_deceased
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("who", ["other_village", "other_town"])
def test_a_worker_of_another_village_or_town_gets_not_found(staff, pending, who):
    report, enrolment = pending
    events = AuditEvent.objects.count()
    with pytest.raises(NotFound):
        do_confirm_death_report(getattr(staff, who), report)
    with pytest.raises(NotFound):
        do_refute_death_report(getattr(staff, who), report.pk, reason="本人健在")
    _unchanged(report, enrolment, events)


@pytest.mark.parametrize("who", ["approver", "leader"])
def test_users_without_registry_editing_are_refused(staff, pending, who):
    report, enrolment = pending
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        do_confirm_death_report(getattr(staff, who), report)
    _unchanged(report, enrolment, events)


def test_bad_input_is_refused_in_chinese_and_nothing_is_written(staff, pending):
    report, enrolment = pending
    events = AuditEvent.objects.count()
    with pytest.raises(NotFound) as e:
        do_confirm_death_report(staff.village, 999_999)
    assert e.value.message == "记录不存在或无权访问"
    with pytest.raises(ValidationFailed) as e:
        do_refute_death_report(staff.village, report, reason="  ")
    assert e.value.errors == {"reason": "请填写核实有误的情况说明（如：本人健在，已入户见到本人）"}
    with pytest.raises(DomainError) as e:
        do_confirm_death_report(staff.village, report, expected_version=report.version + 1)
    assert e.value.code == "stale"
    with pytest.raises(ValidationFailed) as e:
        do_report_death(staff.district, person=report.person, death_date=D(2099, 1, 1), source="army", reference="")
    assert e.value.errors == {
        "source": "信息来源不正确（应为公安户籍注销、卫健死亡医学证明或殡葬火化）",
        "death_date": "死亡日期不合理",
        "reference": "请填写信息出处（如导入批次和行号）",
    }
    _unchanged(report, enrolment, events)
    do_refute_death_report(staff.village, report, reason="本人健在")
    with pytest.raises(DomainError) as e:
        do_confirm_death_report(staff.village, report)
    assert (e.value.code, e.value.message) == ("wrong_state", "该死亡信息已处理（核实有误），不能再次核实")
    assert not Person.objects.get(pk=report.person_id).is_deceased


def test_a_manual_resume_cannot_bypass_the_check(staff, pending):
    report, enrolment = pending
    with pytest.raises(WrongState) as e:
        do_resume_enrolment(staff.town, enrolment, expected_version=None, reason="恢复")
    assert e.value.message == "该对象因死亡信息待核实暂停发放，须由村（社区）核实后处理"
    enrolment.refresh_from_db()
    assert enrolment.status == "suspended"


def test_a_feed_death_date_before_birth_is_a_row_error(staff, tekun, time_machine):
    person, _ = tekun
    today = on(time_machine, D(2026, 12, 4))
    content = xlsx_file(DEATH_HEADERS, [[id_of(person), person.name, D(1950, 1, 1), "公安户籍注销"]])
    batch = do_preview_import(staff.district, "death", filename="死亡.xlsx", content=content, today=today).batch
    assert [(r, c, m) for r, c, m in batch.errors] == [(2, "死亡日期", "死亡日期早于出生日期")]


def test_open_tasks_of_the_old_flow_become_pending_reports(staff, tekun, time_machine):
    """The data migration (discovery 0002): an open 核实死亡并停发 task is checked on the same
    task through a pending report; confirming it ends the enrolment."""


    migration = importlib.import_module("minzheng.discovery.migrations.0002_death_reports")
    person, enrolment = tekun
    on(time_machine, D(2026, 12, 4))
    alert = Alert.objects.create(
        kind="beneficiary_death", program="stop_payment", subject_key=f"p{person.pk}", period="2026-11", person=person,
        division_code=DADONGMEN, reason="旧预警", facts={"death_date": "2026-11-03", "source": "funeral"},
    )  # fmt: skip
    old = Task.objects.create(alert=alert, kind="stop_payment", division_code=DADONGMEN, due_on=D(2026, 11, 23))
    migration.open_death_tasks_to_reports(apps, None)
    old.refresh_from_db()
    report = DeathReport.objects.get()
    assert (old.kind, old.death_report_id) == ("verify_death", report.pk)
    assert (report.status, report.death_date, report.source) == ("pending", D(2026, 11, 3), "funeral")
    do_confirm_death_report(staff.village, report)
    enrolment.refresh_from_db()
    old.refresh_from_db()
    assert (enrolment.status, enrolment.end_month, old.outcome) == ("exited", D(2026, 11, 1), TaskOutcome.DEATH_CONFIRMED)
