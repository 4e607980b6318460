"""The line's procedures, declared with the case kit (docs/cases.md).

``placenames.naming`` — 命名（更名）: 已申请 → 专家论证 → 社会公示 → 已批准 → 已公告 (the standard name
enters the register; a renamed place's old name is kept as a 历史地名), or 不予批准. Each step
needs its document (专家论证意见, 公示材料, 批复文件, 公告). The town applies; the district
(区民政局, for the district government) takes the steps.

``placenames.division_change`` — 区划变更: 已申报 → 已批准 (批准文号) → 已登记生效 (the dated change of
the division tree, through ``divisions.actions.do_change_division``, by whoever keeps the
divisions: the system administrator), or 未获批准.
"""

from __future__ import annotations

from django.urls import reverse

from minzheng.cases.levels import Level
from minzheng.cases.workflow import DocumentRequirement, State, Transition, Workflow
from minzheng.divisions.permissions import DivisionPerm
from minzheng.placenames.enums import ChangeStatus, DocumentKind, NamingStatus
from minzheng.placenames.permissions import PlaceNamePerm

N = NamingStatus
D = Level.DISTRICT
APPROVE = PlaceNamePerm.APPROVE_PLACENAMES


def _doc(kind: DocumentKind) -> tuple[DocumentRequirement, ...]:
    return (DocumentRequirement(kind.value, kind.label),)


NAMING_TRANSITIONS: tuple[Transition, ...] = (
    Transition("review", "专家论证", N.APPLIED, N.REVIEWED, APPROVE, (D,), documents=_doc(DocumentKind.EXPERT_OPINION)),
    Transition("notice", "社会公示", N.REVIEWED, N.NOTICED, APPROVE, (D,), documents=_doc(DocumentKind.NOTICE)),
    Transition("approve", "批准", N.NOTICED, N.APPROVED, APPROVE, (D,), documents=_doc(DocumentKind.APPROVAL)),
    Transition("announce", "公告", N.APPROVED, N.ANNOUNCED, APPROVE, (D,), documents=_doc(DocumentKind.ANNOUNCEMENT)),
    *(
        Transition("refuse", "不予批准", source, N.REFUSED, APPROVE, (D,), reason_required="请填写不予批准的理由", task=False)
        for source in (N.APPLIED, N.REVIEWED, N.NOTICED)
    ),
)


def _attached(case) -> list[str]:
    return list(case.documents.values_list("kind", flat=True))


NAMING_WORKFLOW = Workflow(
    name="placenames.naming",  # stable: the history is keyed by it — never rename
    label="地名命名更名",
    noun="命名更名申请",
    model="placenames.NamingCase",
    states=(
        State(N.APPLIED, N.APPLIED.label),
        State(N.REVIEWED, N.REVIEWED.label),
        State(N.NOTICED, N.NOTICED.label),
        State(N.APPROVED, N.APPROVED.label),
        State(N.ANNOUNCED, N.ANNOUNCED.label, terminal=True),
        State(N.REFUSED, N.REFUSED.label, terminal=True),
    ),
    transitions=NAMING_TRANSITIONS,
    audit_type="placenames.naming",
    attached_documents=_attached,
    describe=lambda case: f"地名命名更名 {case.pk}（{case.proposed_name}）",
    url=lambda case: reverse("placenames:case-detail", args=[case.pk]),
)

C = ChangeStatus
CHANGE_TRANSITIONS: tuple[Transition, ...] = (
    Transition("approve", "批准", C.APPLIED, C.APPROVED, APPROVE, (D,)),
    Transition("record", "登记生效", C.APPROVED, C.RECORDED, DivisionPerm.MANAGE_DIVISIONS, (D,)),
    Transition("refuse", "未获批准", C.APPLIED, C.REFUSED, APPROVE, (D,), reason_required="请填写理由", task=False),
)

CHANGE_WORKFLOW = Workflow(
    name="placenames.division_change",  # stable
    label="行政区划变更",
    noun="区划变更",
    model="placenames.DivisionChange",
    states=(
        State(C.APPLIED, C.APPLIED.label),
        State(C.APPROVED, C.APPROVED.label),
        State(C.RECORDED, C.RECORDED.label, terminal=True),
        State(C.REFUSED, C.REFUSED.label, terminal=True),
    ),
    transitions=CHANGE_TRANSITIONS,
    audit_type="placenames.division_change",
    describe=lambda change: f"区划变更 {change.pk}（{change.new_name}）",
    url=lambda change: reverse("placenames:home"),
)
