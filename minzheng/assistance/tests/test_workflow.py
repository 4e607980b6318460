"""The workflow: every transition, every refusal (wrong role, wrong jurisdiction, wrong
state, time limit passed), optimistic locking and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.assistance import actions, workflow
from minzheng.assistance.access import access_application_by_id
from minzheng.core.clock import today
from minzheng.assistance.enums import Level, Outcome, Program, Status
from minzheng.assistance.models import Application, Decision, Enrolment, InvestigationRecord
from minzheng.assistance.selectors import list_applications_for, todo_counts, todo_queryset
from minzheng.cases.models import CalendarDay, CaseEvent
from minzheng.assistance.tests.conftest import MONDAY, dibao_input
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_dibao_case_runs_from_intake_to_enrolment(staff, new_case, walk, travel):
    app = new_case()
    assert app.status == Status.SUBMITTED and app.number.startswith("DB2026")
    app = walk.accept(app)
    assert (app.status, app.accepted_on, app.deadline_on) == (Status.INVESTIGATION, MONDAY, dt.date(2026, 12, 14))
    app = walk.investigate(app)
    assert app.status == Status.ECONOMIC_CHECK
    record = InvestigationRecord.objects.get(application=app)
    assert (record.investigator_1_id, record.investigator_2_id) == (staff.village_user.pk, staff.village2_user.pk)
    app = walk.check(app)
    assert app.status == Status.REVIEW
    app = walk.review(app)
    # 差额 (770 − (300 + 500×0.8)/2) × 2 = 840 元, plus 分类施保 60 元 for each member aged 70+
    assert (app.status, app.proposed_amount_fen) == (Status.PUBLICITY, 96000)
    assert (app.publicity_start, app.publicity_end) == (MONDAY, dt.date(2026, 11, 8))
    travel(dt.date(2026, 11, 9))
    app = walk.close_publicity(app)
    assert app.status == Status.CONFIRMATION
    app = walk.approve(app)
    assert (app.status, app.approved_amount_fen, app.decided_on) == (Status.APPROVED, 96000, dt.date(2026, 11, 9))
    enrolment = Enrolment.objects.get(application=app)
    # Payment starts the month after the decision.
    assert (enrolment.start_month, enrolment.amount_fen, enrolment.status) == (dt.date(2026, 12, 1), 96000, "active")
    assert enrolment.people_covered == 2 and enrolment.bank_account_masked == "***************6789"
    assert enrolment.next_review_on == dt.date(2027, 12, 1)
    app = actions.do_archive_application(staff.town, app, expected_version=app.version)
    assert app.status == Status.ARCHIVED

    events = list(CaseEvent.objects.for_case(workflow.WORKFLOW, app).values_list("action", flat=True))
    assert events == ["create", "accept", "investigate", "check_economy", "review", "close_publicity", "approve", "archive"]
    transitions = AuditEvent.objects.filter(object_type="application", object_id=str(app.pk), action="transition")
    assert transitions.count() == 7
    decisions = Decision.objects.filter(application=app).order_by("id")
    assert [d.stage for d in decisions] == ["review", "final"]
    final = decisions.last()
    assert final.parameters["dibao.standard.urban"]["value"] == "770.00"
    assert final.facts["household"]["members"][0]["monthly_income"]["transfer"] == "300.00"
    # 低保 first checks that someone is counted (特困 members are not: rules issue 13 point 8a)
    assert [c["code"] for c in final.result["conditions"][:2]] == ["members_not_tekun", "income_below_standard"]


# --- refusals: wrong role ----------------------------------------------------------------------

STEP_ACTIONS = {
    Status.SUBMITTED: ("accept", lambda a, app: actions.do_accept_application(a, app, expected_version=app.version)),
    Status.ECONOMIC_CHECK: ("check_economy", lambda a, app: actions.do_complete_economic_check(a, app, expected_version=app.version)),
    Status.REVIEW: ("review", lambda a, app: actions.do_review_application(a, app, expected_version=app.version, outcome=Outcome.APPROVE)),
    Status.CONFIRMATION: ("approve", lambda a, app: actions.do_approve_application(a, app, expected_version=app.version)),
}


@pytest.mark.parametrize(
    "status, who, message",
    [
        (Status.SUBMITTED, "village", "“受理”须由乡镇（街道）或区民政局办理"),
        (Status.SUBMITTED, "approver", "您的角色无权执行“受理”"),
        (Status.SUBMITTED, "leader", "您的角色无权执行“受理”"),
        (Status.ECONOMIC_CHECK, "village", "您的角色无权执行“家庭经济状况核对”"),
        (Status.REVIEW, "village", "您的角色无权执行“审核”"),
        (Status.REVIEW, "district", "“审核”须由乡镇（街道）办理"),
        (Status.CONFIRMATION, "town", "您的角色无权执行“确认”"),
        (Status.CONFIRMATION, "approver", "“确认”须由区民政局办理"),
    ],
)
def test_wrong_role_is_refused_and_nothing_changes(staff, new_case, walk, status, who, message):
    app = walk.to(new_case(), status)
    audits = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as e:
        STEP_ACTIONS[status][1](getattr(staff, who), app)
    assert e.value.message == message
    fresh = Application.objects.get(pk=app.pk)
    assert (fresh.status, fresh.version) == (app.status, app.version)
    assert AuditEvent.objects.count() == audits


def test_investigation_needs_a_second_investigator_who_is_not_oneself(staff, new_case, walk):
    app = walk.accept(new_case())
    with pytest.raises(ValidationFailed) as e:
        walk.investigate(app, second=staff.village_user)
    assert e.value.errors["second_investigator_id"] == "入户调查须由两名工作人员共同进行，第二调查人不能是本人"
    with pytest.raises(ValidationFailed) as e:
        walk.investigate(app, second=staff.other_village_user)
    assert "第二调查人须为该村（社区）所属辖区内" in e.value.errors["second_investigator_id"]


# --- refusals: wrong jurisdiction ------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_town", "other_approver", "other_village"])
def test_staff_of_another_town_cannot_see_or_act(staff, new_case, walk, who):
    """A 珍溪镇 (500102119) officer on a 敦仁街道 (500102006) case: the same NotFound as missing."""
    app = new_case()
    with pytest.raises(NotFound):
        actions.do_accept_application(getattr(staff, who), app, expected_version=app.version)

    with pytest.raises(NotFound):
        access_application_by_id(getattr(staff, who), app.pk)
    assert not list_applications_for(getattr(staff, who)).exists()
    assert not todo_queryset(getattr(staff, who)).exists()
    assert Application.objects.get(pk=app.pk).status == Status.SUBMITTED


def test_intake_outside_jurisdiction_is_refused(staff, poor_household):
    with pytest.raises(NotFound):
        actions.do_create_application(staff.other_town, dibao_input(poor_household))
    assert not Application.objects.exists()


# --- refusals: wrong state ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, action, label",
    [
        (Status.SUBMITTED, "investigate", "入户调查"),
        (Status.INVESTIGATION, "accept", "受理"),
        (Status.REVIEW, "close_publicity", "公示期满"),
        (Status.PUBLICITY, "approve", "确认"),
        (Status.APPROVED, "return", "退回"),
    ],
)
def test_wrong_state_is_refused(staff, new_case, walk, status, action, label):
    app = walk.to(new_case(), status)
    with pytest.raises(workflow.WrongState) as e:
        workflow.find_transition(action, app.status)
    assert e.value.message == f"申请当前处于“{Status(status).label}”环节，不能执行“{label}”"
    call = {
        "investigate": lambda: walk.investigate(app),
        "accept": lambda: walk.accept(app),
        "close_publicity": lambda: walk.close_publicity(app),
        "approve": lambda: walk.approve(app),
        "return": lambda: actions.do_return_application(staff.town, app, expected_version=app.version, reason="x"),
    }[action]
    with pytest.raises(workflow.WrongState):
        call()


def test_archived_case_accepts_no_action(staff, new_case, walk):
    app = walk.to(new_case(), Status.APPROVED)
    app = actions.do_archive_application(staff.town, app, expected_version=app.version)
    for action in ("accept", "approve", "return", "extend", "archive"):
        with pytest.raises(workflow.WrongState):
            workflow.find_transition(action, app.status)


# --- refusals: time limits ---------------------------------------------------------------------


def test_time_limit_counts_working_days_and_holidays_at_its_boundary(staff, new_case, walk, travel):
    CalendarDay.objects.create(date=dt.date(2026, 11, 20), is_workday=False, name="测试假日")
    CalendarDay.objects.create(date=dt.date(2026, 11, 28), is_workday=True, name="调休上班")
    app = walk.accept(new_case())
    # 30 working days after Mon 2 Nov: the holiday adds one, the Saturday worked takes one back.
    assert app.deadline_on == dt.date(2026, 12, 14)
    app = walk.investigate(app)
    travel(app.deadline_on)  # the last day is still in time
    app = walk.check(app)
    assert app.status == Status.REVIEW
    travel(app.deadline_on + dt.timedelta(days=1))
    with pytest.raises(workflow.TimeLimitPassed) as e:
        walk.review(app)
    assert e.value.message == "已超过办理时限（2026-12-14），须由区民政局督办处理"
    assert Application.objects.get(pk=app.pk).status == Status.REVIEW


def test_a_holiday_moves_the_deadline(staff, new_case, walk):
    CalendarDay.objects.create(date=dt.date(2026, 11, 20), is_workday=False, name="测试假日")
    app = walk.accept(new_case())
    assert app.deadline_on == dt.date(2026, 12, 15)


def test_overdue_case_is_continued_only_by_the_district(staff, new_case, walk, travel):
    app = walk.to(new_case(), Status.ECONOMIC_CHECK)
    travel(app.deadline_on + dt.timedelta(days=3))
    with pytest.raises(workflow.TimeLimitPassed):
        walk.check(app, actor=staff.town)
    app = walk.check(app, actor=staff.district)
    assert app.status == Status.REVIEW


def test_deadline_extends_once_to_45_working_days_and_not_after_it_passed(staff, new_case, walk, make_household, travel):
    app = walk.accept(new_case())
    with pytest.raises(ValidationFailed) as e:
        actions.do_extend_deadline(staff.town, app, expected_version=app.version, reason=" ")
    assert e.value.errors == {"reason": "请填写延期理由"}
    app = actions.do_extend_deadline(staff.town, app, expected_version=app.version, reason="需补充外省房产核查")
    assert (app.deadline_on, app.deadline_extended, app.status) == (dt.date(2027, 1, 4), True, Status.INVESTIGATION)
    with pytest.raises(ValidationFailed) as e:
        actions.do_extend_deadline(staff.town, app, expected_version=app.version, reason="再次延期")
    assert e.value.errors == {"reason": "办理时限只能延长一次"}

    other = walk.accept(new_case(household=make_household("500102006001", names=("孙二娘", "武大郎"))))
    travel(other.deadline_on + dt.timedelta(days=1))
    with pytest.raises(workflow.TimeLimitPassed) as e:
        actions.do_extend_deadline(staff.town, other, expected_version=other.version, reason="来不及了")
    assert "已过，不能再延期" in e.value.message


def test_publicity_cannot_close_before_seven_days(staff, new_case, walk, travel):
    app = walk.to(new_case(), Status.PUBLICITY)
    travel(app.publicity_end)
    with pytest.raises(workflow.TimeLimitPassed) as e:
        walk.close_publicity(app)
    assert e.value.message == "公示期未满（公示至2026-11-08），期满后方可办理"
    travel(app.publicity_end + dt.timedelta(days=1))
    assert walk.close_publicity(app).status == Status.CONFIRMATION


# --- 退回 from every step --------------------------------------------------------------------


@pytest.mark.parametrize(
    "status, who, back_to",
    [
        (Status.INVESTIGATION, "village", Status.SUBMITTED),
        (Status.ECONOMIC_CHECK, "town", Status.INVESTIGATION),
        (Status.REVIEW, "town", Status.ECONOMIC_CHECK),
        (Status.PUBLICITY, "town", Status.INVESTIGATION),
        (Status.CONFIRMATION, "district", Status.REVIEW),
    ],
)
def test_return_goes_to_the_step_before_with_a_reason(staff, new_case, walk, status, who, back_to):
    app = walk.to(new_case(), status)
    actor = getattr(staff, who)
    with pytest.raises(ValidationFailed):
        actions.do_return_application(actor, app, expected_version=app.version, reason="")
    app = actions.do_return_application(actor, app, expected_version=app.version, reason="材料不全，请补充收入证明")
    assert app.status == back_to
    event = CaseEvent.objects.for_case(workflow.WORKFLOW, app).last()
    assert (event.action, event.reason, event.from_status, event.to_status) == ("return", "材料不全，请补充收入证明", status, back_to)


def test_return_from_confirmation_by_a_town_user_is_refused_when_the_district_confirms(staff, new_case, walk):
    app = walk.to(new_case(), Status.CONFIRMATION)
    with pytest.raises(PermissionDenied):
        actions.do_return_application(staff.approver, app, expected_version=app.version, reason="x")


# --- optimistic locking ----------------------------------------------------------------------


def test_two_users_on_the_same_case_only_one_wins(staff, new_case):
    app = new_case()
    stale_copy = Application.objects.get(pk=app.pk)
    actions.do_accept_application(staff.town, app, expected_version=app.version)
    with pytest.raises(workflow.Stale) as e:
        actions.do_accept_application(staff.district, stale_copy, expected_version=stale_copy.version)
    assert e.value.message == "该申请已被其他用户处理，请刷新后重试"
    assert CaseEvent.objects.for_case(workflow.WORKFLOW, app).filter(action="accept").count() == 1


# --- who confirms: configurable per program --------------------------------------------------


def test_town_confirms_when_the_program_is_entrusted_to_towns(staff, new_case, walk):
    actions.do_set_program_config(
        staff.district, Program.DIBAO, confirm_level=Level.TOWN, requires_publicity=True,
        mask_names_in_notice=True, complaint_phone="023-12345678",
    )
    app = walk.to(new_case(), Status.CONFIRMATION)
    assert app.confirm_level == Level.TOWN
    with pytest.raises(PermissionDenied):
        walk.approve(app, actor=staff.district)
    app = walk.approve(app, actor=staff.approver)
    assert app.status == Status.APPROVED


def test_reviewer_cannot_confirm_the_same_case(staff, new_case, walk):
    actions.do_set_program_config(
        staff.district, Program.DIBAO, confirm_level=Level.TOWN, requires_publicity=False,
        mask_names_in_notice=True, complaint_phone="",
    )
    app = walk.to(new_case(), Status.REVIEW)
    app = walk.review(app, actor=staff.approver)
    assert app.status == Status.CONFIRMATION  # no 公示 for this program now
    with pytest.raises(PermissionDenied) as e:
        walk.approve(app, actor=staff.approver)
    assert e.value.message == "审核人与确认人不能为同一人"


def test_program_config_is_district_only(staff):
    with pytest.raises(PermissionDenied):
        actions.do_set_program_config(
            staff.approver, Program.DIBAO, confirm_level=Level.TOWN, requires_publicity=True,
            mask_names_in_notice=True, complaint_phone="",
        )


# --- decisions ---------------------------------------------------------------------------------


def test_engine_refusal_blocks_an_approving_opinion_and_refusal_needs_reasons(staff, new_case, walk, rich_household):
    app = walk.to(new_case(household=rich_household), Status.REVIEW)
    with pytest.raises(ValidationFailed) as e:
        walk.review(app)
    assert "规则引擎判定不符合条件" in e.value.errors["outcome"]
    with pytest.raises(ValidationFailed) as e:
        walk.review(app, outcome=Outcome.REFUSE)
    assert e.value.errors == {"opinion": "请填写不同意的理由"}
    app = walk.review(app, outcome=Outcome.REFUSE, opinion="家庭月人均收入高于当地低保标准")
    assert app.status == Status.CONFIRMATION  # refusals are not published
    with pytest.raises(ValidationFailed):
        walk.approve(app)
    app = actions.do_refuse_application(staff.district, app, expected_version=app.version, reasons="家庭月人均收入3,200.00元，高于当地低保标准770.00元")
    assert app.status == Status.REFUSED
    assert not Enrolment.objects.exists()
    final = Decision.objects.filter(application=app, stage="final").get()
    assert (final.outcome, final.engine_eligible) == ("refuse", False)


def test_a_second_application_for_an_open_case_is_refused(staff, new_case, poor_household):
    new_case()
    with pytest.raises(ValidationFailed) as e:
        actions.do_create_application(staff.town, dibao_input(poor_household))
    assert e.value.errors == {"program": "该对象已有正在办理的最低生活保障申请"}


def test_intake_requires_the_signed_authorisation(staff, poor_household):
    data = dibao_input(poor_household)
    data.authorization_signed = False
    with pytest.raises(ValidationFailed) as e:
        actions.do_create_application(staff.village, data)
    assert e.value.errors == {"authorization_signed": "须签署《家庭经济状况核查授权书》后方可登记"}


def test_todo_list_follows_the_table(staff, new_case, walk):
    app = new_case()
    assert list(todo_queryset(staff.town)) == [app]
    assert not todo_queryset(staff.village).exists()  # 受理 is the town's
    app = walk.accept(app)
    assert list(todo_queryset(staff.village)) == [app]
    app = walk.to(app, Status.CONFIRMATION)
    assert list(todo_queryset(staff.district)) == [app]
    assert not todo_queryset(staff.approver).exists()
    counts = todo_counts(staff.district)
    assert counts["total"] == 1 and counts["steps"][0]["label"] == "审核确认"
    assert today() == dt.date(2026, 11, 9)


# --- the whole table: for every row, the right actor succeeds, the same role in the other
# town gets NotFound, a role without the permission gets PermissionDenied, and — for steps on
# the clock — the town is refused once the limit has passed. ------------------------------------

ACT = {
    "accept": lambda a, app, s: actions.do_accept_application(a, app, expected_version=app.version),
    "investigate": lambda a, app, s: actions.do_record_investigation(
        a, app, expected_version=app.version, second_investigator_id=s.village2_user.pk if a.username != "village2_user" else s.village_user.pk,
        visited_on=app.accepted_on, living_conditions="一般", findings="属实", recommendation=Outcome.APPROVE,
    ),
    "check_economy": lambda a, app, s: actions.do_complete_economic_check(a, app, expected_version=app.version),
    "review": lambda a, app, s: actions.do_review_application(a, app, expected_version=app.version, outcome=Outcome.APPROVE),
    "close_publicity": lambda a, app, s: actions.do_close_publicity(a, app, expected_version=app.version),
    "approve": lambda a, app, s: actions.do_approve_application(a, app, expected_version=app.version),
    "refuse": lambda a, app, s: actions.do_refuse_application(a, app, expected_version=app.version, reasons="不符合条件"),
    "archive": lambda a, app, s: actions.do_archive_application(a, app, expected_version=app.version),
    "return": lambda a, app, s: actions.do_return_application(a, app, expected_version=app.version, reason="补充材料"),
    "extend": lambda a, app, s: actions.do_extend_deadline(a, app, expected_version=app.version, reason="情况复杂"),
    "request_correction": lambda a, app, s: actions.do_request_correction(a, app, expected_version=app.version, items="补交收入证明"),
}
# (right actor, same role in 珍溪镇, a role without the permission)
WHO = {
    "accept": ("town", "other_town", "approver"),
    "investigate": ("village", "other_village", "approver"),
    "check_economy": ("town", "other_town", "village"),
    "review": ("town", "other_town", "village"),
    "close_publicity": ("town", "other_town", "village"),
    "approve": ("district", None, "town"),
    "refuse": ("district", None, "town"),
    "archive": ("town", "other_town", "village"),
    "return": (None, None, "leader"),
    "extend": ("town", "other_town", "village"),
    "request_correction": (None, None, "leader"),
}
RETURN_WHO = {Status.INVESTIGATION: "village", Status.ECONOMIC_CHECK: "town", Status.REVIEW: "town", Status.PUBLICITY: "town", Status.CONFIRMATION: "district"}
# 补正告知: whoever acts on the step (受理 is the town's).
CORRECTION_WHO = {Status.SUBMITTED: "town", Status.INVESTIGATION: "village", Status.ECONOMIC_CHECK: "town", Status.REVIEW: "town"}
BY_STEP = {"return": RETURN_WHO, "request_correction": CORRECTION_WHO}
ROWS = [(t.action, t.source) for t in workflow.TRANSITIONS]


def _case_in(walk, new_case, status):
    app = walk.to(new_case(), Status.APPROVED if status in (Status.APPROVED, Status.ARCHIVED) else status)
    if status == Status.REFUSED:
        raise AssertionError("use _refused_case")
    if status == Status.PUBLICITY:
        walk.travel(app.publicity_end + dt.timedelta(days=1))
    return app


def _refused_case(staff, walk, new_case, rich_household):
    app = walk.to(new_case(household=rich_household), Status.REVIEW)
    app = walk.review(app, outcome=Outcome.REFUSE, opinion="收入超标")
    return actions.do_refuse_application(staff.district, app, expected_version=app.version, reasons="收入超标")


@pytest.mark.parametrize("action, source", ROWS, ids=[f"{a}@{s}" for a, s in ROWS])
def test_every_transition_succeeds_for_the_right_actor_and_is_refused_otherwise(staff, walk, new_case, rich_household, action, source):
    app = _refused_case(staff, walk, new_case, rich_household) if source == Status.REFUSED else _case_in(walk, new_case, source)
    right, other, wrong = WHO[action]
    if action in BY_STEP:
        right = BY_STEP[action][source]
        other = {"village": "other_village", "town": "other_town"}.get(right)
    call = ACT[action]
    audits = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        call(getattr(staff, wrong), app, staff)
    if other:
        with pytest.raises(NotFound):
            call(getattr(staff, other), app, staff)
    assert AuditEvent.objects.count() == audits
    assert Application.objects.get(pk=app.pk).version == app.version
    done = call(getattr(staff, right), app, staff)
    target = next(t.target for t in workflow.TRANSITIONS if t.action == action and t.source == source)
    if target is not None:
        assert done.status == target
    assert done.version == app.version + 1
    assert AuditEvent.objects.filter(action="transition", object_id=str(app.pk)).order_by("-id").first().extra["action"] == action


CLOCKED = [(t.action, t.source) for t in workflow.TRANSITIONS if t.runs_on_clock and t.action != "refuse"]


@pytest.mark.parametrize("action, source", CLOCKED, ids=[f"{a}@{s}" for a, s in CLOCKED])
def test_every_step_on_the_clock_is_refused_to_the_town_after_the_limit(staff, walk, new_case, action, source, travel):
    right, _, _ = WHO[action]
    right = BY_STEP[action][source] if action in BY_STEP else right
    if right == "district":
        # The district may act after the limit (督办): test the town-confirmed variant.
        actions.do_set_program_config(
            staff.district, Program.DIBAO, confirm_level=Level.TOWN, requires_publicity=True,
            mask_names_in_notice=True, complaint_phone="",
        )
        right = "approver"
    app = _case_in(walk, new_case, source)
    travel(app.deadline_on + dt.timedelta(days=1))
    with pytest.raises(workflow.TimeLimitPassed):
        ACT[action](getattr(staff, right), app, staff)
    assert Application.objects.get(pk=app.pk).status == source
