"""The social-organisation line's case workflows, declared with the case kit (docs/cases.md).

``sociorgs.procedure`` — 成立登记 (筹备申请 → 受理 → 准予筹备 within 60 days → 筹备 at most 6
months → 提交成立登记 → 准予登记 with the certificate), 变更登记 and 注销登记 (受理 → 准予登记).
Each step's limit is its state's own ``TimeLimit`` read from the line's parameters; 提交成立登记 is
refused once the 筹备 period has passed (no one oversees it: a new 筹备申请 is needed).
Refusals (不予筹备 / 不予登记) name their legal ground.

``sociorgs.penalty`` — 行政处罚 and 取缔: 立案 → 调查 → 告知 → 决定 → 执行完毕, a case-wide limit
from 立案 (the district may still act after it: 督办), and 告知 with its own period before a
decision may be taken (the decision waits until the period has run — checked in the action).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from minzheng.cases.levels import Level
from minzheng.cases.workflow import (
    CALENDAR,
    DocumentRequirement,
    State,
    TimeLimit,
    Transition,
    Workflow,
)
from minzheng.sociorgs.enums import PenaltyStatus, ProcedureKind, ProcedureStatus
from minzheng.sociorgs.params import add_months, int_param
from minzheng.sociorgs.permissions import SociorgPerm

S = ProcedureStatus
D = Level.DISTRICT
REGISTER = SociorgPerm.REGISTER_SOCIORGS
SUPERVISE = SociorgPerm.SUPERVISE_SOCIORGS


def _establish(case) -> bool:
    return case.kind == ProcedureKind.ESTABLISH


def _has_supervisor(case) -> bool:
    return case.kind == ProcedureKind.ESTABLISH and bool((case.data or {}).get("supervising_unit"))


# The documents of each step (kind, label, when).
DOCUMENT_LABELS = {
    "prep_application": "筹备申请书",
    "supervisor_approval": "业务主管单位批准文件",
    "funds_proof": "验资报告（资金证明）",
    "premises_proof": "住所使用权证明",
    "founders": "发起人和拟任负责人基本情况、身份证明",
    "charter_draft": "章程草案",
    "registration_form": "成立登记申请书",
    "charter": "会员（代表）大会通过的章程",
    "change_form": "变更登记申请书",
    "change_resolution": "理事会（会员大会）变更决议",
    "deregister_form": "注销登记申请书",
    "liquidation_report": "清算报告",
    "certificate_return": "交回的登记证书正副本",
}
_doc = lambda kind, when=None: DocumentRequirement(kind, DOCUMENT_LABELS[kind], when=when)
ACCEPT_DOCUMENTS = (
    _doc("prep_application", _establish),
    _doc("supervisor_approval", _has_supervisor),
    _doc("funds_proof", _establish),
    _doc("premises_proof", _establish),
    _doc("founders", _establish),
    _doc("charter_draft", _establish),
    _doc("change_form", lambda c: c.kind == ProcedureKind.CHANGE),
    _doc("change_resolution", lambda c: c.kind == ProcedureKind.CHANGE),
    _doc("deregister_form", lambda c: c.kind == ProcedureKind.DEREGISTER),
    _doc("liquidation_report", lambda c: c.kind == ProcedureKind.DEREGISTER),
    _doc("certificate_return", lambda c: c.kind == ProcedureKind.DEREGISTER),
)
REGISTRATION_DOCUMENTS = (_doc("registration_form"), _doc("charter"))
# documents the applicant hands in at each step, for the screen's checklist
STEP_DOCUMENTS = {
    ProcedureKind.ESTABLISH: ("prep_application", "supervisor_approval", "funds_proof", "premises_proof", "founders", "charter_draft",
                              "registration_form", "charter"),
    ProcedureKind.CHANGE: ("change_form", "change_resolution"),
    ProcedureKind.DEREGISTER: ("deregister_form", "liquidation_report", "certificate_return"),
}


def prep_days(start: dt.date) -> int:
    return int_param("procedure.prep_decision_days", start)


def preparation_days(start: dt.date) -> int:
    return (add_months(start, int_param("procedure.preparation_months", start)) - start).days


def decision_days(start: dt.date) -> int:
    return int_param("procedure.registration_decision_days", start)


REFUSE = "请选择不予登记的法定事由"
PROCEDURE_TRANSITIONS: tuple[Transition, ...] = (
    Transition("accept", "受理", S.SUBMITTED, None, REGISTER, (D,), targets=(S.PREP_REVIEW, S.REVIEW), documents=ACCEPT_DOCUMENTS),
    Transition("approve_prep", "准予筹备", S.PREP_REVIEW, S.PREPARING, REGISTER, (D,)),
    Transition("submit_registration", "提交成立登记", S.PREPARING, S.REVIEW, REGISTER, (D,), documents=REGISTRATION_DOCUMENTS),
    Transition("approve", "准予登记", S.REVIEW, S.APPROVED, REGISTER, (D,)),
    *(Transition("refuse", "不予登记", source, S.REFUSED, REGISTER, (D,), reason_required="请填写不予登记的理由")
      for source in (S.SUBMITTED, S.PREP_REVIEW, S.REVIEW)),
)  # fmt: skip


def _procedure_url(case) -> str:
    return reverse("sociorgs:procedure-detail", args=[case.pk])


def procedure_documents(case):
    return case.documents.values_list("kind", flat=True)


PROCEDURE_WORKFLOW = Workflow(
    name="sociorgs.procedure",  # stable: the history is keyed by it — never rename
    label="社会组织登记",
    noun="登记申请",
    model="sociorgs.Procedure",
    states=(
        State(S.SUBMITTED, S.SUBMITTED.label),
        State(S.PREP_REVIEW, S.PREP_REVIEW.label, limit=TimeLimit(prep_days, unit=CALENDAR, overseer_levels=(D,), label="筹备审查期限")),
        State(S.PREPARING, S.PREPARING.label, limit=TimeLimit(preparation_days, unit=CALENDAR, label="筹备期限")),
        State(S.REVIEW, S.REVIEW.label, limit=TimeLimit(decision_days, unit=CALENDAR, overseer_levels=(D,), label="登记审查期限")),
        State(S.APPROVED, S.APPROVED.label, terminal=True),
        State(S.REFUSED, S.REFUSED.label, terminal=True),
    ),
    transitions=PROCEDURE_TRANSITIONS,
    attached_documents=procedure_documents,
    audit_type="sociorgs.procedure",
    describe=lambda case: f"{case.get_kind_display()} {case.number}（{case.applicant}）",
    url=_procedure_url,
)


def penalty_days(start: dt.date) -> int:
    return int_param("supervision.penalty_case_days", start)


P = PenaltyStatus
PENALTY_TRANSITIONS: tuple[Transition, ...] = (
    Transition("investigate", "调查取证", P.FILED, P.INVESTIGATING, SUPERVISE, (D,)),
    Transition("notify", "告知", P.INVESTIGATING, P.NOTIFIED, SUPERVISE, (D,)),
    Transition("decide", "作出决定", P.NOTIFIED, P.DECIDED, SUPERVISE, (D,)),
    Transition("execute", "执行完毕", P.DECIDED, P.EXECUTED, SUPERVISE, (D,), runs_on_clock=False),
    *(Transition("drop", "撤销立案", source, P.DROPPED, SUPERVISE, (D,), reason_required="请填写撤销立案的理由", task=False)
      for source in (P.FILED, P.INVESTIGATING)),
)  # fmt: skip

PENALTY_WORKFLOW = Workflow(
    name="sociorgs.penalty",
    label="社会组织行政执法",
    noun="执法案件",
    model="sociorgs.PenaltyCase",
    states=(
        State(P.FILED, P.FILED.label, timed=True),
        State(P.INVESTIGATING, P.INVESTIGATING.label, timed=True),
        State(P.NOTIFIED, P.NOTIFIED.label, timed=True),
        State(P.DECIDED, P.DECIDED.label),
        State(P.EXECUTED, P.EXECUTED.label, terminal=True),
        State(P.DROPPED, P.DROPPED.label, terminal=True),
    ),
    transitions=PENALTY_TRANSITIONS,
    time_limit=TimeLimit(penalty_days, unit=CALENDAR, overseer_levels=(D,), label="案件办理期限"),
    start_field="filed_on",
    audit_type="sociorgs.penalty",
    describe=lambda case: f"{case.get_kind_display()} {case.number}（{case.subject_name}）",
    url=lambda case: reverse("sociorgs:penalty-detail", args=[case.pk]),
)
