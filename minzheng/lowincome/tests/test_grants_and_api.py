"""Grants and checks agree (docs/service-lines.md), and the API gives what the screens give."""

from __future__ import annotations

import pytest
from django.db import transaction

from minzheng.accounts.models import Role
from minzheng.accounts.testing import actor_for, allowed
from minzheng.api.auth import issue_token
from minzheng.lowincome import actions, monitoring
from minzheng.lowincome.models import PriceIndexMonth
from minzheng.lowincome.permissions import GRANTS, LowIncomePerm
from minzheng.lowincome.workflow import RECOGNITION

LEVEL = {
    Role.VILLAGE_WORKER: "village", Role.TOWN_OFFICER: "town", Role.TOWN_APPROVER: "town",
    Role.DISTRICT_STAFF: "district", Role.DISTRICT_LEADER: "district", Role.SYSTEM_ADMIN: "district",
}


def test_every_workflow_grant_can_be_used_at_its_level():
    for perm in (LowIncomePerm.CHECK_LOW_INCOME, LowIncomePerm.DECIDE_LOW_INCOME):
        guarded = [t for t in RECOGNITION.transitions if t.perm == perm]
        assert guarded
        for role in GRANTS[perm]:
            assert any(LEVEL[role] in {str(level) for level in t.levels} for t in guarded), (perm, role)


class _Rollback(Exception):
    pass


def _rolled_back(guard):
    def run(actor):
        try:
            with transaction.atomic():
                guard(actor)
                raise _Rollback
        except _Rollback:
            pass

    return run


@pytest.mark.django_db
def test_district_grants_are_not_refused_to_their_holders():
    for perm, guard in (
        (LowIncomePerm.RUN_LOW_INCOME_MONITORING, lambda a: monitoring.do_run_monitoring(a)),
        (LowIncomePerm.ENTER_PRICE_INDEX, lambda a: actions.do_record_price_index(a, period="2026-11", cpi_yoy="1", food_cpi_yoy="1", source="测试")),
    ):
        for role in Role.values:
            assert allowed(_rolled_back(guard), actor_for(role)) == (role in GRANTS[perm]), (perm, role)
    assert PriceIndexMonth.objects.count() == 0


def bearer(user):
    token, _ = issue_token(user)
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.django_db
def test_api_register_recognition_and_cpi(client, staff, edge_household):
    users = staff.users
    r = client.post(
        "/api/v1/lowincome/recognitions", {"household_id": edge_household.pk, "kind": "edge", "origin": "application"},
        content_type="application/json", headers=bearer(users["li_village"]),
    )
    assert r.status_code == 200, r.content
    rec = r.json()
    r = client.post(f"/api/v1/lowincome/recognitions/{rec['id']}/check", {"version": rec["version"]}, content_type="application/json", headers=bearer(users["li_town"]))
    rec = r.json()
    assert rec["engine_eligible"] is True and rec["per_capita_income_fen"] == 100_000
    r = client.post(
        f"/api/v1/lowincome/recognitions/{rec['id']}/decide", {"version": rec["version"], "outcome": "approve", "note": "符合"},
        content_type="application/json", headers=bearer(users["li_approver"]),
    )
    assert r.json()["status"] == "recognised"
    body = client.get("/api/v1/lowincome/register", headers=bearer(users["li_town"])).json()
    assert [(e["name"], e["tier"], e["source_kind"]) for e in body] == [("王大明", "edge", "recognition"), ("刘小红", "edge", "recognition")]
    assert client.get("/api/v1/lowincome/register", headers=bearer(users["zx_town"])).json() == []
    assert client.get(f"/api/v1/lowincome/recognitions/{rec['id']}", headers=bearer(users["zx_town"])).status_code == 404
    counts = client.get("/api/v1/lowincome/counts", headers=bearer(users["li_district"])).json()
    assert counts["totals"]["edge"] == 2 and counts["rows"][0]["name"] == "敦仁街道"
    r = client.post(
        "/api/v1/lowincome/price-indices", {"period": "2026-11", "cpi_yoy": "-300", "food_cpi_yoy": "2", "source": "市统计局"},
        content_type="application/json", headers=bearer(users["li_district"]),
    )
    assert r.status_code == 422
    assert r.json()["errors"] == [{"field": "cpi_yoy", "message": "居民消费价格指数（CPI）同比涨幅应在 -50% 至 100% 之间（填写的是 -300%）"}]
    assert PriceIndexMonth.objects.count() == 0
