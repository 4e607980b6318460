"""The case kit on a made-up line (permit.py): every refusal — role, level, jurisdiction, state,
time limit at its boundary (a holiday and a 调休 working Saturday), extension, missing
documents, stale version — and what a transition writes (status, version, deadline, one
history row with the actor's name, one audit row)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.cases.actions import Step, do_transition, record_event, update_case
from minzheng.cases.models import CalendarDay, CaseEvent
from minzheng.cases.tests.conftest import MONDAY
from minzheng.cases.tests.permit import PERMIT, Permit
from minzheng.cases.workflow import (
    MissingDocuments,
    Stale,
    State,
    TimeLimit,
    TimeLimitPassed,
    Transition,
    Workflow,
    WrongState,
)
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def act(actor, permit, action, **kw):
    return do_transition(actor, PERMIT, permit, action, expected_version=permit.version, **kw)


def unchanged(permit) -> bool:
    fresh = Permit.objects.get(pk=permit.pk)
    return (fresh.status, fresh.version) == (permit.status, permit.version) and not CaseEvent.objects.for_case(PERMIT, permit).exists()


# --- a transition and what it writes ------------------------------------------------------------


def test_accept_starts_the_clock_and_writes_history_and_audit(people, new_permit, on_day):
    permit = new_permit()
    done = act(people.town, permit, "accept", reason=" 材料齐全 ")
    assert (done.status, done.version, done.clock_started_on, done.step_started_on) == ("checking", 2, MONDAY, MONDAY)
    # 10 working days after Monday 2 November 2026, no exceptions in the calendar.
    assert (done.deadline_on, done.deadline_extended) == (dt.date(2026, 11, 16), False)
    event = CaseEvent.objects.for_case(PERMIT, permit).get()
    assert (event.action, event.label, event.from_status, event.to_status, event.reason) == ("accept", "受理", "submitted", "checking", "材料齐全")
    assert (event.actor_id, event.actor_name, event.division_code) == (people.town_user.pk, people.town_user.display_name or "乡镇（街道）经办人 · 敦仁街道", "500102006001")
    assert (event.from_label, event.to_label, event.changed_state) == ("待受理", "审查", True)
    audit = AuditEvent.objects.filter(action="transition", object_type="permit", object_id=str(permit.pk)).get()
    assert audit.summary == "受理：XK0001（待受理→审查）"
    assert audit.extra == {"action": "accept", "reason": "材料齐全", "deadline": "2026-11-16", "working_days": 10}


def test_the_system_actor_is_named_in_history_and_a_name_is_never_empty(new_permit, on_day):
    permit = new_permit()
    system = Actor.system("测试")
    done = act(system, permit, "accept")
    assert CaseEvent.objects.for_case(PERMIT, done).get().actor_name == "系统"
    nameless = Actor(user_id=None, username="", role="", scope_prefixes=("500102",))
    assert record_event(nameless, PERMIT, done, action="note", label="备注", from_status="checking", to_status="checking").actor_name == "未知用户"
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseEvent.objects.create(workflow=PERMIT.name, case_id=done.pk, division_code=done.division_code, action="x", label="x", actor_name="")


def test_an_account_without_a_name_reads_as_its_role_and_unit_never_its_login(new_permit, on_day):
    permit = new_permit()
    village = Actor(user_id=None, username="dadongmen_clerk", role="village_worker", scope_prefixes=("500102006001",), display_name="dadongmen_clerk")
    district = Actor(user_id=None, username="mz_staff", role="district_staff", scope_prefixes=("500102",), display_name="")
    station = Actor(user_id=None, username="jzz01", role="rescue_station", scope_prefixes=("500102",), display_name="jzz01")
    named = Actor(user_id=None, username="wangfang", role="town_officer", scope_prefixes=("500102006",), display_name="王芳")
    names = [
        record_event(a, PERMIT, permit, action="note", label="备注", from_status="submitted", to_status="submitted").actor_name
        for a in (village, district, station, named)
    ]
    assert names == ["村（社区）经办人 · 大东门社区", "区民政局科室人员", "救助管理站工作人员", "王芳"]


def test_the_action_decides_the_target_among_the_declared_ones(people, new_permit, on_day):
    permit = new_permit(status="deciding")
    with pytest.raises(ValueError):
        act(people.district, permit, "decide", target="submitted")
    assert unchanged(permit)
    done = act(people.district, permit, "decide", prepare=lambda case, t: Step(target="granted", updates={"number": "XK-准予"}))
    assert (done.status, done.number) == ("granted", "XK-准予")
    with pytest.raises(WrongState) as e:
        act(people.district, done, "decide", target="refused")
    assert e.value.message == "许可申请当前处于“准予”环节，不能执行“决定”"


def test_a_step_with_its_own_calendar_day_limit(people, new_permit, on_day):
    permit = act(people.town, new_permit(), "accept")
    done = act(people.village, permit, "check")
    # 决定 has 5 calendar days of its own; the case-wide limit still runs (16 November).
    assert (done.status, done.step_deadline_on, done.deadline_on) == ("deciding", dt.date(2026, 11, 7), dt.date(2026, 11, 16))
    assert PERMIT.deadline_of(done) == dt.date(2026, 11, 7)
    on_day(dt.date(2026, 11, 8))
    with pytest.raises(TimeLimitPassed) as e:
        act(people.district, done, "decide", target="refused")  # no overseer for this step's limit
    assert e.value.message == "已超过办理时限（2026-11-07）"


# --- refusals: role and level ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, message",
    [
        ("approver", "您的角色无权执行“受理”"),  # TOWN_APPROVER has no ACCEPT_APPLICATION
        ("leader", "您的角色无权执行“受理”"),
        ("village", "“受理”须由乡镇（街道）或区民政局办理"),  # the permission, at the wrong level
    ],
)
def test_wrong_role_or_level_is_refused_and_nothing_is_written(people, new_permit, on_day, who, message):
    permit = new_permit()
    audits = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as e:
        act(getattr(people, who), permit, "accept")
    assert e.value.message == message
    assert unchanged(permit) and AuditEvent.objects.count() == audits


def test_level_read_from_the_case(people, new_permit, on_day):
    """决定 at the level stored on the case: the district by default, the town when delegated."""
    permit = new_permit(status="deciding")
    with pytest.raises(PermissionDenied) as e:
        act(people.approver, permit, "decide", target="granted")
    assert e.value.message == "“决定”须由区民政局办理"
    delegated = new_permit(status="deciding", decide_level="town")
    assert act(people.approver, delegated, "decide", target="granted").status == "granted"


# --- refusals: jurisdiction -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_town", "other_village"])
def test_a_worker_of_zhenxi_cannot_act_on_a_dunren_case(people, new_permit, on_day, who):
    """珍溪镇 (500102119) staff on a 敦仁街道 (500102006) case: the same NotFound as a missing case."""
    permit = new_permit(status="checking", deadline_on=dt.date(2026, 11, 16), clock_started_on=MONDAY)
    action = "accept" if who == "other_town" else "check"
    with pytest.raises(NotFound):
        act(getattr(people, who), permit, action)
    assert unchanged(permit)


# --- refusals: state ---------------------------------------------------------------------------------


def test_wrong_state_is_refused(people, new_permit, on_day):
    permit = new_permit()
    with pytest.raises(WrongState) as e:
        act(people.village, permit, "check")
    assert e.value.message == "许可申请当前处于“待受理”环节，不能执行“审查”"
    assert unchanged(permit)


def test_terminal_states_and_declaration_errors_are_refused_at_declaration():
    states = (State("a", "甲"), State("z", "终", terminal=True))
    with pytest.raises(ValueError, match="terminal"):
        Workflow("x", "x", "x", "cases.Permit", states, (Transition("go", "走", "z", "a", Perm.INVESTIGATE, ("town",)),))
    with pytest.raises(ValueError, match="unknown target"):
        Workflow("x", "x", "x", "cases.Permit", states, (Transition("go", "走", "a", "q", Perm.INVESTIGATE, ("town",)),))
    with pytest.raises(ValueError, match="declares no targets"):
        Workflow("x", "x", "x", "cases.Permit", states, (Transition("go", "走", "a", None, Perm.INVESTIGATE, ("town",)),))
    with pytest.raises(ValueError, match="time limit"):
        Workflow("x", "x", "x", "cases.Permit", states, (Transition("go", "走", "a", "z", Perm.INVESTIGATE, ("town",), starts_clock=True),))
    with pytest.raises(ValueError, match="unit"):
        TimeLimit(3, unit="fortnights")


# --- refusals: time limit at its boundary ------------------------------------------------------


def test_a_holiday_moves_the_deadline_and_a_tiaoxiu_saturday_takes_a_day_back(people, new_permit, on_day):
    CalendarDay.objects.create(date=dt.date(2026, 11, 5), is_workday=False, name="测试假日")  # a Thursday
    assert act(people.town, new_permit(), "accept").deadline_on == dt.date(2026, 11, 17)
    CalendarDay.objects.create(date=dt.date(2026, 11, 7), is_workday=True, name="调休上班")  # a Saturday
    assert act(people.town, new_permit(), "accept").deadline_on == dt.date(2026, 11, 16)


def test_time_limit_boundary_last_day_in_time_next_day_only_the_district(people, new_permit, on_day):
    CalendarDay.objects.create(date=dt.date(2026, 11, 5), is_workday=False, name="测试假日")
    CalendarDay.objects.create(date=dt.date(2026, 11, 7), is_workday=True, name="调休上班")
    first = act(people.town, new_permit(), "accept")
    second = act(people.town, new_permit(), "accept")
    on_day(dt.date(2026, 11, 16))  # the deadline itself is still in time
    assert act(people.village, first, "check").status == "deciding"
    on_day(dt.date(2026, 11, 17))
    with pytest.raises(TimeLimitPassed) as e:
        act(people.village, second, "check")
    assert e.value.message == "已超过办理时限（2026-11-16），须由区民政局督办处理"
    assert Permit.objects.get(pk=second.pk).status == "checking"
    assert CaseEvent.objects.for_case(PERMIT, second).count() == 1  # only the acceptance
    # 退回 is on the clock as well; 延期 is not, but cannot extend a limit that has passed.
    with pytest.raises(TimeLimitPassed) as e:
        act(people.town, second, "extend", reason="补充材料")
    assert e.value.message == "办理时限（2026-11-16）已过，不能再延期"


def test_deadline_extends_once_counted_from_the_start(people, new_permit, on_day):
    permit = act(people.town, new_permit(), "accept")
    with pytest.raises(ValidationFailed) as e:
        act(people.town, permit, "extend", reason="  ")
    assert e.value.errors == {"reason": "请填写延期理由"}
    done = act(people.town, permit, "extend", reason="需外省协查")
    # 15 working days after Monday 2 November.
    assert (done.status, done.deadline_on, done.deadline_extended) == ("checking", dt.date(2026, 11, 23), True)
    assert AuditEvent.objects.filter(action="transition", object_id=str(permit.pk)).order_by("-id").first().extra["working_days"] == 15
    with pytest.raises(ValidationFailed) as e:
        act(people.town, done, "extend", reason="再延")
    assert e.value.errors == {"reason": "办理时限只能延长一次"}


def test_a_reason_is_required_where_declared(people, new_permit, on_day):
    permit = act(people.town, new_permit(), "accept")
    with pytest.raises(ValidationFailed) as e:
        act(people.village, permit, "return")
    assert e.value.errors == {"reason": "请填写退回理由"}
    assert act(people.village, permit, "return", reason="缺户口簿").status == "submitted"


# --- refusals: documents ---------------------------------------------------------------------------


def test_missing_documents_are_named(people, new_permit, on_day):
    permit = new_permit(documents=())
    with pytest.raises(MissingDocuments) as e:
        act(people.town, permit, "accept")
    assert e.value.message == "办理“受理”前须上传：申请书、身份证明"
    assert e.value.missing == ("申请书", "身份证明")
    assert unchanged(permit)
    partly = new_permit(documents=("application_form",))
    with pytest.raises(MissingDocuments) as e:
        act(people.town, partly, "accept")
    assert e.value.message == "办理“受理”前须上传：身份证明"


# --- optimistic locking ------------------------------------------------------------------------------


def test_two_users_on_the_same_case_only_one_wins(people, new_permit, on_day):
    permit = new_permit()
    stale = Permit.objects.get(pk=permit.pk)
    act(people.town, permit, "accept")
    audits = AuditEvent.objects.count()
    with pytest.raises(Stale) as e:
        act(people.town2, stale, "accept")
    assert e.value.message == "该许可申请已被其他用户处理，请刷新后重试"
    assert CaseEvent.objects.for_case(PERMIT, permit).filter(action="accept").count() == 1
    assert AuditEvent.objects.count() == audits and Permit.objects.get(pk=permit.pk).version == 2


def test_a_write_that_loses_after_the_checks_writes_nothing(people, new_permit, on_day):
    """The version changes between the read and the write (the other user's transaction
    committed in between): the UPDATE matches no row, everything of this call rolls back."""
    permit = new_permit()

    def meddle(case, transition):
        Permit.objects.filter(pk=case.pk).update(version=case.version + 1)
        record_event(people.town2, PERMIT, case, action="note", label="备注", from_status=case.status, to_status=case.status)
        return None

    with pytest.raises(Stale):
        act(people.town, permit, "accept", prepare=meddle)
    assert unchanged(permit)


def test_update_case_changes_fields_not_the_state(people, new_permit, on_day):
    permit = new_permit()
    stale = Permit.objects.get(pk=permit.pk)
    done = update_case(people.town, PERMIT, permit, action="note", label="补充材料", reason="补交身份证明", updates={"documents": ["identity"]})
    assert (done.status, done.version, done.documents) == ("submitted", 2, ["identity"])
    event = CaseEvent.objects.for_case(PERMIT, permit).get()
    assert (event.action, event.from_status, event.to_status, event.reason, event.changed_state) == ("note", "submitted", "submitted", "补交身份证明", False)
    with pytest.raises(Stale):
        update_case(people.town, PERMIT, stale, action="note", label="补充材料", updates={"number": "X"})
    with pytest.raises(ValueError):
        update_case(people.town, PERMIT, done, action="x", label="x", updates={"status": "granted"})


# --- what an actor may do -------------------------------------------------------------------------


def test_available_lists_each_action_with_the_reason_it_is_not_possible(people, new_permit, on_day):
    permit = act(people.town, new_permit(), "accept")
    by_action = {a.action: (a.allowed, a.reason) for a in PERMIT.available(people.village, permit)}
    assert by_action == {
        "check": (True, ""),
        "return": (True, ""),
        "extend": (False, "您的角色无权执行“延期”"),
    }
    on_day(dt.date(2026, 11, 17))
    by_action = {a.action: (a.allowed, a.reason) for a in PERMIT.available(people.town, permit)}
    assert by_action["check"] == (False, "已超过办理时限（2026-11-16），须由区民政局督办处理")
    assert by_action["extend"] == (False, "办理时限（2026-11-16）已过，不能再延期")
    assert [t.action for t in PERMIT.allowed(people.town, permit)] == ["check", "return", "extend"]
