"""The marriage registry's case workflows, declared with the case kit.

- 结婚登记 (``marriage.marriage``): 审查中 → 已登记 | 不予登记, in one visit (2025 规范).
- 协议离婚 (``marriage.divorce``): 申请 → 受理 | 不予受理; 冷静期 → 已撤回 (either party, until
  the cooling-off period's last day) | 待双方到场登记 (the daily sweep, once it is over);
  待双方到场登记 → 已登记离婚 | 不予登记 | 视为撤回 (the sweep, after the 30 days). The calendar's
  deadlines are on the workbench through ``task_source.py``: those steps are not kit tasks.
- 证件与更正 (``marriage.amendment``): 补领, 更正, 撤销 (冒名顶替) and a court's judgment recorded —
  审查中 → [已告知当事人, 撤销 only] → 已办结 | 不予办理.

Every step is the registry's (婚姻登记员, district level). No time limit is declared: the
domain rules set none for the registry's own steps.
"""

from __future__ import annotations

from django.urls import reverse

from minzheng.cases.levels import Level
from minzheng.cases.workflow import DocumentRequirement, State, Transition, Workflow
from minzheng.marriage.enums import AmendmentKind
from minzheng.marriage.enums import AmendmentStatus as A
from minzheng.marriage.enums import DivorceStatus as D
from minzheng.marriage.enums import DocumentKind as K
from minzheng.marriage.enums import MarriageStatus as M
from minzheng.marriage.permissions import MarriagePerm

P = MarriagePerm.REGISTER_MARRIAGE
DISTRICT = (Level.DISTRICT,)

# fmt: off
MARRIAGE_TRANSITIONS: tuple[Transition, ...] = (
    Transition("register", "准予登记", M.APPLIED, M.REGISTERED, P, DISTRICT),
    Transition("refuse",   "不予登记", M.APPLIED, M.REFUSED,    P, DISTRICT),
)

DIVORCE_TRANSITIONS: tuple[Transition, ...] = (
    Transition("accept",     "受理",           D.APPLIED,        D.ACCEPTED,       P, DISTRICT),
    Transition("not_accept", "不予受理",       D.APPLIED,        D.NOT_ACCEPTED,   P, DISTRICT, reason_required="请填写不予受理的理由"),
    Transition("withdraw",   "撤回离婚申请",   D.ACCEPTED,       D.WITHDRAWN,      P, DISTRICT, task=False),
    Transition("open_issue", "冷静期届满",     D.ACCEPTED,       D.AWAITING_ISSUE, P, DISTRICT, task=False),
    Transition("register",   "准予离婚登记",   D.AWAITING_ISSUE, D.ISSUED,         P, DISTRICT, task=False),
    Transition("refuse",     "不予登记",       D.AWAITING_ISSUE, D.REFUSED,        P, DISTRICT, task=False, reason_required="请填写不予登记的理由"),
    Transition("lapse",      "视为撤回",       D.AWAITING_ISSUE, D.LAPSED,         P, DISTRICT, task=False),
)


def _kind(*kinds):
    return lambda case: case.kind in kinds


DECIDE_DOCUMENTS = (
    DocumentRequirement(K.ID_CARD, K.ID_CARD.label, when=_kind(AmendmentKind.REISSUE, AmendmentKind.CORRECTION)),
    DocumentRequirement(K.ARCHIVE, K.ARCHIVE.label, when=_kind(AmendmentKind.REISSUE, AmendmentKind.CORRECTION)),
    DocumentRequirement(K.ERROR_PROOF, K.ERROR_PROOF.label, when=_kind(AmendmentKind.CORRECTION)),
    DocumentRequirement(K.COURT_ADVICE, K.COURT_ADVICE.label, when=lambda c: c.kind == AmendmentKind.CANCELLATION and c.basis == "court"),
    DocumentRequirement(K.PROCURATORATE_ADVICE, K.PROCURATORATE_ADVICE.label, when=lambda c: c.kind == AmendmentKind.CANCELLATION and c.basis == "procuratorate"),
    DocumentRequirement(K.POLICE_FINDING, K.POLICE_FINDING.label, when=lambda c: c.kind == AmendmentKind.CANCELLATION and c.basis == "police"),
    DocumentRequirement(K.JUDGMENT, K.JUDGMENT.label, when=_kind(AmendmentKind.JUDGMENT)),
)

AMENDMENT_TRANSITIONS: tuple[Transition, ...] = (
    Transition("notify", "告知当事人", A.APPLIED,  A.NOTIFIED, P, DISTRICT),
    Transition("decide", "办结",       A.APPLIED,  A.DONE,     P, DISTRICT, documents=DECIDE_DOCUMENTS),
    Transition("decide", "作出撤销决定", A.NOTIFIED, A.DONE,   P, DISTRICT, documents=DECIDE_DOCUMENTS),
    Transition("refuse", "不予办理",   A.APPLIED,  A.REFUSED,  P, DISTRICT, reason_required="请填写不予办理的理由"),
    Transition("refuse", "不予撤销",   A.NOTIFIED, A.REFUSED,  P, DISTRICT, reason_required="请填写不予撤销的理由"),
)
# fmt: on

MARRIAGE = Workflow(
    name="marriage.marriage",  # stable: the history is keyed by it — never rename
    label="结婚登记",
    noun="结婚登记申请",
    model="marriage.Marriage",
    states=(
        State(M.APPLIED, M.APPLIED.label),
        State(M.REGISTERED, M.REGISTERED.label, terminal=True),
        State(M.REFUSED, M.REFUSED.label, terminal=True),
    ),
    transitions=MARRIAGE_TRANSITIONS,
    audit_type="marriage",
    describe=lambda m: m.number,  # no personal name on the feed
    url=lambda m: reverse("marriage:marriage-detail", args=[m.pk]),
)

DIVORCE = Workflow(
    name="marriage.divorce",  # stable
    label="离婚登记",
    noun="离婚登记申请",
    model="marriage.Divorce",
    states=(
        State(D.APPLIED, D.APPLIED.label),
        State(D.NOT_ACCEPTED, D.NOT_ACCEPTED.label, terminal=True),
        State(D.ACCEPTED, D.ACCEPTED.label),
        State(D.WITHDRAWN, D.WITHDRAWN.label, terminal=True),
        State(D.AWAITING_ISSUE, D.AWAITING_ISSUE.label),
        State(D.ISSUED, D.ISSUED.label, terminal=True),
        State(D.REFUSED, D.REFUSED.label, terminal=True),
        State(D.LAPSED, D.LAPSED.label, terminal=True),
    ),
    transitions=DIVORCE_TRANSITIONS,
    audit_type="marriage.divorce",
    describe=lambda d: d.number,
    url=lambda d: reverse("marriage:divorce-detail", args=[d.pk]),
)

AMENDMENT = Workflow(
    name="marriage.amendment",  # stable
    label="婚姻登记证件与更正",
    noun="案件",
    model="marriage.Amendment",
    states=(
        State(A.APPLIED, A.APPLIED.label),
        State(A.NOTIFIED, A.NOTIFIED.label),
        State(A.DONE, A.DONE.label, terminal=True),
        State(A.REFUSED, A.REFUSED.label, terminal=True),
    ),
    transitions=AMENDMENT_TRANSITIONS,
    audit_type="marriage.amendment",
    attached_documents=lambda case: case.documents.values_list("kind", flat=True),
    describe=lambda a: a.number,
    url=lambda a: reverse("marriage:amendment-detail", args=[a.pk]),
)
