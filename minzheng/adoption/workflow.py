"""The adoption registration workflow (收养登记), declared with the case kit.

申请 (district registrar, the papers checked in) → 受理 → [寻亲公告, a child whose birth parents
cannot be found: ≥60 days, not counted in the review] → 收养评估 (not for a step-parent) →
登记审查 (30 days from the complete file) → 准予登记 (收养登记证) | 不予登记 (决定书); later
解除收养登记.

Every step is the district bureau's (民法典 第1105条: 县级以上人民政府民政部门). Limits are
step limits, read from the dated parameters (params.py), in calendar days (service-lines §0):
- 登记审查: ``procedure.review_days`` from entering 登记审查 — 退回补正 is refused once it has
  passed (the file can no longer be sent back: the registrar decides); 登记 / 不予登记 stay open
  (a late decision is still due) and the case is shown 超期 on the workbench;
- 收养评估: ``procedure.assessment_days`` (provisional) — shown on the workbench, not refused.
"""

from __future__ import annotations

from django.urls import reverse

from minzheng.adoption.enums import DocumentKind as K
from minzheng.adoption.enums import Kind, Status
from minzheng.adoption.params import value
from minzheng.adoption.permissions import AdoptionPerm as P
from minzheng.cases.levels import Level
from minzheng.cases.workflow import (
    CALENDAR,
    DocumentRequirement,
    State,
    TimeLimit,
    Transition,
    Workflow,
)
from minzheng.core import clock
from minzheng.core.ages import age_on

D = Level.DISTRICT
S = Status


def _needs_consent(case) -> bool:
    return age_on(case.child.birth_date, clock.today()) >= value("child.consent_age")


def _not_step(case) -> bool:
    return case.kind != Kind.STEPCHILD


# The papers of 《中国公民收养子女登记办法》 (service-lines §2), checked in before 受理.
ACCEPT_DOCUMENTS = (
    DocumentRequirement(K.APPLICATION, K.APPLICATION.label),
    DocumentRequirement(K.ADOPTER_ID, K.ADOPTER_ID.label),
    DocumentRequirement(K.MARITAL, K.MARITAL.label),
    DocumentRequirement(K.HEALTH, K.HEALTH.label, when=_not_step),
    DocumentRequirement(K.NO_CRIME, K.NO_CRIME.label, when=_not_step),
    DocumentRequirement(K.PLACER, K.PLACER.label),
    DocumentRequirement(K.AGREEMENT, K.AGREEMENT.label, when=_not_step),
    DocumentRequirement(K.STEP_CONSENT, K.STEP_CONSENT.label, when=lambda c: c.kind == Kind.STEPCHILD),
    DocumentRequirement(K.ORPHAN_PROOF, K.ORPHAN_PROOF.label, when=lambda c: c.kind == Kind.ORPHAN),
    DocumentRequirement(K.FOUNDLING_REPORT, K.FOUNDLING_REPORT.label, when=lambda c: c.kind == Kind.FOUNDLING),
    DocumentRequirement(K.CHILD_CONSENT, K.CHILD_CONSENT.label, when=_needs_consent),
)
DISSOLVE_DOCUMENTS = (DocumentRequirement(K.DISSOLUTION, K.DISSOLUTION.label),)

REVIEW_LIMIT = TimeLimit(lambda start: value("procedure.review_days", start), unit=CALENDAR, label="登记审查期限")
ASSESSMENT_LIMIT = TimeLimit(lambda start: value("procedure.assessment_days", start), unit=CALENDAR, label="评估报告期限")

# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    # action          label           source        target        permission            levels
    Transition("accept",       "受理",         S.APPLIED,    None,         P.REGISTER_ADOPTION, (D,), targets=(S.NOTICE, S.ASSESSMENT, S.REVIEW), documents=ACCEPT_DOCUMENTS),
    Transition("close_notice", "公告期满",     S.NOTICE,     S.ASSESSMENT, P.REGISTER_ADOPTION, (D,)),
    Transition("assess",       "收养评估",     S.ASSESSMENT, S.REVIEW,     P.REGISTER_ADOPTION, (D,), runs_on_clock=False),
    Transition("register",     "准予登记",     S.REVIEW,     S.REGISTERED, P.REGISTER_ADOPTION, (D,), runs_on_clock=False),
    Transition("refuse",       "不予登记",     S.REVIEW,     S.REFUSED,    P.REGISTER_ADOPTION, (D,), runs_on_clock=False),
    Transition("return",       "退回补正",     S.REVIEW,     S.APPLIED,    P.REGISTER_ADOPTION, (D,), reason_required="请填写需补正的材料或事项", task=False),
    Transition("dissolve",     "解除收养登记", S.REGISTERED, S.DISSOLVED,  P.REGISTER_ADOPTION, (D,), reason_required="请填写解除收养关系的情况", task=False, documents=DISSOLVE_DOCUMENTS),
)
# fmt: on

def _url(adoption) -> str:
    return reverse("adoption:detail", args=[adoption.pk])


ADOPTION = Workflow(
    name="adoption.case",  # stable: the history is keyed by it — never rename
    label="收养登记",
    noun="收养登记申请",
    model="adoption.Adoption",
    states=(
        State(S.APPLIED, S.APPLIED.label),
        State(S.NOTICE, S.NOTICE.label),
        State(S.ASSESSMENT, S.ASSESSMENT.label, limit=ASSESSMENT_LIMIT),
        State(S.REVIEW, S.REVIEW.label, limit=REVIEW_LIMIT),
        State(S.REGISTERED, S.REGISTERED.label),
        State(S.REFUSED, S.REFUSED.label, terminal=True),
        State(S.DISSOLVED, S.DISSOLVED.label, terminal=True),
    ),
    transitions=TRANSITIONS,
    audit_type="adoption",
    attached_documents=lambda case: case.documents.values_list("kind", flat=True),
    describe=lambda adoption: adoption.number,  # no personal name on the feed
    url=_url,
)
