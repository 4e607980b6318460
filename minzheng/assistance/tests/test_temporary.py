"""临时救助: 先行救助 fast path (paid first, papers within 10 working days, flagged when
late), the amount and approval tier from the rules engine, 一事一议 above the cap."""

import datetime as dt

import pytest

from minzheng.assistance import actions, workflow
from minzheng.assistance.enums import ApprovalTier, Level, Program, Status
from minzheng.assistance.models import Enrolment
from minzheng.assistance.tests.conftest import MONDAY
from minzheng.core.errors import PermissionDenied, ValidationFailed
from minzheng.cases.models import CaseEvent

pytestmark = pytest.mark.django_db


def temporary(staff, household, *, kind="urgent", severity="serious", months=5):
    return actions.do_create_application(
        staff.village,
        actions.ApplicationInput(
            program=Program.TEMPORARY,
            applicant_id=household.head_id,
            household_id=household.pk,
            reason="家中失火，生活陷入困境",
            temporary_type=kind,
            severity=severity,
            requested_months=months,
            authorization_signed=True,
            authorization_signed_on=MONDAY,
        ),
    )


def pdf_png():
    return b"%PDF-1.4 test"  # a PDF by its first bytes


def test_urgent_case_is_paid_first_then_confirmed_by_the_town(staff, walk, poor_household):
    app = walk.accept(temporary(staff, poor_household))
    # 2 persons × 770 × 3 months = 4,620 元 may be paid first.
    with pytest.raises(ValidationFailed) as e:
        actions.do_grant_advance_relief(staff.town, app, expected_version=app.version, amount_fen=500000)
    assert e.value.errors == {"amount_fen": "先行救助金额不能超过4620.00元（规则引擎测算上限）"}
    with pytest.raises(PermissionDenied):
        actions.do_grant_advance_relief(staff.village, app, expected_version=app.version, amount_fen=100000)
    app = actions.do_grant_advance_relief(staff.town, app, expected_version=app.version, amount_fen=462000)
    assert (app.advance_paid_fen, app.advance_paid_on, app.advance_paperwork_due_on) == (462000, MONDAY, dt.date(2026, 11, 16))
    assert not app.advance_paperwork_late

    app = walk.investigate(app)
    app = walk.check(app)
    app = walk.review(app)
    # 2 × 770 × 5 = 7,700 元 ≤ town limit 9,240: the town confirms, and there is no 公示.
    assert (app.status, app.proposed_amount_fen, app.approval_tier, app.confirm_level) == (
        Status.CONFIRMATION, 770000, ApprovalTier.TOWN, Level.TOWN,
    )
    with pytest.raises(PermissionDenied):
        walk.approve(app, actor=staff.district)
    app = walk.approve(app, actor=staff.approver)
    enrolment = Enrolment.objects.get(application=app)
    # The rest (7,700 − 4,620) is paid once, the month after the decision.
    assert (enrolment.amount_fen, enrolment.start_month, enrolment.end_month) == (308000, dt.date(2026, 12, 1), dt.date(2026, 12, 1))
    assert enrolment.next_review_on is None


def test_papers_completed_after_ten_working_days_are_flagged_late(staff, walk, poor_household, travel):
    app = walk.accept(temporary(staff, poor_household))
    app = actions.do_grant_advance_relief(staff.town, app, expected_version=app.version, amount_fen=100000)
    travel(dt.date(2026, 11, 16))  # the last day
    assert not app.advance_paperwork_late
    travel(dt.date(2026, 11, 17))
    assert app.advance_paperwork_late
    with pytest.raises(ValidationFailed):
        actions.do_complete_advance_paperwork(staff.town, app, expected_version=app.version)  # nothing uploaded
    actions.do_add_attachment(staff.town, app, kind="application_form", filename="申请书.pdf", content=pdf_png())
    app.refresh_from_db()
    app = actions.do_complete_advance_paperwork(staff.town, app, expected_version=app.version)
    assert app.advance_paperwork_done_on == dt.date(2026, 11, 17) and app.advance_paperwork_late

    assert CaseEvent.objects.for_case(workflow.WORKFLOW, app).filter(action="paperwork").get().reason == "逾期补齐"


def test_only_accepted_urgent_cases_are_paid_first(staff, walk, poor_household, make_household):
    app = walk.accept(temporary(staff, poor_household, kind="expenditure"))
    with pytest.raises(workflow.WrongState) as e:
        actions.do_grant_advance_relief(staff.town, app, expected_version=app.version, amount_fen=1000)
    assert e.value.message == "只有急难型临时救助可以先行救助"
    other = temporary(staff, make_household("500102006001", names=("周急难",)))
    with pytest.raises(workflow.WrongState) as e:
        actions.do_grant_advance_relief(staff.town, other, expected_version=other.version, amount_fen=1000)
    assert "须先受理" in e.value.message


def test_above_the_town_limit_the_district_approves(staff, walk, poor_household):
    app = walk.to(temporary(staff, poor_household, kind="expenditure", severity="severe", months=8), Status.REVIEW)
    app = walk.review(app)
    # 2 × 770 × 8 = 12,320 元 > 9,240
    assert (app.proposed_amount_fen, app.approval_tier, app.confirm_level) == (1232000, ApprovalTier.DISTRICT, Level.DISTRICT)
    with pytest.raises(PermissionDenied):
        walk.approve(app, actor=staff.approver)
    app = walk.approve(app, actor=staff.district)
    assert app.status == Status.APPROVED and Enrolment.objects.get(application=app).amount_fen == 1232000


def test_case_by_case_above_the_top_band_needs_the_collective_note(staff, walk, poor_household):
    app = walk.to(temporary(staff, poor_household, kind="expenditure", severity="severe", months=14), Status.REVIEW)
    app = walk.review(app)
    assert (app.approval_tier, app.confirm_level, app.proposed_amount_fen) == (ApprovalTier.CASE_BY_CASE, Level.DISTRICT, 2156000)
    with pytest.raises(ValidationFailed) as e:
        walk.approve(app)
    assert e.value.errors == {"case_by_case_note": "一事一议须填写集体研究意见"}
    app = walk.approve(app, case_by_case_note="2026年11月区民政局局务会集体研究同意")
    assert app.status == Status.APPROVED and app.case_by_case_note.startswith("2026年11月")


def test_months_outside_the_band_are_refused_by_the_engine(staff, walk, poor_household):
    app = walk.to(temporary(staff, poor_household, kind="expenditure", severity="general", months=5), Status.REVIEW)
    with pytest.raises(ValidationFailed) as e:
        walk.review(app)
    assert "规则引擎判定不符合条件" in e.value.errors["outcome"]


def test_two_one_off_grants_for_one_household_are_paid_in_different_months(staff, walk, poor_household):
    first = walk.to(temporary(staff, poor_household, kind="expenditure"), Status.REVIEW)
    first = walk.approve(walk.review(first), actor=staff.approver)
    second = walk.to(temporary(staff, poor_household, kind="expenditure"), Status.REVIEW)
    second = walk.approve(walk.review(second), actor=staff.approver)
    months = [Enrolment.objects.get(application=a).start_month for a in (first, second)]
    assert months == [dt.date(2026, 12, 1), dt.date(2027, 1, 1)]
