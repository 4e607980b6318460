"""The home-care order (居家社区养老服务工单), declared with the case kit (minzheng/cases).

申请 → 派单 → 上门签到 → 签退并完成 → 结算, and 取消 (with a reason) before the service starts.

Every step is taken by the actions in actions.py through ``cases.actions.do_transition``: the
one writer of an order's status, optimistically locked, one history row (``cases.CaseEvent``,
workflow ``eldercare.order``) and one audit row per step. Open orders are on the workbench's
task feed of whoever may take their next step.

No time limit: neither the national nor the Chongqing documents collected so far set a response
time for a home-care order (``shared/domain/policy-facts.md`` has none), so none is invented.
A limit set later is one ``TimeLimit`` here (and ``timed=True`` on the states it runs in).
"""

from __future__ import annotations

from django.urls import reverse

from minzheng.cases.levels import Level
from minzheng.cases.workflow import State, Transition, Workflow
from minzheng.eldercare.enums import OrderStatus, ServiceKind
from minzheng.eldercare.permissions import EldercarePerm

S = OrderStatus
V, T, D = Level.VILLAGE, Level.TOWN, Level.DISTRICT
MANAGE = EldercarePerm.MANAGE_ELDERCARE
ANY_LEVEL = (V, T, D)  # the village registers and follows its elders' orders; town and district too
# 派单 chooses a provider, and providers serve a town (Provider.division_code is the town's or
# the district's code): a village worker sees none (providers_serving, access_provider_by_id),
# so dispatching is the town's or the district's step.
DISPATCHERS = (T, D)

# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    # action      label         source          target          permission  levels
    Transition("dispatch", "派单",       S.REQUESTED,  S.DISPATCHED, MANAGE, DISPATCHERS),
    Transition("check_in", "上门签到",   S.DISPATCHED, S.IN_SERVICE, MANAGE, ANY_LEVEL),
    Transition("complete", "签退并完成", S.IN_SERVICE, S.COMPLETED,  MANAGE, ANY_LEVEL),
    # 结算: the provider's month is closed (do_settle_provider_month), order by order. Not
    # forward work of anybody's list: a completed order waits for its provider's month.
    Transition("settle",   "结算",       S.COMPLETED,  S.SETTLED,    MANAGE, ANY_LEVEL, task=False),
    # 取消: only before the service starts, always with a reason.
    *(
        Transition("cancel", "取消工单", source, S.CANCELLED, MANAGE, ANY_LEVEL,
                   reason_required="请填写取消原因", task=False)
        for source in (S.REQUESTED, S.DISPATCHED)
    ),
)
# fmt: on


def describe(order) -> str:
    """The order as staff name it on the workbench: its number and service (no personal name:
    the feed reads no other table)."""
    return f"工单 {order.pk}（{ServiceKind(order.service_kind).label}）"


def _url(order) -> str:
    return reverse("eldercare:order-detail", args=[order.pk])


ORDER_WORKFLOW = Workflow(
    name="eldercare.order",  # stable: the history is keyed by it — never rename
    label="居家养老服务工单",
    noun="工单",
    model="eldercare.CareOrder",
    states=(
        State(S.REQUESTED, S.REQUESTED.label),
        State(S.DISPATCHED, S.DISPATCHED.label),
        State(S.IN_SERVICE, S.IN_SERVICE.label),
        State(S.COMPLETED, S.COMPLETED.label),
        State(S.SETTLED, S.SETTLED.label, terminal=True),
        State(S.CANCELLED, S.CANCELLED.label, terminal=True),
    ),
    transitions=TRANSITIONS,
    audit_type="eldercare.order",  # the object type the order's audit rows always had
    describe=describe,
    url=_url,
)
