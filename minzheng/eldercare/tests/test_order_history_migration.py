"""Migration 0002 puts the home-care orders on the case kit: the history that existed (the
orders' audit rows; for bulk-created orders their own dated fields; the settlement) becomes
cases.CaseEvent rows of workflow "eldercare.order", in order, with no empty actor name;
backwards removes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from minzheng.accounts.models import Role

BEFORE = [("eldercare", "0001_initial"), ("cases", "0001_case_events_and_calendar"), ("core", "0002_audit_append_only")]
AFTER = [("eldercare", "0002_orders_on_the_case_kit")]


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_order_history_moves_to_the_case_kit(make_user, make_person):
    user = make_user(Role.TOWN_OFFICER, "500102006", username="dunren_ec")
    name = user.display_name or "dunren_ec"
    person = make_person("500102006001", "陈阿婆")
    old = _migrate(BEFORE)
    try:
        Order = old.get_model("eldercare", "CareOrder")
        Provider = old.get_model("eldercare", "Provider")
        Settlement = old.get_model("eldercare", "ProviderSettlement")
        Audit = old.get_model("core", "AuditEvent")
        provider = Provider.objects.create(name="敦仁服务商", division_code="500102006")
        common = {
            "person_id": person.pk, "division_code": "500102006001", "service_kind": "meal", "category": "general",
            "requested_on": dt.date(2026, 11, 30), "created_by_id": user.pk,
        }  # fmt: skip
        # Taken on the screens: every step has its audit row.
        cancelled = Order.objects.create(**common, status="cancelled", provider=provider, version=3)
        for action, status, summary in (
            ("create", "requested", "居家养老服务申请：陈阿婆 助餐×1"),
            ("transition", "dispatched", "派单：敦仁服务商"),
            ("transition", "cancelled", "取消工单：老人住院"),
        ):
            Audit.objects.create(action=action, object_type="eldercare.order", object_id=str(cancelled.pk), user_id=user.pk,
                                 username="dunren_ec", division_code="500102006001", summary=summary, extra={"status": status})  # fmt: skip
        # Bulk-created by the demo seeder: no audit rows, only its dated fields; then settled.
        at = dt.datetime(2026, 11, 20, 1, 0, tzinfo=dt.UTC)
        settlement = Settlement.objects.create(provider=provider, division_code="500102006", month="2026-11", order_count=1,
                                               total_fen=1200, subsidy_fen=0, self_pay_fen=1200, created_by_id=user.pk)  # fmt: skip
        settled = Order.objects.create(
            **{**common, "created_by_id": None}, status="settled", provider=provider, dispatched_at=at,
            check_in_at=at + dt.timedelta(hours=1), completed_at=at + dt.timedelta(hours=2), service_month="2026-11",
            settlement=settlement,
        )  # fmt: skip

        new = _migrate(AFTER)
        CaseEvent = new.get_model("cases", "CaseEvent")
        rows = list(
            CaseEvent.objects.filter(workflow="eldercare.order").order_by("case_id", "id")
            .values_list("case_id", "action", "from_status", "to_status", "actor_id", "actor_name", "reason")
        )  # fmt: skip
        assert rows == [
            (cancelled.pk, "create", "", "requested", user.pk, name, ""),
            (cancelled.pk, "dispatch", "requested", "dispatched", user.pk, name, "敦仁服务商"),
            (cancelled.pk, "cancel", "dispatched", "cancelled", user.pk, name, "老人住院"),
            (settled.pk, "create", "", "requested", None, "系统", ""),
            (settled.pk, "dispatch", "requested", "dispatched", None, "系统", ""),
            (settled.pk, "check_in", "dispatched", "in_service", None, "系统", ""),
            (settled.pk, "complete", "in_service", "completed", None, "系统", ""),
            (settled.pk, "settle", "completed", "settled", user.pk, name, "2026-11"),
        ]
        assert CaseEvent.objects.get(case_id=settled.pk, action="check_in").occurred_at == at + dt.timedelta(hours=1)
        Migrated = new.get_model("eldercare", "CareOrder")
        assert Migrated.objects.get(pk=settled.pk).step_started_on == settlement.created_at.astimezone(
            dt.timezone(dt.timedelta(hours=8))
        ).date()

        _migrate(BEFORE)
        assert not CaseEvent.objects.filter(workflow="eldercare.order").exists()
        assert "step_started_on" not in [c.name for c in connection.introspection.get_table_description(connection.cursor(), "eldercare_careorder")]
    finally:
        _migrate(_latest())
