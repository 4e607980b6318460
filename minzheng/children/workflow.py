"""The recognition workflow of 孤儿, 事实无人抚养儿童 and 困境儿童, declared with the case kit.

登记 (village: an application or a child found on a visit) → 乡镇审核 → [公示] → 区级认定
(认定 / 不予认定) → 已认定 → 终止 (18, adoption, a parent's return, death, …).

- 乡镇审核 (the town): agrees — on to 公示 where the category publicises (params.py), else to
  区级认定 — or refuses with reasons;
- 区级认定 (the district bureau): recognises — the rules engine's verdict stored on the
  decision, the registry's child status set, the allowance enrolled in assistance's program —
  or refuses with reasons; or returns to the village with a reason;
- 终止: not forward work (task=False): a recognised child is on nobody's list.

No time limit: none found for these categories (docs/children.md §1).
"""

from __future__ import annotations

from django.urls import reverse

import datetime as dt
from dataclasses import dataclass

from minzheng.cases.calendar import WorkCalendar
from minzheng.cases.levels import Level
from minzheng.cases.workflow import CALENDAR, DocumentRequirement, State, TimeLimit, Transition, Workflow
from minzheng.children import params
from minzheng.children.enums import OPEN_STATUSES, Category, DocumentKind, ProtectionStatus, Status
from minzheng.children.permissions import ChildrenPerm as P

V, T, D = Level.VILLAGE, Level.TOWN, Level.DISTRICT
S = Status

# The papers the town checks before its review (service-lines §3, policy-facts §5.2).
REVIEW_DOCUMENTS = (
    DocumentRequirement(DocumentKind.IDENTITY, DocumentKind.IDENTITY.label),
    DocumentRequirement(DocumentKind.PARENTS_DEATH, DocumentKind.PARENTS_DEATH.label,
                        when=lambda r: r.category == Category.ORPHAN),
    DocumentRequirement(DocumentKind.PARENTS_SITUATION, DocumentKind.PARENTS_SITUATION.label,
                        when=lambda r: r.category == Category.DE_FACTO_UNSUPPORTED),
)

# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    # action            label         source        target       permission              levels
    Transition("review",          "乡镇审核",   S.SUBMITTED,  None,        P.REVIEW_RECOGNITION,  (T,), targets=(S.PUBLICITY, S.DECISION, S.REFUSED),
               documents=REVIEW_DOCUMENTS),
    Transition("close_publicity", "公示期满",   S.PUBLICITY,  S.DECISION,  P.REVIEW_RECOGNITION,  (T,)),
    Transition("decide",          "区级认定",   S.DECISION,   None,        P.DECIDE_RECOGNITION,  (D,), targets=(S.RECOGNISED, S.REFUSED)),
    Transition("return",          "退回",       S.PUBLICITY,  S.SUBMITTED, P.REVIEW_RECOGNITION,  (T,), reason_required="请填写退回理由", task=False),
    Transition("return",          "退回",       S.DECISION,   S.SUBMITTED, P.DECIDE_RECOGNITION,  (D,), reason_required="请填写退回理由", task=False),
    Transition("end",             "终止保障",   S.RECOGNISED, S.ENDED,     P.REVIEW_RECOGNITION,  (T, D), task=False),
)
# fmt: on

STEPS = (S.SUBMITTED, S.PUBLICITY, S.DECISION, S.RECOGNISED)


def _url(recognition) -> str:
    return reverse("children:recognition-detail", args=[recognition.pk])


RECOGNITION = Workflow(
    name="children.recognition",
    label="困境儿童认定",
    noun="认定申请",
    model="children.Recognition",
    states=(
        *(State(s, Status(s).label) for s in (*OPEN_STATUSES, S.RECOGNISED)),
        State(S.REFUSED, S.REFUSED.label, terminal=True),
        State(S.ENDED, S.ENDED.label, terminal=True),
    ),
    transitions=TRANSITIONS,
    audit_type="child_recognition",
    attached_documents=lambda recognition: recognition.documents,
    describe=lambda recognition: f"{recognition.number}（网上申请）" if recognition.channel == "online" else recognition.number,
    # Who is told each step by SMS (citizen.notify): the guardian (who applies online).
    applicant_of=lambda recognition: recognition.guardian_id,
    url=_url,
)


# ----------------------------------------------------------------------------------------------
# Minors' protection cases
# ----------------------------------------------------------------------------------------------

PS = ProtectionStatus


@dataclass(frozen=True)
class ParameterLimit(TimeLimit):
    """A step limit read from the line's dated parameters (params.protection_deadline): where
    no value is set for the day the step starts, no deadline runs (``deadline`` is None and
    the kit stores no ``step_deadline_on``)."""

    def deadline(self, start: dt.date, calendar: WorkCalendar) -> dt.date | None:  # type: ignore[override]
        days = self.length(start)
        return None if days is None else self.add(start, days, calendar)


def _step_limit(step: str, label: str) -> ParameterLimit:
    # Past the deadline only the district acts on the step (督办); the town sees the case as
    # 超期 on its workbench and the district takes it over.
    return ParameterLimit(lambda on, step=step: params.protection_days(step, on), unit=CALENDAR,
                          overseer_levels=(D,), label=label)


PROTECTION_LIMITS = {
    PS.REPORTED: _step_limit("reported", "受理处置时限"),
    PS.ASSESSING: _step_limit("assessing", "调查评估时限"),
    PS.FOLLOW_UP: _step_limit("follow_up", "回访时限"),
}

# fmt: off
PROTECTION_TRANSITIONS: tuple[Transition, ...] = (
    Transition("accept",       "受理并紧急处置", PS.REPORTED,     PS.ASSESSING,    P.HANDLE_PROTECTION,   (T, D)),
    Transition("assess",       "调查评估",       PS.ASSESSING,    PS.INTERVENTION, P.HANDLE_PROTECTION,   (T, D)),
    Transition("intervene",    "干预处置",       PS.INTERVENTION, PS.FOLLOW_UP,    P.HANDLE_PROTECTION,   (T, D)),
    Transition("guardianship", "国家监护决定",   PS.INTERVENTION, PS.FOLLOW_UP,    P.DECIDE_GUARDIANSHIP, (D,)),
    Transition("guardianship", "国家监护决定",   PS.FOLLOW_UP,    PS.FOLLOW_UP,    P.DECIDE_GUARDIANSHIP, (D,), task=False),
    Transition("close",        "结案",           PS.FOLLOW_UP,    PS.CLOSED,       P.HANDLE_PROTECTION,   (T, D)),
    Transition("close",        "结案",           PS.ASSESSING,    PS.CLOSED,       P.HANDLE_PROTECTION,   (T, D), task=False),
)
# fmt: on


def _protection_url(case) -> str:
    return reverse("children:protection-detail", args=[case.pk])


PROTECTION = Workflow(
    name="children.protection",
    label="未成年人保护",
    noun="案件",
    model="children.ProtectionCase",
    states=(
        *(State(s, ProtectionStatus(s).label, limit=PROTECTION_LIMITS.get(s))
          for s in (PS.REPORTED, PS.ASSESSING, PS.INTERVENTION, PS.FOLLOW_UP)),
        State(PS.CLOSED, PS.CLOSED.label, terminal=True),
    ),
    transitions=PROTECTION_TRANSITIONS,
    audit_type="protection_case",
    describe=lambda case: case.number,
    url=_protection_url,
)
