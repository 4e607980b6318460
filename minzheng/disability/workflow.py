"""The 两项补贴 application workflow, declared with the case kit.

登记 (village or town: the person page, a 残联 feed row, a discovery alert) → 受理 (town; the
残疾人证 must have been checked — ``DocumentRequirement``; the time limit starts) → 乡镇审核
(town: the engine's verdict stored; 同意 only when the engine finds the person eligible) →
审批 (the level stored on the case from params.DECISION_LEVEL: 批准 starts the payment in
assistance's program, or 不予批准) → 已批准 → 停发 (death, grade, 低保/特困 ended; not forward
work).

Time limit: 30 working days from 受理, extendable once to 45 (params.py), overseen by the district.
"""

from __future__ import annotations

from django.urls import reverse

from minzheng.cases.levels import Level
from minzheng.cases.workflow import (
    CaseField,
    DocumentRequirement,
    State,
    TimeLimit,
    Transition,
    Workflow,
)
from minzheng.disability import params
from minzheng.disability.enums import Status
from minzheng.disability.permissions import DisabilityPerm as P

V, T, D = Level.VILLAGE, Level.TOWN, Level.DISTRICT
S = Status

CERTIFICATE = (DocumentRequirement("certificate", "残疾人证（已核验）"),)

# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    # action     label        source       target       permission   levels
    Transition("accept",  "受理",     S.SUBMITTED, S.REVIEW,    P.REVIEW_SUBSIDY,  (T, D), runs_on_clock=False, starts_clock=True, documents=CERTIFICATE),
    Transition("review",  "乡镇审核", S.REVIEW,    None,        P.REVIEW_SUBSIDY,  (T,), targets=(S.DECISION, S.REFUSED)),
    Transition("decide",  "审批",     S.DECISION,  None,        P.DECIDE_SUBSIDY,  CaseField("decide_level"), targets=(S.APPROVED, S.REFUSED)),
    Transition("return",  "退回",     S.DECISION,  S.REVIEW,    P.DECIDE_SUBSIDY,  CaseField("decide_level"), reason_required="请填写退回理由", task=False),
    Transition("extend",  "延期",     S.REVIEW,    S.REVIEW,    P.REVIEW_SUBSIDY,  (T, D), runs_on_clock=False, extends_limit=True, reason_required="请填写延期理由", task=False),
    Transition("extend",  "延期",     S.DECISION,  S.DECISION,  P.REVIEW_SUBSIDY,  (T, D), runs_on_clock=False, extends_limit=True, reason_required="请填写延期理由", task=False),
    Transition("end",     "停发",     S.APPROVED,  S.ENDED,     P.REVIEW_SUBSIDY,  (T, D), task=False),
)
# fmt: on

STEPS = (S.SUBMITTED, S.REVIEW, S.DECISION, S.APPROVED)


def _url(application) -> str:
    return reverse("disability:application-detail", args=[application.pk])


APPLICATION = Workflow(
    name="disability.application",
    label="残疾人两项补贴",
    noun="补贴申请",
    model="disability.SubsidyApplication",
    states=(
        State(S.SUBMITTED, S.SUBMITTED.label),
        State(S.REVIEW, S.REVIEW.label, timed=True),
        State(S.DECISION, S.DECISION.label, timed=True),
        State(S.APPROVED, S.APPROVED.label),
        State(S.REFUSED, S.REFUSED.label, terminal=True),
        State(S.ENDED, S.ENDED.label, terminal=True),
    ),
    transitions=TRANSITIONS,
    time_limit=TimeLimit(params.decision_working_days, extended_days=params.extended_working_days, overseer_levels=(D,)),
    audit_type="disability_application",
    attached_documents=lambda application: application.documents,
    describe=lambda application: f"{application.number}（网上申请）" if application.channel == "online" else application.number,
    # Who is told each step by SMS (citizen.notify): the citizen who applied online, else the
    # disabled person.
    applicant_of=lambda application: application.applicant_id or application.person_id,
    url=_url,
)
