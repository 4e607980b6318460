"""The referral workflow (专项救助转介), declared with the case kit.

转介 (village, town or district, from a household or person page; the receiving unit and the
deadline chosen) → 已转介 → 确认接收 → 已接收 → 登记反馈 (the outcome and the unit's
feedback) → 已反馈; 撤回 with a reason from either open state.

The deadline (``deadline_on``) runs in 已转介 and 已接收: open referrals are on the workbench of
whoever records the feedback, overdue ones first. The steps are not refused after the deadline
(``runs_on_clock=False``): a late feedback is still recorded — the deadline is the referrer's
reminder, not a legal limit. Its default length is the parameter
``referrals.feedback_working_days`` (a working default, 参数待确认).
"""

from __future__ import annotations

from django.urls import reverse

from minzheng.cases.levels import Level
from minzheng.cases.workflow import State, TimeLimit, Transition, Workflow
from minzheng.referrals.enums import ReferralStatus
from minzheng.referrals.permissions import ReferralPerm
from minzheng.rules import load_parameters

S = ReferralStatus
V, T, D = Level.VILLAGE, Level.TOWN, Level.DISTRICT
ANY_LEVEL = (V, T, D)
REFER = ReferralPerm.REFER
FEEDBACK_WORKING_DAYS = "referrals.feedback_working_days"


def feedback_working_days(on) -> int:
    return load_parameters().value_at(FEEDBACK_WORKING_DAYS, on).value


def feedback_days_provisional(on) -> bool:
    return load_parameters().value_at(FEEDBACK_WORKING_DAYS, on).provisional


# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    # action      label         source        target       permission  levels
    Transition("receive",  "确认接收", S.REFERRED, S.RECEIVED, REFER, ANY_LEVEL, runs_on_clock=False),
    *(
        Transition("feedback", "登记反馈", source, S.FED_BACK, REFER, ANY_LEVEL, runs_on_clock=False)
        for source in (S.REFERRED, S.RECEIVED)
    ),
    *(
        Transition("withdraw", "撤回转介", source, S.WITHDRAWN, REFER, ANY_LEVEL, runs_on_clock=False,
                   reason_required="请填写撤回原因", task=False)
        for source in (S.REFERRED, S.RECEIVED)
    ),
)
# fmt: on


def _url(referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


REFERRAL = Workflow(
    name="referrals.referral",  # stable: the history is keyed by it — never rename
    label="专项救助转介",
    noun="转介",
    model="referrals.Referral",
    states=(
        State(S.REFERRED, S.REFERRED.label, timed=True),
        State(S.RECEIVED, S.RECEIVED.label, timed=True),
        State(S.FED_BACK, S.FED_BACK.label, terminal=True),
        State(S.WITHDRAWN, S.WITHDRAWN.label, terminal=True),
    ),
    transitions=TRANSITIONS,
    time_limit=TimeLimit(feedback_working_days, label="反馈期限"),
    audit_type="referral",
    describe=lambda referral: f"转介 {referral.number}（{referral.get_kind_display()}）",
    url=_url,
)
