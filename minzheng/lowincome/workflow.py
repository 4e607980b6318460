"""The recognition of 低保边缘 and 刚性支出困难 households, declared with the case kit.

登记 (village or town: an application, or a household found by screening or a discovery
alert) → 家庭经济状况核对 (town or district: assistance's economic-check facilities; the rules
engine's verdict stored) → 乡镇认定 (the town's approver: 认定 / 不予认定; 退回 to the check with
a reason) → 已认定 → 终止 (not forward work). 刚性支出困难 is valid 12 months at most
(policy-facts §4), then the household re-applies; the monthly monitoring ends it.

No time limit: none found for these procedures (policy-facts §4).
"""

from __future__ import annotations

from django.urls import reverse

from minzheng.cases.levels import Level
from minzheng.cases.workflow import State, Transition, Workflow
from minzheng.lowincome.enums import OPEN_STATUSES, Status
from minzheng.lowincome.permissions import LowIncomePerm as P

V, T, D = Level.VILLAGE, Level.TOWN, Level.DISTRICT
S = Status

# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    # action          label               source         target         permission            levels
    Transition("check",  "家庭经济状况核对", S.SUBMITTED,   S.DECISION,    P.CHECK_LOW_INCOME,   (T, D)),
    Transition("decide", "乡镇认定",         S.DECISION,    None,          P.DECIDE_LOW_INCOME,  (T,), targets=(S.RECOGNISED, S.REFUSED)),
    Transition("return", "退回",             S.DECISION,    S.SUBMITTED,   P.DECIDE_LOW_INCOME,  (T,), reason_required="请填写退回理由", task=False),
    Transition("end",    "终止认定",         S.RECOGNISED,  S.ENDED,       P.DECIDE_LOW_INCOME,  (T,), reason_required="请填写终止原因", task=False),
)
# fmt: on

STEPS = (S.SUBMITTED, S.DECISION, S.RECOGNISED)


def _url(recognition) -> str:
    return reverse("lowincome:recognition-detail", args=[recognition.pk])


RECOGNITION = Workflow(
    name="lowincome.recognition",
    label="低收入家庭认定",
    noun="认定申请",
    model="lowincome.Recognition",
    states=(
        *(State(s, Status(s).label) for s in (*OPEN_STATUSES, S.RECOGNISED)),
        State(S.REFUSED, S.REFUSED.label, terminal=True),
        State(S.ENDED, S.ENDED.label, terminal=True),
    ),
    transitions=TRANSITIONS,
    audit_type="lowincome_recognition",
    describe=lambda recognition: recognition.number,
    url=_url,
)
