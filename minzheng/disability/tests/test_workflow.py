"""两项补贴 from the application to the payroll, every transition and refusal, the stops in
their month (grade, 低保 ended, death), with exact values. Clock: 2026-12-04 (root conftest)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from minzheng.accounts.actor import Actor
from minzheng.assistance import payroll
from minzheng.assistance.actions import do_exit_enrolment
from minzheng.assistance.models import Enrolment
from minzheng.cases.models import CaseEvent
from minzheng.cases.workflow import MissingDocuments, Stale, TimeLimitPassed
from minzheng.core.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from minzheng.disability import actions
from minzheng.disability.actions import ApplicationInput, Certificate
from minzheng.disability.enums import EndReason, Outcome, Source, Status, Subsidy
from minzheng.disability.models import SubsidyApplication, SubsidyDecision
from minzheng.discovery.models import Alert
from minzheng.discovery.tests.conftest import DISABILITY_HEADERS, id_of, import_rows
from minzheng.registry.actions import do_confirm_death_report, do_report_death
from minzheng.registry.models import Person

from minzheng.disability.workflow import APPLICATION as APPLICATION_WORKFLOW

from .conftest import DADONGMEN, certificate_of

SYSTEM = Actor.system("测试")
D = dt.date
pytestmark = pytest.mark.django_db


def register(staff, person, subsidy=Subsidy.CARE, *, grade=2, checked=True, actor=None, **kw):
    return actions.do_register_application(
        actor or staff.village,
        ApplicationInput(
            person_id=person.pk, subsidy=subsidy, certificate_number=certificate_of(person, "4", grade),
            certificate_category="physical", certificate_grade=grade, certificate_issued_on=D(2026, 3, 10),
            certificate_checked=checked, **kw,
        ),
    )


def approve(staff, application):
    a = actions.do_accept_application(staff.town, application, expected_version=application.version)
    a = actions.do_review_application(staff.town, a, expected_version=a.version, outcome=Outcome.APPROVE, opinion="情况属实")
    return actions.do_decide_application(staff.district, a, expected_version=a.version, outcome=Outcome.APPROVE)


# -- the path -------------------------------------------------------------------------------------


def test_care_subsidy_from_application_to_the_first_payment(staff, severe):
    a = register(staff, severe)
    assert (a.status, a.number, a.certificate_number_masked) == (Status.SUBMITTED, f"CB2026{a.pk:06d}", certificate_of(severe)[:6] + "**********" + certificate_of(severe)[-4:])
    a = actions.do_accept_application(staff.town, a, expected_version=a.version)
    assert (a.status, a.clock_started_on, a.deadline_on) == (Status.REVIEW, D(2026, 12, 4), D(2027, 1, 15))
    a = actions.do_review_application(staff.town, a, expected_version=a.version, outcome=Outcome.APPROVE, opinion="情况属实")
    assert a.status == Status.DECISION
    a = actions.do_decide_application(staff.district, a, expected_version=a.version, outcome=Outcome.APPROVE)
    assert (a.status, a.amount_fen, a.start_month, a.next_review_on) == (Status.APPROVED, 8000, D(2027, 1, 1), D(2027, 12, 4))
    enrolment = Enrolment.objects.get(pk=a.enrolment_id)
    assert (enrolment.program, enrolment.person_id, enrolment.amount_fen, enrolment.start_month, enrolment.source) == (
        "severe_disability_care_subsidy", severe.pk, 8000, D(2027, 1, 1), "application")
    # The registry follows the checked certificate (what screening reads).
    p = Person.objects.get(pk=severe.pk)
    assert (p.disability_category, p.disability_grade) == ("physical", 2)
    # The engine's explanation is stored on both decisions.
    final = SubsidyDecision.objects.get(application=a, stage="final")
    assert (final.engine_eligible, final.amount_fen, final.period) == (True, 8000, "2026-12")
    assert [c["passed"] for c in final.result["results"][0]["conditions"]] == [True, True]
    assert "disability.care_subsidy.amount" in final.parameters
    # Nothing in December; the January payroll pays the engine's amount.
    assert payroll.run_payroll(SYSTEM, program="severe_disability_care_subsidy", period="2026-12").payments == 0
    summary = payroll.run_payroll(SYSTEM, program="severe_disability_care_subsidy", period="2027-01")
    assert (summary.payments, summary.total_fen) == (1, 8000)
    assert list(CaseEvent.objects.for_case("disability.application", a).values_list("action", flat=True)) == ["create", "accept", "review", "decide"]


def test_refusal_at_review_and_at_decision_with_reasons(staff, severe, make_person, id_number):
    a = register(staff, severe)
    a = actions.do_accept_application(staff.town, a, expected_version=a.version)
    with pytest.raises(ValidationFailed) as e:
        actions.do_review_application(staff.town, a, expected_version=a.version, outcome=Outcome.REFUSE, opinion="")
    assert e.value.errors == {"opinion": "请填写不同意的理由"}
    a = actions.do_review_application(staff.town, a, expected_version=a.version, outcome=Outcome.REFUSE, opinion="证件与本人不符")
    assert (a.status, a.refusal_reasons) == (Status.REFUSED, "证件与本人不符")
    other = make_person("500102006001", "刘二", id_number=id_number("19600101", "555"))
    b = register(staff, other)
    b = actions.do_accept_application(staff.town, b, expected_version=b.version)
    b = actions.do_review_application(staff.town, b, expected_version=b.version, outcome=Outcome.APPROVE, opinion="同意")
    b = actions.do_decide_application(staff.district, b, expected_version=b.version, outcome=Outcome.REFUSE, reasons="复查不符")
    assert (b.status, b.enrolment_id) == (Status.REFUSED, None)
    assert not Enrolment.objects.filter(person_id=other.pk).exists()


def test_the_engine_refuses_grade_three_for_the_care_subsidy(staff, severe):
    a = register(staff, severe, grade=3)
    a = actions.do_accept_application(staff.town, a, expected_version=a.version)
    with pytest.raises(DomainError) as e:
        actions.do_review_application(staff.town, a, expected_version=a.version, outcome=Outcome.APPROVE, opinion="同意")
    assert e.value.message == "规则引擎判定不符合条件：残疾等级达到护理补贴规定的重度等级"
    assert SubsidyApplication.objects.get(pk=a.pk).status == Status.REVIEW


# -- refusals: role, division, document, deadline, version, bad input ------------------------------


def test_wrong_role_and_wrong_level(staff, severe):
    a = register(staff, severe)
    with pytest.raises(PermissionDenied):
        actions.do_accept_application(staff.village, a, expected_version=a.version)  # 受理 is the town's
    with pytest.raises(PermissionDenied):
        actions.do_register_application(staff.leader, ApplicationInput(person_id=severe.pk, subsidy=Subsidy.CARE))
    a = actions.do_accept_application(staff.town, a, expected_version=a.version)
    a = actions.do_review_application(staff.town, a, expected_version=a.version, outcome=Outcome.APPROVE, opinion="同意")
    with pytest.raises(PermissionDenied):
        actions.do_decide_application(staff.approver, a, expected_version=a.version, outcome=Outcome.APPROVE)  # the district decides
    with pytest.raises(PermissionDenied):
        actions.do_decide_application(staff.town, a, expected_version=a.version, outcome=Outcome.APPROVE)


def test_another_town_is_refused_as_not_found(staff, severe):
    """珍溪镇 500102119 does not see a case of 敦仁街道 500102006: the same answer as a missing one."""
    a = register(staff, severe)
    with pytest.raises(NotFound):
        actions.do_accept_application(staff.other_town, a, expected_version=a.version)
    with pytest.raises(ValidationFailed) as e:
        register(staff, severe, actor=staff.other_village, subsidy=Subsidy.LIVING)
    assert e.value.errors == {"person_id": "未找到该人员，或该人员不在您的管辖范围内"}
    a = actions.do_accept_application(staff.town, a, expected_version=a.version)
    a = actions.do_review_application(staff.town, a, expected_version=a.version, outcome=Outcome.APPROVE, opinion="同意")
    with pytest.raises(NotFound):
        actions.do_review_subsidy(staff.other_approver, a, expected_version=a.version, outcome="continue", note="x")


def test_accept_needs_the_checked_certificate(staff, severe):
    a = actions.do_register_application(staff.village, ApplicationInput(person_id=severe.pk, subsidy=Subsidy.CARE))
    with pytest.raises(MissingDocuments) as e:
        actions.do_accept_application(staff.town, a, expected_version=a.version)
    assert e.value.message == "办理“受理”前须上传：残疾人证（已核验）"
    a = actions.do_record_certificate(
        staff.village, a, expected_version=a.version,
        certificate=Certificate(certificate_of(severe), "physical", 2, D(2026, 3, 10)),
    )
    a = actions.do_accept_application(staff.town, a, expected_version=a.version)
    assert a.status == Status.REVIEW


def test_the_town_is_refused_after_the_deadline_the_district_may_still_act(staff, severe, travel):
    a = register(staff, severe)
    a = actions.do_accept_application(staff.town, a, expected_version=a.version)
    travel(D(2027, 1, 18))  # deadline 2027-01-15 (30 working days)
    with pytest.raises(TimeLimitPassed):
        actions.do_review_application(staff.town, a, expected_version=a.version, outcome=Outcome.APPROVE, opinion="同意")


def test_a_stale_version_is_refused(staff, severe):
    a = register(staff, severe)
    actions.do_accept_application(staff.town, a, expected_version=a.version)
    with pytest.raises(Stale):
        actions.do_accept_application(staff.town, a, expected_version=a.version)


def test_a_grade_out_of_range_names_the_field_and_writes_nothing(staff, severe):
    with pytest.raises(ValidationFailed) as e:
        register(staff, severe, grade=5)
    assert e.value.errors == {"certificate_grade": "残疾等级须为一级至四级"}
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_application(
            staff.village,
            ApplicationInput(person_id=severe.pk, subsidy=Subsidy.CARE, certificate_number=certificate_of(severe, "4", 0),
                             certificate_category="physical", certificate_grade=0, certificate_issued_on=D(2026, 3, 10)),
        )
    assert e.value.errors["certificate_grade"] == "残疾等级须为一级至四级"
    assert SubsidyApplication.objects.count() == 0 and CaseEvent.objects.count() == 0


def test_certificate_number_must_match_category_and_grade(staff, severe):
    with pytest.raises(ValidationFailed) as e:
        actions.do_register_application(
            staff.village,
            ApplicationInput(person_id=severe.pk, subsidy=Subsidy.CARE, certificate_number=certificate_of(severe, "4", 1),
                             certificate_category="physical", certificate_grade=2, certificate_issued_on=D(2026, 3, 10)),
        )
    assert e.value.errors == {"certificate_number": "残疾人证号第20位（残疾等级）与所填残疾等级不一致"}


def test_one_live_application_per_person_and_subsidy(staff, severe):
    register(staff, severe)
    with pytest.raises(ValidationFailed) as e:
        register(staff, severe)
    assert e.value.errors == {"subsidy": "该人员已有重度残疾人护理补贴申请正在办理或正在享受"}


# -- the living subsidy: needs 低保/特困, stops in the month 低保 ends -----------------------------


def _member(household):
    return household.memberships.filter(valid_to__isnull=True).exclude(person_id=household.head_id).get().person


def test_living_subsidy_needs_a_dibao_household(staff, severe):
    a = register(staff, severe, subsidy=Subsidy.LIVING, grade=3)
    a = actions.do_accept_application(staff.town, a, expected_version=a.version)
    with pytest.raises(DomainError) as e:
        actions.do_review_application(staff.town, a, expected_version=a.version, outcome=Outcome.APPROVE, opinion="同意")
    assert "不能享受困难残疾人生活补贴" in e.value.message or "规则引擎判定不符合条件" in e.value.message


def test_living_subsidy_stops_in_the_last_month_of_dibao(staff, dibao_household):
    household, dibao = dibao_household
    member = _member(household)
    a = approve(staff, register(staff, member, subsidy=Subsidy.LIVING, grade=3))
    assert (a.status, a.amount_fen, a.start_month) == (Status.APPROVED, 8000, D(2027, 1, 1))
    assert actions.end_living_subsidies_without_basis() == []  # still in 低保
    do_exit_enrolment(staff.town, dibao, expected_version=None, exit_reason="income_above", last_month=D(2027, 2, 1))
    # the exit itself stopped the subsidy (assistance's exit handler): no sweep run by hand
    a.refresh_from_db()
    assert actions.end_living_subsidies_without_basis() == []
    assert (a.status, a.end_reason, a.last_paid_month) == (Status.ENDED, EndReason.LEFT_ASSISTANCE, D(2027, 2, 1))
    enrolment = Enrolment.objects.get(pk=a.enrolment_id)
    assert (enrolment.status, enrolment.end_month) == ("exited", D(2027, 2, 1))
    assert payroll.run_payroll(SYSTEM, program="disability_living_subsidy", period="2027-02").payments == 1
    assert payroll.run_payroll(SYSTEM, program="disability_living_subsidy", period="2027-03").payments == 0


# -- grade change, review, death -------------------------------------------------------------------


def test_a_grade_change_out_of_range_stops_in_the_month_of_the_change(staff, severe, travel):
    a = approve(staff, register(staff, severe))
    travel(D(2027, 3, 20))
    with pytest.raises(ValidationFailed) as e:
        actions.do_record_grade_change(staff.town, a, expected_version=a.version,
                                       certificate=Certificate(certificate_of(severe, "4", 5), "physical", 5, D(2027, 3, 2)))
    assert e.value.errors == {"certificate_grade": "残疾等级须为一级至四级"}
    a.refresh_from_db()
    assert (a.status, a.certificate_grade) == (Status.APPROVED, 2)
    a = actions.do_record_grade_change(staff.town, a, expected_version=a.version,
                                       certificate=Certificate(certificate_of(severe, "4", 3), "physical", 3, D(2027, 3, 2)), note="残联换证")
    assert (a.status, a.end_reason, a.last_paid_month, a.certificate_grade) == (Status.ENDED, EndReason.GRADE_OUT_OF_RANGE, D(2027, 3, 1), 3)
    assert Enrolment.objects.get(pk=a.enrolment_id).end_month == D(2027, 3, 1)
    assert Person.objects.get(pk=severe.pk).disability_grade == 3
    with pytest.raises(PermissionDenied):
        actions.do_record_grade_change(staff.village, a, expected_version=a.version,
                                       certificate=Certificate(certificate_of(severe, "4", 1), "physical", 1, D(2027, 3, 2)))


def test_review_continues_or_stops(staff, severe):
    a = approve(staff, register(staff, severe))
    a = actions.do_review_subsidy(staff.town, a, expected_version=a.version, outcome="continue", note="情况无变化")
    assert (a.status, a.next_review_on) == (Status.APPROVED, D(2027, 12, 4))
    with pytest.raises(PermissionDenied):
        actions.do_review_subsidy(staff.village, a, expected_version=a.version, outcome="end", note="x")
    a = actions.do_review_subsidy(staff.town, a, expected_version=a.version, outcome="end", note="已迁居外省")
    assert (a.status, a.end_reason, a.last_paid_month) == (Status.ENDED, EndReason.REVIEW_NOT_ELIGIBLE, D(2026, 12, 1))


def test_a_confirmed_death_ends_the_subsidy_with_the_month_of_death(staff, severe, travel):
    a = approve(staff, register(staff, severe))
    travel(D(2027, 2, 10))
    outcome = do_report_death(staff.district, person=severe, death_date=D(2027, 1, 28), source="funeral", reference="火化")
    assert Enrolment.objects.get(pk=a.enrolment_id).status == "suspended"
    do_confirm_death_report(staff.village, outcome.report)
    a.refresh_from_db()
    assert (a.status, a.end_reason, a.last_paid_month) == (Status.ENDED, EndReason.DEATH, D(2027, 1, 1))
    assert Enrolment.objects.get(pk=a.enrolment_id).end_month == D(2027, 1, 1)


# -- other sources: a discovery alert, a 残联 feed row --------------------------------------------


def test_application_from_a_discovery_alert_names_it(staff, severe):
    alert = Alert.objects.create(kind="severe_disability", program="severe_disability_care_subsidy", subject_key=f"p{severe.pk}",
                                 period="2026-12", person=severe, division_code=severe.division_code, reason="新增二级残疾")
    a = register(staff, severe, source=Source.ALERT, source_ref=alert.pk)
    assert (a.source, a.source_ref) == (Source.ALERT, alert.pk)
    with pytest.raises(ValidationFailed) as e:
        register(staff, severe, subsidy=Subsidy.LIVING, source=Source.ALERT, source_ref=alert.pk + 99)
    assert e.value.errors == {"source_ref": "未找到该预警或残联数据，或不在您的管辖范围内"}


def test_sync_command_stops_living_subsidies_without_basis(staff, dibao_household):
    household, dibao = dibao_household
    a = approve(staff, register(staff, _member(household), subsidy=Subsidy.LIVING, grade=3))
    do_exit_enrolment(staff.town, dibao, expected_version=None, exit_reason="income_above")
    a.refresh_from_db()
    assert (a.status, a.end_reason, a.last_paid_month) == (Status.ENDED, EndReason.LEFT_ASSISTANCE, D(2026, 12, 1))
    out = io.StringIO()
    call_command("disability", "sync", stdout=out)  # the catch-up sweep finds nothing left
    assert out.getvalue().strip() == "停发 0 件"


def test_a_dibao_exit_by_the_monthly_review_stops_the_living_subsidy_in_the_right_month(staff, dibao_household, travel):
    """渐退期满 / 复核退出 reach the same exit: the subsidy stops with 低保's last month, and the
    next months' payrolls leave it out, without the sync command."""
    household, dibao = dibao_household
    a = approve(staff, register(staff, _member(household), subsidy=Subsidy.LIVING, grade=3))
    travel(D(2027, 3, 10))
    do_exit_enrolment(staff.town, dibao, expected_version=None, exit_reason="gradual_exit_ended")
    a.refresh_from_db()
    assert (a.status, a.end_reason, a.last_paid_month) == (Status.ENDED, EndReason.LEFT_ASSISTANCE, D(2027, 3, 1))
    assert Enrolment.objects.get(pk=a.enrolment_id).end_month == D(2027, 3, 1)
    assert payroll.run_payroll(SYSTEM, program="disability_living_subsidy", period="2027-03").payments == 1
    assert payroll.run_payroll(SYSTEM, program="disability_living_subsidy", period="2027-04").payments == 0


# -- the 残联 feed acts by itself: out of range stops, into range prompts ------------------------


def test_a_feed_row_out_of_range_stops_the_care_subsidy_in_the_month_of_the_change(staff, severe, make_person, travel):

    a = approve(staff, register(staff, severe))
    assert (a.status, a.amount_fen) == (Status.APPROVED, 8000)
    grade3 = make_person(DADONGMEN, "赵三级", disability_grade=3, disability_category="physical")
    travel(D(2027, 3, 20))
    rows = [
        [id_of(severe), "王建国", "等级变更", "肢体残疾", "三级", D(2027, 3, 2)],
        [id_of(grade3), "赵三级", "等级变更", "肢体残疾", "二级", D(2027, 3, 5)],
    ]
    batch = import_rows(staff.district, "disability_certificate", DISABILITY_HEADERS, rows, today=D(2027, 3, 20))
    assert batch.summary["subsidies_stopped"] == 1
    a.refresh_from_db()
    assert (a.status, a.end_reason, a.last_paid_month, a.certificate_grade) == (Status.ENDED, EndReason.GRADE_OUT_OF_RANGE, D(2027, 3, 1), 3)
    assert Enrolment.objects.get(pk=a.enrolment_id).end_month == D(2027, 3, 1)
    assert Person.objects.get(pk=severe.pk).disability_grade == 3
    assert payroll.run_payroll(SYSTEM, program="severe_disability_care_subsidy", period="2027-03").payments == 1
    assert payroll.run_payroll(SYSTEM, program="severe_disability_care_subsidy", period="2027-04").payments == 0
    history = CaseEvent.objects.for_case(APPLICATION_WORKFLOW, a).values_list("label", "actor_name")
    assert list(history)[-2:] == [("残疾等级变更", "系统"), ("停发", "系统")]
    # into range: 赵三级 now grade 2 and not subsidised — the prompt to apply
    [alert] = Alert.objects.filter(person=grade3)
    assert (alert.kind, alert.program, alert.period) == ("severe_disability", "severe_disability_care_subsidy", "2027-03")
    assert alert.reason == "2027-03-05残疾等级变更为2级，尚未享受重度残疾人护理补贴"


def test_a_feed_row_revoking_the_certificate_stops_the_subsidy(staff, severe, travel):

    a = approve(staff, register(staff, severe))
    travel(D(2027, 2, 20))
    batch = import_rows(staff.district, "disability_certificate", DISABILITY_HEADERS,
                        [[id_of(severe), "王建国", "注销", "肢体残疾", "二级", D(2027, 2, 10)]], today=D(2027, 2, 20))
    assert batch.summary["subsidies_stopped"] == 1
    a.refresh_from_db()
    assert (a.status, a.end_reason, a.last_paid_month) == (Status.ENDED, EndReason.CERTIFICATE_REVOKED, D(2027, 2, 1))
