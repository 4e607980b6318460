"""The home-care order on the case kit (workflow.py): the kit's standard refusals for every
row of the table (another town or village, a role without the permission, a wrong state, a
stale version), bad input writing nothing, the history, the workbench's task feed, and the
same refusals through the screens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from minzheng.accounts.models import Role
from minzheng.cases.models import CaseEvent
from minzheng.cases.tasks import open_tasks_for
from minzheng.cases.workflow import Stale, WrongState
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed
from minzheng.core.models import AuditEvent
from minzheng.eldercare import workflow
from minzheng.eldercare.actions import (
    do_cancel_order,
    do_check_in_order,
    do_complete_order,
    do_dispatch_order,
    do_register_provider,
    do_request_order,
    do_settle_provider_month,
)
from minzheng.eldercare.models import CareOrder
from minzheng.eldercare.tests.conftest import (
    DUNREN,
    DUNREN_COMMUNITY,
    ZHENXI,
    ZHENXI_VILLAGE,
)
from minzheng.eldercare.workflow import ORDER_WORKFLOW

LON, LAT = 107.3898, 29.7032
OTHER_DUNREN_VILLAGE = "500102006003"  # 黔靖街社区


@pytest.fixture
def provider(system_actor):
    return do_register_provider(system_actor, name="敦仁颐康居家服务中心", division_code=DUNREN)


@pytest.fixture
def order_in(system_actor, elder, provider):
    """order_in("dispatched") → a 敦仁街道 大东门社区 order in that state (steps by the system)."""

    def make(state: str) -> CareOrder:
        order = do_request_order(system_actor, elder(), service_kind="meal", category="general", requested_on=timezone.localdate())
        if state == "requested":
            return order
        order = do_dispatch_order(system_actor, order, expected_version=order.version, provider=provider)
        CareOrder.objects.filter(pk=order.pk).update(dispatched_at=timezone.now() - dt.timedelta(hours=3))
        if state == "dispatched":
            return order
        order = do_check_in_order(system_actor, order, expected_version=order.version, at=timezone.now() - dt.timedelta(hours=2), lon=LON, lat=LAT)
        if state == "in_service":
            return order
        order = do_complete_order(system_actor, order, expected_version=order.version, at=timezone.now() - dt.timedelta(hours=1), lon=LON, lat=LAT)
        if state == "completed":
            return order
        raise AssertionError(state)

    return make


def take(actor, order: CareOrder, action: str, provider, *, version: int | None = None) -> CareOrder:
    """Take one action of the table with valid input."""
    version = order.version if version is None else version
    if action == "dispatch":
        return do_dispatch_order(actor, order, expected_version=version, provider=provider, worker_name="刘护理")
    if action == "check_in":
        return do_check_in_order(actor, order, expected_version=version, at=timezone.now(), lon=LON, lat=LAT)
    if action == "complete":
        return do_complete_order(actor, order, expected_version=version, at=timezone.now() + dt.timedelta(minutes=2), lon=LON, lat=LAT)
    if action == "cancel":
        return do_cancel_order(actor, order, expected_version=version, reason="老人住院，暂不需要")
    if action == "settle":
        do_settle_provider_month(actor, provider, month=order.service_month)
        return CareOrder.objects.get(pk=order.pk)
    raise AssertionError(action)


def unchanged(order: CareOrder) -> tuple:
    """What a refusal must leave as it was: the order's state and version, its history, its audit rows."""
    fresh = CareOrder.objects.get(pk=order.pk)
    audit = AuditEvent.objects.filter(object_type="eldercare.order", object_id=str(order.pk)).exclude(action="view")
    return fresh.status, fresh.version, CaseEvent.objects.filter(case_id=order.pk).count(), audit.count()


ROWS = [(t.action, t.source, t.target) for t in workflow.TRANSITIONS]


@pytest.mark.parametrize(("action", "source", "target"), ROWS, ids=[f"{a}-{s}" for a, s, _ in ROWS])
def test_every_row_right_actor_other_town_and_role_without_permission(
    action, source, target, order_in, provider, actor_of, make_user
):
    order = order_in(source)
    before = unchanged(order)
    for user, error in (
        (make_user(Role.TOWN_OFFICER, ZHENXI), NotFound),  # 珍溪镇: not its order
        (make_user(Role.VILLAGE_WORKER, ZHENXI_VILLAGE), NotFound),  # 兴盛社区
        (make_user(Role.TOWN_APPROVER, DUNREN), PermissionDenied),  # 敦仁街道, but no 养老服务 permission
    ):
        if action == "settle" and error is PermissionDenied:
            with pytest.raises(PermissionDenied):  # the settlement itself needs the permission
                take(actor_of(user), order, action, provider)
            continue
        with pytest.raises(error):
            take(actor_of(user), order, action, provider)
        assert unchanged(order) == before
    done = take(actor_of(make_user(Role.TOWN_OFFICER, DUNREN)), order, action, provider)
    assert done.status == target and done.version == order.version + 1


def test_the_role_refusal_names_the_step(order_in, provider, actor_of, make_user):
    order = order_in("requested")
    with pytest.raises(PermissionDenied) as refused:
        take(actor_of(make_user(Role.TOWN_APPROVER, DUNREN)), order, "dispatch", provider)
    assert refused.value.message == "您的角色无权执行“派单”"


def test_a_village_acts_on_its_own_orders_only(order_in, provider, actor_of, make_user):
    order = order_in("dispatched")
    with pytest.raises(NotFound):  # another village of the same town
        take(actor_of(make_user(Role.VILLAGE_WORKER, OTHER_DUNREN_VILLAGE)), order, "check_in", provider)
    done = take(actor_of(make_user(Role.VILLAGE_WORKER, DUNREN_COMMUNITY)), order, "check_in", provider)
    assert done.status == "in_service"


def test_dispatching_is_the_towns_or_the_districts_step(order_in, provider, actor_of, make_user, district_staff):
    order = order_in("requested")
    before = unchanged(order)
    with pytest.raises(PermissionDenied) as refused:  # a village sees no provider to choose
        take(actor_of(make_user(Role.VILLAGE_WORKER, DUNREN_COMMUNITY)), order, "dispatch", provider)
    assert refused.value.message == "“派单”须由乡镇（街道）或区民政局办理"
    assert unchanged(order) == before
    assert take(actor_of(district_staff), order, "dispatch", provider).status == "dispatched"


@pytest.mark.parametrize(
    ("state", "action", "message"),
    [
        ("requested", "check_in", "工单当前处于“已申请”环节，不能执行“上门签到”"),
        ("dispatched", "complete", "工单当前处于“已派单”环节，不能执行“签退并完成”"),
        ("in_service", "cancel", "工单当前处于“服务中”环节，不能执行“取消工单”"),
        ("completed", "dispatch", "工单当前处于“已完成”环节，不能执行“派单”"),
    ],
)
def test_wrong_state_is_refused_and_writes_nothing(state, action, message, order_in, provider, actor_of, dunren_officer):
    order = order_in(state)
    before = unchanged(order)
    with pytest.raises(WrongState) as refused:
        take(actor_of(dunren_officer), order, action, provider)
    assert refused.value.message == message
    assert unchanged(order) == before


def test_a_cancelled_order_takes_no_step(order_in, provider, actor_of, dunren_officer):
    order = take(actor_of(dunren_officer), order_in("dispatched"), "cancel", provider)
    assert order.status == "cancelled"
    with pytest.raises(WrongState) as refused:
        take(actor_of(dunren_officer), order, "check_in", provider)
    assert refused.value.message == "工单当前处于“已取消”环节，不能执行“上门签到”"


def test_of_two_users_on_the_same_version_only_the_first_succeeds(order_in, provider, actor_of, dunren_officer, make_user):
    order = order_in("requested")  # both screens show version 1
    first = take(actor_of(dunren_officer), order, "dispatch", provider, version=1)
    before = unchanged(order)
    with pytest.raises(Stale) as refused:
        take(actor_of(make_user(Role.VILLAGE_WORKER, DUNREN_COMMUNITY)), order, "cancel", provider, version=1)
    assert refused.value.message == "该工单已被其他用户处理，请刷新后重试"
    assert unchanged(order) == before
    assert first.status == "dispatched" and first.version == 2


def test_bad_input_is_refused_in_chinese_and_writes_nothing(order_in, provider, actor_of, dunren_officer, system_actor):
    actor = actor_of(dunren_officer)
    order = order_in("requested")
    before = unchanged(order)
    with pytest.raises(ValidationFailed) as refused:
        do_cancel_order(actor, order, expected_version=order.version, reason="  ")
    assert refused.value.errors == {"reason": "请填写取消原因"}
    other = do_register_provider(system_actor, name="珍溪服务商", division_code=ZHENXI)
    with pytest.raises(ValidationFailed) as refused:
        do_dispatch_order(actor, order, expected_version=order.version, provider=other)
    assert refused.value.errors == {"provider": "该服务商不服务此村（社区）"}
    assert unchanged(order) == before
    order = take(actor, order, "dispatch", provider)
    before = unchanged(order)
    with pytest.raises(ValidationFailed) as refused:
        do_check_in_order(actor, order, expected_version=order.version, at=timezone.now() - dt.timedelta(hours=4), lon=LON, lat=LAT)
    assert refused.value.errors == {"check_in_at": "签到时间不能早于派单时间"}
    assert unchanged(order) == before


def test_every_step_is_one_history_row_and_one_audit_row(order_in, provider, actor_of, make_user):
    officer = make_user(Role.TOWN_OFFICER, DUNREN, username="dunren_ec")
    actor = actor_of(officer)
    order = order_in("requested")
    for action in ("dispatch", "check_in", "complete", "settle"):
        order = take(actor, order, action, provider)
    rows = list(
        CaseEvent.objects.for_case(ORDER_WORKFLOW, order).values_list("action", "label", "from_status", "to_status", "actor_name", "reason")
    )
    month = order.service_month
    assert rows == [
        ("create", "服务申请", "", "requested", "系统", ""),
        ("dispatch", "派单", "requested", "dispatched", "乡镇（街道）经办人 · 敦仁街道", "敦仁颐康居家服务中心，服务人员刘护理"),
        ("check_in", "上门签到", "dispatched", "in_service", "乡镇（街道）经办人 · 敦仁街道", ""),
        ("complete", "签退并完成", "in_service", "completed", "乡镇（街道）经办人 · 敦仁街道", "金额12.00元，补贴0.00元"),
        ("settle", "结算", "completed", "settled", "乡镇（街道）经办人 · 敦仁街道", f"敦仁颐康居家服务中心 {month}"),
    ]
    audit = list(
        AuditEvent.objects.filter(object_type="eldercare.order", object_id=str(order.pk)).order_by("id").values_list("action", flat=True)
    )
    assert audit == ["create", "transition", "transition", "transition", "transition"]
    assert order.step_started_on == timezone.localdate()


def test_open_orders_are_on_the_workbench_of_whoever_takes_the_next_step(order_in, provider, actor_of, dunren_officer, zhenxi_officer, make_user):
    requested, dispatched, completed = order_in("requested"), order_in("dispatched"), order_in("completed")
    tasks = [t for t in open_tasks_for(actor_of(dunren_officer)) if t.workflow is ORDER_WORKFLOW]
    assert [(t.case.pk, t.step, t.actions, t.url, t.tone) for t in tasks] == [
        (requested.pk, "已申请", ("派单",), f"/eldercare/orders/{requested.pk}/", "neutral"),
        (dispatched.pk, "已派单", ("上门签到",), f"/eldercare/orders/{dispatched.pk}/", "neutral"),
    ]
    assert tasks[0].title == f"工单 {requested.pk}（助餐）"
    village = make_user(Role.VILLAGE_WORKER, DUNREN_COMMUNITY)  # 派单 is not the village's step
    assert [t.case.pk for t in open_tasks_for(actor_of(village)) if t.workflow is ORDER_WORKFLOW] == [dispatched.pk]
    assert completed.pk not in [t.case.pk for t in tasks]  # waits for its provider's month, on nobody's list
    assert [t for t in open_tasks_for(actor_of(zhenxi_officer)) if t.workflow is ORDER_WORKFLOW] == []
    approver = make_user(Role.TOWN_APPROVER, DUNREN)
    assert [t for t in open_tasks_for(actor_of(approver)) if t.workflow is ORDER_WORKFLOW] == []
    take(actor_of(dunren_officer), requested, "cancel", provider)
    assert [t.case.pk for t in open_tasks_for(actor_of(dunren_officer)) if t.workflow is ORDER_WORKFLOW] == [dispatched.pk]


# --- the same through the screens ---------------------------------------------------------------


def test_screens_refuse_with_the_right_status_and_write_nothing(order_in, provider, client, dunren_officer, zhenxi_officer, make_user):
    order = order_in("requested")
    base = f"/eldercare/orders/{order.pk}/"
    before = unchanged(order)
    client.force_login(zhenxi_officer)
    assert client.post(base + "dispatch/", {"provider": provider.pk, "version": 1}).status_code == 404
    client.force_login(make_user(Role.TOWN_APPROVER, DUNREN))
    page = client.get(base).content.decode()
    assert "派单" not in page.split('id="order-history"')[0]  # no action form for a role without the permission
    response = client.post(base + "dispatch/", {"provider": provider.pk, "version": 1})
    assert response.status_code == 403 and "您的角色无权执行“派单”" in response.content.decode()
    client.force_login(dunren_officer)
    response = client.post(base + "cancel/", {"reason": "", "version": 1})
    assert response.status_code == 422 and "请填写取消原因" in response.content.decode()
    response = client.post(base + "check-in/", {"at": "2026-12-04T08:00", "lon": LON, "lat": LAT, "version": 1})
    assert response.status_code == 422 and "工单当前处于“已申请”环节，不能执行“上门签到”" in response.content.decode()
    assert unchanged(order) == before
    assert client.post(base + "dispatch/", {"provider": provider.pk, "version": 1}).status_code == 302
    response = client.post(base + "cancel/", {"reason": "重复申请", "version": 1})  # the page before the dispatch
    assert response.status_code == 409 and "该工单已被其他用户处理，请刷新后重试" in response.content.decode()
    page = client.get(base).content.decode()
    assert "办理记录" in page and "派单" in page and "敦仁颐康居家服务中心" in page
    assert CareOrder.objects.get(pk=order.pk).status == "dispatched"
