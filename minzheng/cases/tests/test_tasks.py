"""The open-task feed: each open case a user may act on, across every registered workflow, with
its step, deadline, overdue / due within three working days; never a case of another town."""

from __future__ import annotations

import datetime as dt

import pytest

from minzheng.cases.actions import do_transition
from minzheng.cases.models import CalendarDay
from minzheng.cases.registry import find_workflow, register_workflow, registered_workflows
from minzheng.cases.tasks import open_tasks_for, task_counts, task_counts_for, task_queryset
from minzheng.cases.tests.permit import PERMIT, Permit
from minzheng.cases.workflow import Workflow

pytestmark = pytest.mark.django_db


def accept(actor, permit):
    return do_transition(actor, PERMIT, permit, "accept", expected_version=permit.version)


def test_every_line_registers_its_workflow_once(permit_workflow):
    # Assistance registers its own in AssistanceConfig.ready() (the kit imports no line).
    assert find_workflow("assistance.application").label == "社会救助申请"
    assert {w.name for w in registered_workflows()} >= {"assistance.application", "tests.permit"}
    register_workflow(PERMIT)  # the same declaration again: harmless
    twin = Workflow(PERMIT.name, PERMIT.label, PERMIT.noun, PERMIT.model, PERMIT.states, PERMIT.transitions, time_limit=PERMIT.time_limit, attached_documents=PERMIT.attached_documents)
    with pytest.raises(ValueError, match="registered twice"):
        register_workflow(twin)


def test_a_workflow_whose_model_lacks_a_field_is_refused_at_registration():
    broken = Workflow("tests.broken", "x", "x", "cases.CalendarDay", PERMIT.states[:1], ())
    with pytest.raises(ValueError, match="lacks the fields"):
        register_workflow(broken)
    assert find_workflow("tests.broken") is None


def test_the_feed_follows_the_table_level_and_jurisdiction(people, new_permit, on_day):
    submitted = new_permit()
    checking = accept(people.town, new_permit())
    # 受理 is the town's or the district's; 审查 the village's or the town's.
    assert list(task_queryset(people.town, PERMIT).order_by("id")) == [submitted, checking]
    assert list(task_queryset(people.village, PERMIT)) == [checking]
    assert not task_queryset(people.district, PERMIT).exists()  # district staff do not accept
    assert not task_queryset(people.leader, PERMIT).exists()  # reads only
    # 珍溪镇: none of 敦仁街道's cases.
    assert not task_queryset(people.other_town, PERMIT).exists()
    assert not task_queryset(people.other_village, PERMIT).exists()
    assert [t for t in open_tasks_for(people.other_town) if t.workflow is PERMIT] == []
    # The decision is at the level stored on the case.
    by_town = new_permit(status="deciding", decide_level="town")
    by_district = new_permit(status="deciding")
    assert list(task_queryset(people.approver, PERMIT)) == [by_town]
    assert list(task_queryset(people.district, PERMIT)) == [by_district]


def test_overdue_and_due_within_three_working_days(people, new_permit, on_day):
    CalendarDay.objects.create(date=dt.date(2026, 11, 12), is_workday=False, name="测试假日")  # a Thursday
    early = accept(people.town, new_permit())  # deadline: 10 working days after Mon 2 Nov, one holiday → 17 Nov
    assert early.deadline_on == dt.date(2026, 11, 17)
    on_day(dt.date(2026, 11, 9))
    late = accept(people.town, new_permit())  # → Tue 24 Nov
    waiting = new_permit()  # 待受理: no clock runs
    on_day(dt.date(2026, 11, 11))  # Wed; three working days on: Fri 13, Mon 16, Tue 17
    tasks = {t.case.pk: t for t in open_tasks_for(people.town) if t.workflow is PERMIT}
    first = tasks[early.pk]
    assert (first.step, first.deadline, first.remaining, first.overdue, first.due_soon, first.tone) == (
        "审查", dt.date(2026, 11, 17), 3, False, True, "warn"
    )
    assert (first.title, first.url, first.actions) == ("XK0001", f"/permits/{early.pk}/", ("审查",))
    assert (tasks[late.pk].remaining, tasks[late.pk].due_soon, tasks[late.pk].tone) == (8, False, "ok")
    assert (tasks[waiting.pk].deadline, tasks[waiting.pk].tone, tasks[waiting.pk].actions) == (None, "neutral", ("受理",))
    on_day(dt.date(2026, 11, 18))
    tasks = [t for t in open_tasks_for(people.town) if t.workflow is PERMIT]
    # Overdue first, then by deadline, then the cases without a clock.
    assert [(t.case.pk, t.overdue, t.remaining) for t in tasks] == [(early.pk, True, -1), (late.pk, False, 4), (waiting.pk, False, None)]
    counts = task_counts(people.town, PERMIT)
    assert counts["steps"] == [
        {"status": "submitted", "label": "待受理", "total": 1, "overdue": 0, "near": 0},
        {"status": "checking", "label": "审查", "total": 2, "overdue": 1, "near": 0},
    ]
    assert (counts["total"], counts["overdue"], counts["near"]) == (3, 1, 0)
    assert [c["workflow"] for c in task_counts_for(people.town)] == ["tests.permit"]


def test_a_callable_level_is_checked_in_python(people, new_permit, on_day):
    """A level computed by a function cannot be filtered in the database: the feed checks it
    case by case, and the counts agree with the rows."""
    town_only = Workflow(
        "tests.permit_callable", "回调层级", "许可申请", "cases.Permit", PERMIT.states,
        tuple(t if t.action != "decide" else t.__class__(
            "decide", "决定", "deciding", None, t.perm, lambda case: (case.decide_level,), targets=t.targets,
        ) for t in PERMIT.transitions),
        time_limit=PERMIT.time_limit, attached_documents=PERMIT.attached_documents,
    )
    mine = new_permit(status="deciding", decide_level="town")
    new_permit(status="deciding", decide_level="district")
    tasks = open_tasks_for(people.approver, workflows=(town_only,))
    assert [t.case.pk for t in tasks] == [mine.pk]
    assert task_counts(people.approver, town_only)["total"] == 1
    assert Permit.objects.filter(status="deciding").count() == 2
