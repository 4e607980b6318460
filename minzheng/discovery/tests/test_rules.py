"""Each rule fires on its signal and not otherwise; already-covered people are not alerted."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.discovery import rules
from minzheng.discovery.actions import do_record_task_outcome, do_register_left_behind
from minzheng.discovery.alerts import do_recheck_signals
from minzheng.discovery.enums import AlertKind, AlertProgram, TaskKind
from minzheng.discovery.models import Alert, Signal, Task
from minzheng.discovery.params import Used, discovery_parameters, rules_parameters
from minzheng.discovery.tests.conftest import (
    DADONGMEN,
    DEATH_HEADERS,
    DISABILITY_HEADERS,
    DISASTER_HEADERS,
    MEDICAL_HEADERS,
    SCHOOL_HEADERS,
    TODAY,
    UNEMPLOYMENT_HEADERS,
    enrol,
    id_of,
    import_rows,
    set_income,
)
from minzheng.registry.models import Person
from minzheng.rules import load_parameters

D = dt.date


def medical_row(person, no, oop, *, on=D(2026, 9, 10), total=None):
    return [id_of(person), person.name, no, "涪陵中心医院", on - dt.timedelta(days=9), on, total or oop + 10000, 10000, oop]


def alerts():
    return list(Alert.objects.order_by("id"))


# -- 医保: large out-of-pocket costs ---------------------------------------------------------------


def test_medical_fires_when_costs_exceed_the_share_of_income(staff, family):
    household, (head, spouse) = family(wage=(150000, 0))  # 1,500 yuan/month → 18,000 a year
    batch = import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [medical_row(head, "JS1", 12000)])
    [alert] = alerts()
    assert (alert.kind, alert.program) == (AlertKind.MEDICAL_EXPENSE, AlertProgram.TEMPORARY_EXPENDITURE)
    assert alert.subject_key == f"h{household.pk}" and alert.period == "2026-11" and alert.person_id == head.pk
    assert alert.facts["out_of_pocket_12m_fen"] == 1200000 and alert.facts["annual_income_fen"] == 1800000
    assert alert.provisional  # the 60 % share is a working default
    assert "12,000.00元" in alert.reason and batch.summary["alerts"] == 1
    task = Task.objects.get(alert=alert)
    assert task.kind == TaskKind.ASSESS and task.assignee_id == staff.village_user.pk
    assert task.due_on == TODAY + dt.timedelta(days=10) and task.division_code == DADONGMEN


def test_medical_adds_up_the_household_over_twelve_months_only(staff, family):
    household, (head, spouse) = family(wage=(150000, 0))
    rows = [
        medical_row(head, "OLD", 20000, on=D(2025, 10, 1)),  # older than 12 months: not counted
        medical_row(head, "A", 6000, on=D(2026, 5, 1)),
        medical_row(spouse, "B", 5000, on=D(2026, 8, 1)),
    ]
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, rows)
    [alert] = alerts()  # 11,000 > 60 % of 18,000, one alert for the household
    assert alert.facts["out_of_pocket_12m_fen"] == 1100000


def test_medical_does_not_fire_for_a_well_off_household_or_a_small_bill(staff, family):
    _, (rich, _) = family(names=("赵有钱", "钱多多"), wage=(1500000, 0))  # 180,000 a year
    _, (poor, _) = family(names=("孙小穷", "周小苦"), wage=(0, 0))
    import_rows(
        staff.district, "medical_discharge", MEDICAL_HEADERS,
        [medical_row(rich, "R1", 60000), medical_row(poor, "P1", 4000)],  # 4,000 < the 5,000 minimum
    )  # fmt: skip
    assert alerts() == [] and Signal.objects.count() == 2


def test_medical_rigid_spending_when_the_engine_says_so(staff, family, monkeypatch):
    # The district's disposable income is not set in the shipped parameters; with a value the
    # engine can recognise a 刚性支出困难家庭.
    params = load_parameters().with_overrides({"district.per_capita_disposable_income_prev_year": 40000})
    monkeypatch.setattr(rules, "rules_parameters", lambda: params)
    household, (head, _) = family(wage=(300000, 0))  # 3,000/month: above the dibao line for two
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [medical_row(head, "JS9", 30000)])
    [alert] = alerts()
    assert alert.program == AlertProgram.RIGID_SPENDING and alert.facts["engine_rigid_spending_hardship"]


def test_medical_skips_households_already_helped_with_temporary_assistance(staff, family):
    household, (head, _) = family(wage=(150000, 0))
    enrol("temporary", household=household, amount_fen=300000).__class__.objects.filter(household=household).update(
        start_month=D(2026, 10, 1)
    )
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [medical_row(head, "JS1", 12000)])
    assert alerts() == []


# -- 残联: new severe disability -------------------------------------------------------------------


def test_disability_fires_for_a_new_grade_one_or_two_only(staff, make_person):
    new2 = make_person(DADONGMEN, "钱二级")
    grade3 = make_person(DADONGMEN, "孙三级")
    renewal = make_person(DADONGMEN, "李换证")
    revoked = make_person(DADONGMEN, "周注销")
    rows = [
        [id_of(new2), "钱二级", "新办", "肢体残疾", "二级", D(2026, 10, 8)],
        [id_of(grade3), "孙三级", "新办", "视力残疾", "三级", D(2026, 10, 8)],
        [id_of(renewal), "李换证", "换领", "肢体残疾", "一级", D(2026, 10, 8)],
        [id_of(revoked), "周注销", "注销", "肢体残疾", "一级", D(2026, 10, 8)],
    ]
    import_rows(staff.district, "disability_certificate", DISABILITY_HEADERS, rows)
    [alert] = alerts()
    assert (alert.person_id, alert.program, alert.period) == (new2.pk, AlertProgram.CARE_SUBSIDY, "2026-10")
    assert alert.task.kind == TaskKind.ASSESS and not alert.provisional  # the grades come from 国发〔2015〕52号


def test_disability_not_alerted_when_already_receiving_the_care_subsidy(staff, make_person):
    person = make_person(DADONGMEN, "吴已享受", disability_grade=1, disability_category="physical")
    enrol("severe_disability_care_subsidy", person=person, amount_fen=8000)
    rows = [[id_of(person), "吴已享受", "等级变更", "肢体残疾", "一级", D(2026, 10, 8)]]
    import_rows(staff.district, "disability_certificate", DISABILITY_HEADERS, rows)
    assert alerts() == []


# -- 死亡: a beneficiary dies ---------------------------------------------------------------------


def test_every_death_row_is_a_report_checked_by_the_village(staff, family, make_person, time_machine):
    """ADR 0004 (was: only beneficiaries raised a 核实死亡并停发 alert): every matched death row
    is a registry death report with a 死亡核实 task; payments of the person are suspended."""
    time_machine.move_to(dt.datetime(2026, 11, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
    household, (head, spouse) = family()
    enrol("dibao", household=household)
    tekun = make_person(DADONGMEN, "郑特困")
    tekun_enrolment = enrol("tekun", person=tekun, amount_fen=100100)
    nobody = make_person(DADONGMEN, "冯无保障")
    rows = [
        [id_of(spouse), spouse.name, D(2026, 11, 3), "公安户籍注销"],
        [id_of(tekun), "郑特困", D(2026, 11, 5), "殡葬火化"],
        [id_of(nobody), "冯无保障", D(2026, 11, 5), "卫健死亡医学证明"],
    ]
    import_rows(staff.district, "death", DEATH_HEADERS, rows)
    found = {a.person_id: a for a in alerts()}
    assert set(found) == {spouse.pk, tekun.pk, nobody.pk}
    alert = found[tekun.pk]
    assert (alert.kind, alert.program, alert.task.kind) == (AlertKind.DEATH_REPORTED, AlertProgram.DEATH_CHECK, TaskKind.VERIFY_DEATH)
    assert "殡葬火化报告2026-11-05死亡" in alert.reason and alert.task.due_on == TODAY + dt.timedelta(days=3)
    tekun_enrolment.refresh_from_db()
    assert tekun_enrolment.status == "suspended"
    # The registry is not changed by the feed: the village checks first (see test_death_policy).
    assert not Person.objects.filter(pk__in=[spouse.pk, tekun.pk, nobody.pk], is_deceased=True).exists()


def test_an_exited_beneficiary_is_reported_without_a_suspension(staff, make_person):
    person = make_person(DADONGMEN, "陈已退出")
    enrolment = enrol("tekun", person=person, status="exited")
    import_rows(staff.district, "death", DEATH_HEADERS, [[id_of(person), "陈已退出", D(2026, 11, 1), "公安户籍注销"]])
    [alert] = alerts()
    assert alert.task.kind == TaskKind.VERIFY_DEATH
    enrolment.refresh_from_db()
    assert enrolment.status == "exited" and not enrolment.death_suspensions.exists()


# -- 人社: job loss -------------------------------------------------------------------------------


def test_job_loss_in_a_dibao_household_asks_for_a_review(staff, family):
    household, (head, spouse) = family(wage=(50000, 60000))
    enrol("dibao", household=household)
    import_rows(staff.district, "unemployment", UNEMPLOYMENT_HEADERS, [[id_of(spouse), spouse.name, D(2026, 11, 2), "某厂", "否", None]])
    [alert] = alerts()
    assert (alert.kind, alert.program, alert.task.kind) == (AlertKind.JOB_LOSS, AlertProgram.DIBAO_REVIEW, TaskKind.REVIEW)
    assert alert.subject_key == f"h{household.pk}"


def test_job_loss_that_drops_income_below_the_standard_is_an_application_candidate(staff, family):
    # 2,000 yuan wage for two people: above the urban standard (770/person) before, nothing after.
    household, (head, spouse) = family(wage=(200000, 0))
    import_rows(staff.district, "unemployment", UNEMPLOYMENT_HEADERS, [[id_of(head), head.name, D(2026, 11, 2), "某厂", "否", None]])
    [alert] = alerts()
    assert (alert.kind, alert.program) == (AlertKind.INCOME_BELOW_STANDARD, AlertProgram.DIBAO_APPLICATION)
    assert alert.facts["eligible_before"] is False and alert.facts["monthly_income_after_fen"] == 0


def test_job_loss_in_a_household_that_still_has_enough_income_is_not_alerted(staff, family):
    household, (head, spouse) = family(wage=(200000, 500000))
    import_rows(staff.district, "unemployment", UNEMPLOYMENT_HEADERS, [[id_of(head), head.name, D(2026, 11, 2), "某厂", "是", 180000]])
    assert alerts() == []


# -- 教育: a left-behind child leaves school -------------------------------------------------------


@pytest.fixture
def child(make_person, staff):
    kid = make_person(DADONGMEN, "小明", birth="20150301")
    do_register_left_behind(staff.village, kid, category="child", guardian="祖母 李秀英", registered_on=D(2026, 9, 1))
    return kid


def test_left_behind_child_dropping_out_gets_a_visit(staff, child, make_person):
    other = make_person(DADONGMEN, "小红", birth="20150401")  # not left behind
    rows = [
        [id_of(child), "小明", "涪陵区某某小学", "小学", D(2026, 11, 9), "辍学"],
        [id_of(other), "小红", "涪陵区某某小学", "小学", D(2026, 11, 9), "辍学"],
    ]
    import_rows(staff.district, "school_leaving", SCHOOL_HEADERS, rows)
    [alert] = alerts()
    assert (alert.person_id, alert.kind, alert.task.kind) == (child.pk, AlertKind.CHILD_LEFT_SCHOOL, TaskKind.VISIT)
    assert alert.task.due_on == TODAY + dt.timedelta(days=5)


def test_left_behind_child_transferring_school_is_not_alerted(staff, child):
    import_rows(staff.district, "school_leaving", SCHOOL_HEADERS, [[id_of(child), "小明", "某小学", "小学", D(2026, 11, 9), "转学"]])
    assert alerts() == []


# -- 应急: disasters and accidents -----------------------------------------------------------------


def test_disaster_fires_on_severity_casualty_or_loss_and_not_otherwise(staff, family):
    _, (a, _) = family(names=("甲一", "甲二"))
    _, (b, _) = family(names=("乙一", "乙二"))
    _, (c, _) = family(names=("丙一", "丙二"))
    _, (d, _) = family(names=("丁一", "丁二"))
    rows = [
        [id_of(a), a.name, D(2026, 11, 1), "火灾", "较重", "无", 3000, "厨房起火"],
        [id_of(b), b.name, D(2026, 11, 1), "交通事故", "一般", "受伤", None, ""],
        [id_of(c), c.name, D(2026, 11, 1), "洪涝", "一般", "无", 8000, ""],
        [id_of(d), d.name, D(2026, 11, 1), "风雹", "一般", "无", 1200, "瓦片受损"],  # small: no alert
    ]
    import_rows(staff.district, "disaster", DISASTER_HEADERS, rows)
    assert {x.person_id for x in alerts()} == {a.pk, b.pk, c.pk}
    assert {x.program for x in alerts()} == {AlertProgram.TEMPORARY_URGENT}


# -- deduplication --------------------------------------------------------------------------------


def test_one_alert_per_subject_program_and_period(staff, family):
    household, (head, spouse) = family(wage=(150000, 0))
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [medical_row(head, "A", 12000), medical_row(spouse, "B", 9000)])
    assert len(alerts()) == 1  # two bills, one household
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [medical_row(spouse, "C", 3000)])
    assert len(alerts()) == 1  # same household, program and month
    # Next month, while the first alert is still open: still no second alert.
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [medical_row(spouse, "D", 3000)], today=D(2026, 12, 3))
    assert len(alerts()) == 1


def test_a_closed_alert_lets_a_later_period_alert_again(staff, family):
    household, (head, _) = family(wage=(150000, 0))
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [medical_row(head, "A", 12000)])
    [first] = alerts()
    do_record_task_outcome(staff.village, first.task, outcome="visited", note="已走访")
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [medical_row(head, "B", 2000)], today=D(2026, 12, 3))
    assert [a.period for a in alerts()] == ["2026-11", "2026-12"]


def test_rechecking_stored_signals_raises_only_what_is_new(staff, family, monkeypatch, system_actor):
    _, (a, _) = family(names=("甲一", "甲二"), wage=(150000, 0))
    _, (b, _) = family(names=("乙一", "乙二"), wage=(600000, 0))  # 72,000 a year: 12,000 is below 60 %
    import_rows(staff.district, "medical_discharge", MEDICAL_HEADERS, [medical_row(a, "A", 12000), medical_row(b, "B", 12000)])
    assert [x.person_id for x in alerts()] == [a.pk]
    # The bureau lowers the share to 15 %: a re-check finds the second household, not the first again.
    lowered = discovery_parameters().with_overrides({"medical.share_of_household_income": "0.15"})
    monkeypatch.setattr(rules, "param", lambda name, on, rules=False: rules_param(name, on, rules, lowered))
    result = do_recheck_signals(system_actor, "medical_discharge", since=D(2026, 1, 1), today=TODAY)
    assert result["alerts"] == 1 and result["duplicates"] == 1
    assert sorted(x.person_id for x in alerts()) == sorted([a.pk, b.pk])


def rules_param(name, on, use_rules, overridden):
    found = (rules_parameters() if use_rules else overridden).value_at(name, on)
    return Used(name, found.value, found.reference, found.provisional)
