"""Migration 0006 copies the application history and the calendar into the case kit's tables
(nothing lost, no empty actor name) and drops the old tables; backwards restores them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from minzheng.accounts.models import Role

BEFORE = [("assistance", "0005_department_kinds_without_death"), ("cases", "0001_case_events_and_calendar")]
AFTER = [("assistance", "0006_history_and_calendar_to_cases")]


def _latest():
    """Every app at its newest migration, so the tests after this one find every table."""
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_history_and_calendar_move_to_the_case_kit(make_user, make_household):
    user = make_user(Role.TOWN_OFFICER, "500102006", username="town_user")
    household = make_household("500102006001", names=("王大贵",))
    old = _migrate(BEFORE)
    try:
        Application = old.get_model("assistance", "Application")
        Event = old.get_model("assistance", "ApplicationEvent")
        Day = old.get_model("assistance", "CalendarDay")
        app = Application.objects.create(
            number="DB20260000001", program="dibao", subject_kind="household", household_id=household.pk,
            applicant_id=household.head_id, division_code="500102006001", zone="urban", status="investigation",
            submitted_on=dt.date(2026, 11, 2),
        )
        Event.objects.create(application=app, division_code="500102006001", action="create", label="登记申请", to_status="submitted", actor_id=user.pk, actor_name="")
        Event.objects.create(application=app, division_code="500102006001", action="accept", label="受理", from_status="submitted", to_status="investigation", actor_id=user.pk, actor_name="张科长", reason="材料齐全")
        Event.objects.create(application=app, division_code="500102006001", action="note", label="系统记录", actor_id=None, actor_name="")
        Event.objects.filter(action="accept").update(occurred_at=dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC))
        Day.objects.create(date=dt.date(2026, 11, 20), is_workday=False, name="测试假日")

        new = _migrate(AFTER)
        CaseEvent = new.get_model("cases", "CaseEvent")
        rows = list(CaseEvent.objects.order_by("id").values_list("workflow", "case_id", "action", "from_status", "to_status", "actor_id", "actor_name", "reason"))
        assert rows == [
            ("assistance.application", app.pk, "create", "", "submitted", user.pk, user.display_name or "town_user", ""),
            ("assistance.application", app.pk, "accept", "submitted", "investigation", user.pk, "张科长", "材料齐全"),
            ("assistance.application", app.pk, "note", "", "", None, "系统", ""),
        ]
        assert CaseEvent.objects.get(action="accept").occurred_at == dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
        assert list(new.get_model("cases", "CalendarDay").objects.values_list("date", "is_workday", "name")) == [(dt.date(2026, 11, 20), False, "测试假日")]
        assert "assistance_applicationevent" not in connection.introspection.table_names()

        back = _migrate(BEFORE)
        restored = back.get_model("assistance", "ApplicationEvent").objects.order_by("id")
        assert [(e.action, e.actor_name) for e in restored] == [("create", user.display_name or "town_user"), ("accept", "张科长"), ("note", "系统")]
        assert restored.get(action="accept").occurred_at == dt.datetime(2026, 11, 2, 2, 0, tzinfo=dt.UTC)
        assert back.get_model("assistance", "CalendarDay").objects.count() == 1
    finally:
        _migrate(_latest())
