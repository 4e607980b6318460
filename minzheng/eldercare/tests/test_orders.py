"""Home-care orders from request to settlement; the subsidy ledger; scoping."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from python_calamine import CalamineWorkbook

from minzheng.accounts.actor import Actor
from minzheng.assistance.models import Enrolment
from minzheng.core.errors import DomainError, NotFound, ValidationFailed
from minzheng.eldercare.actions import (
    do_check_in_order,
    do_complete_order,
    do_dispatch_order,
    do_record_assessment,
    do_register_provider,
    do_request_order,
    do_settle_provider_month,
)
from minzheng.eldercare.exports import settlement_xlsx
from minzheng.eldercare.models import CareOrder
from minzheng.eldercare.selectors import list_orders_for, subsidy_ledger
from minzheng.eldercare.tests.conftest import DUNREN, ZHENXI
from minzheng.eldercare.tests.helpers import items_with_total
from minzheng.registry.actions import do_create_household

LON, LAT = 107.3898, 29.7032


@pytest.fixture
def provider(system_actor):
    return do_register_provider(system_actor, name="敦仁颐康居家服务中心", division_code=DUNREN)


def enrol(person, program: str) -> None:
    """A current 特困 or 低保 enrolment, so the subsidy category checks out against assistance."""
    if program == "dibao" and person.household_id is None:
        do_create_household(Actor.system("测试"), head=person)
        person.refresh_from_db()
    household = program == "dibao"
    Enrolment.objects.get_or_create(
        program=program,
        subject_kind="household" if household else "person",
        subject_id=person.household_id if household else person.pk,
        defaults=dict(
            household_id=person.household_id if household else None,
            person=None if household else person,
            payee=person,
            division_code=person.division_code,
            zone="urban",
            amount_fen=100_000,
            start_month=dt.date(2025, 1, 1),
            status_changed_on=dt.date(2025, 1, 1),
            source="roster",
        ),
    )


def run_order(actor, person, provider, *, kind="cleaning", category="dibao", quantity=1, rating=5):
    if category in ("dibao", "tekun"):
        enrol(person, category)
    order = do_request_order(actor, person, service_kind=kind, category=category, requested_on=timezone.localdate(), quantity=quantity)
    order = do_dispatch_order(actor, order, expected_version=order.version, provider=provider, worker_name="刘护理")
    start = timezone.now() - dt.timedelta(hours=2)
    CareOrder.objects.filter(pk=order.pk).update(dispatched_at=start - dt.timedelta(hours=1))  # dispatched earlier today
    order = do_check_in_order(actor, order, expected_version=order.version, at=start, lon=LON, lat=LAT)
    return do_complete_order(
        actor, order, expected_version=order.version, at=start + dt.timedelta(minutes=90), lon=LON + 0.0001, lat=LAT, rating=rating
    )


def test_order_from_request_to_settlement_and_xlsx(actor_of, dunren_officer, elder, provider):
    actor = actor_of(dunren_officer)
    person = elder(name="陈阿婆")
    order = run_order(actor, person, provider)
    # 助洁 60 元 (service.price.cleaning), 低保 80 % (subsidy.share.dibao): 48 元 subsidy, 12 元 own
    assert (order.status, order.price_fen, order.subsidy_fen, order.self_pay_fen) == ("completed", 6000, 4800, 1200)
    assert order.pricing["unit_price"]["provisional"] is True
    month = order.service_month
    settlement = do_settle_provider_month(actor, provider, month=month)
    order.refresh_from_db()
    assert order.status == "settled" and order.settlement == settlement
    assert (settlement.order_count, settlement.total_fen, settlement.subsidy_fen, settlement.self_pay_fen) == (1, 6000, 4800, 1200)
    with pytest.raises(DomainError):
        do_settle_provider_month(actor, provider, month=month)  # once only
    content, count = settlement_xlsx(actor, settlement)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert count == 1
    assert rows[0][0] == "工单编号" and rows[0][9] == "服务金额（元）"
    assert rows[1][0] == str(order.pk) and rows[1][1] == "陈阿婆" and rows[1][2] == person.id_number_masked
    assert rows[1][4] == "助洁" and rows[1][9:12] == [60.0, 48.0, 12.0]
    assert rows[2][0] == "合计" and rows[2][10] == 48.0


def test_monthly_cap_limits_the_subsidy_and_the_ledger_sums_it(actor_of, dunren_officer, elder, provider):
    actor = actor_of(dunren_officer)
    person = elder()
    # 特困 100 %; cap 300 元/month (subsidy.monthly_cap): 助浴 80 × 3 = 240, then 80 × 1 → only 60 left
    first = run_order(actor, person, provider, kind="bathing", category="tekun", quantity=3)
    second = run_order(actor, person, provider, kind="bathing", category="tekun", quantity=1)
    assert (first.subsidy_fen, first.self_pay_fen) == (24000, 0)
    assert (second.subsidy_fen, second.self_pay_fen) == (6000, 2000)
    assert second.pricing["cap_applied"] is True
    ledger = subsidy_ledger(actor, person_id=person.pk)
    assert len(ledger) == 1
    assert (ledger[0]["n"], ledger[0]["total"], ledger[0]["subsidy"], ledger[0]["own"]) == (2, 32000, 30000, 2000)


def test_assessed_disability_category_needs_the_assessment(actor_of, dunren_officer, elder):
    actor = actor_of(dunren_officer)
    person = elder()
    with pytest.raises(ValidationFailed) as exc:
        do_request_order(actor, person, service_kind="meal", category="disabled_severe", requested_on=timezone.localdate())
    assert "能力评估" in exc.value.errors["category"]
    do_record_assessment(actor, person, assessed_on=timezone.localdate(), reason="first", assessors=["甲"], items=items_with_total(35))
    order = do_request_order(actor, person, service_kind="meal", category="disabled_severe", requested_on=timezone.localdate())
    assert order.category == "disabled_severe"


def test_steps_must_follow_in_order_and_need_a_location(actor_of, dunren_officer, elder, provider):
    actor = actor_of(dunren_officer)
    order = do_request_order(actor, elder(), service_kind="meal", category="general", requested_on=timezone.localdate())
    with pytest.raises(DomainError) as refused:
        do_check_in_order(actor, order, expected_version=order.version, at=timezone.now(), lon=LON, lat=LAT)
    assert refused.value.message == "工单当前处于“已申请”环节，不能执行“上门签到”"
    order = do_dispatch_order(actor, order, expected_version=order.version, provider=provider)
    with pytest.raises(ValidationFailed) as exc:
        do_check_in_order(actor, order, expected_version=order.version, at=timezone.now(), lon=None, lat=None)
    assert exc.value.errors == {"check_in_location": "请提供定位（经纬度）"}


def test_provider_of_another_town_cannot_be_dispatched(actor_of, dunren_officer, elder, system_actor):
    other = do_register_provider(system_actor, name="珍溪服务商", division_code=ZHENXI)
    actor = actor_of(dunren_officer)
    order = do_request_order(actor, elder(), service_kind="meal", category="general", requested_on=timezone.localdate())
    with pytest.raises(ValidationFailed):
        do_dispatch_order(actor, order, expected_version=order.version, provider=other)


def test_orders_are_scoped_on_lists_pages_and_actions(actor_of, login_as, client, dunren_officer, zhenxi_officer, elder, provider):
    order = run_order(actor_of(dunren_officer), elder(name="陈阿婆"), provider)
    assert list(list_orders_for(actor_of(zhenxi_officer))) == []
    assert subsidy_ledger(actor_of(zhenxi_officer)) == []
    with pytest.raises(NotFound):
        do_settle_provider_month(actor_of(zhenxi_officer), provider, month=order.service_month)
    login_as(zhenxi_officer)
    assert client.get(f"/eldercare/orders/{order.pk}/").status_code == 404
    assert client.post(f"/eldercare/orders/{order.pk}/cancel/", {"reason": "x", "version": order.version}).status_code == 404
    assert "陈阿婆" not in client.get("/eldercare/orders/").content.decode()
    assert "陈阿婆" not in client.get("/eldercare/ledger/").content.decode()
    login_as(dunren_officer)
    assert "陈阿婆" in client.get("/eldercare/ledger/").content.decode()


def test_order_screens_walk_the_whole_flow(login_as, client, dunren_officer, elder, provider):
    person = elder()
    login_as(dunren_officer)
    response = client.post(f"/eldercare/orders/new/{person.pk}/", {"service_kind": "meal", "quantity": "10", "category": "low_income", "requested_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    order = CareOrder.objects.get()
    base = f"/eldercare/orders/{order.pk}/"
    client.post(base + "dispatch/", {"provider": provider.pk, "worker_name": "刘护理", "version": 1})
    now = timezone.localtime()
    CareOrder.objects.filter(pk=order.pk).update(dispatched_at=now - dt.timedelta(hours=3))
    client.post(base + "check-in/", {"at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"), "lon": LON, "lat": LAT, "version": 2})
    client.post(base + "complete/", {"at": now.strftime("%Y-%m-%dT%H:%M"), "lon": LON, "lat": LAT, "rating": "4", "version": 3})
    order.refresh_from_db()
    assert order.status == "completed" and order.rating == 4
    assert (order.price_fen, order.subsidy_fen) == (12000, 6000)  # 助餐 12 元 × 10, 低收入 50 %
    response = client.post(f"/eldercare/settlements/provider/{provider.pk}/", {"month": order.service_month})
    assert response.status_code == 302
    order.refresh_from_db()
    export = client.get(f"/eldercare/settlements/{order.settlement_id}/export.xlsx")
    assert export.status_code == 200 and export.content[:2] == b"PK"


def test_tekun_or_dibao_category_needs_a_current_enrolment(system_actor, elder):
    person = elder()
    with pytest.raises(ValidationFailed) as e:
        do_request_order(system_actor, person, service_kind="meal", category="tekun", requested_on=timezone.localdate())
    assert e.value.errors == {"category": "该老人目前不是在保的特困人员，请核对后选择补贴类别"}
    assert not CareOrder.objects.exists()
    enrol(person, "tekun")
    order = do_request_order(system_actor, person, service_kind="meal", category="tekun", requested_on=timezone.localdate())
    assert order.category == "tekun"



def test_a_request_dated_0001_01_01_or_tomorrow_is_refused_by_field(actor_of, dunren_officer, elder):
    actor, person = actor_of(dunren_officer), elder()
    for day, message in ((dt.date(1, 1, 1), "申请日期不合理（应在2000年以后），请核对"), (dt.date(2026, 12, 5), "申请日期不能晚于今天")):
        with pytest.raises(ValidationFailed) as exc:
            do_request_order(actor, person, service_kind="meal", category="general", requested_on=day)
        assert exc.value.errors == {"requested_on": message}
    assert CareOrder.objects.count() == 0
