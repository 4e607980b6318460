"""The funeral line's case workflows, declared with the case kit (docs/cases.md).

``funerals.record`` — one death: 报丧 → 接运 → 火化 (or 土葬 where burial is allowed) →
骨灰寄存 → 安葬. The funeral home works as district staff; the village reports a death, records a
burial and the interment in its villages; the town and the district take every step.

``funerals.inspection`` — a facility inspection's findings with a rectification deadline
(the kit's TimeLimit, calendar days from the parameter ``inspection.rectification_days``).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from minzheng.cases.levels import Level
from minzheng.cases.workflow import CALENDAR, State, TimeLimit, Transition, Workflow
from minzheng.funerals.enums import InspectionStatus, RecordStatus
from minzheng.funerals.params import param
from minzheng.funerals.permissions import FuneralPerm

S = RecordStatus
V, T, D = Level.VILLAGE, Level.TOWN, Level.DISTRICT
MANAGE = FuneralPerm.MANAGE_FUNERALS
ANY_LEVEL = (V, T, D)
# 接运 and 火化 are the funeral home's (district) or the town's steps; the village does not
# transport or cremate.
HOME = (T, D)

RECORD_TRANSITIONS: tuple[Transition, ...] = (
    Transition("transport", "接运", S.NOTIFIED, S.TRANSPORTED, MANAGE, HOME),
    Transition("cremate", "火化", S.TRANSPORTED, S.CREMATED, MANAGE, HOME),
    Transition("bury", "土葬", S.TRANSPORTED, S.BURIED, MANAGE, ANY_LEVEL),
    Transition("store_ashes", "骨灰寄存", S.CREMATED, S.ASHES_STORED, MANAGE, HOME),
    *(Transition("inter", "安葬", source, S.INTERRED, MANAGE, ANY_LEVEL) for source in (S.CREMATED, S.ASHES_STORED)),
)


def _describe(record) -> str:
    return f"殡葬服务记录 {record.number}"


def _record_url(record) -> str:
    return reverse("funerals:record-detail", args=[record.pk])


RECORD_WORKFLOW = Workflow(
    name="funerals.record",  # stable: the history is keyed by it — never rename
    label="殡葬服务",
    noun="殡葬服务记录",
    model="funerals.FuneralRecord",
    states=(
        State(S.NOTIFIED, S.NOTIFIED.label),
        State(S.TRANSPORTED, S.TRANSPORTED.label),
        State(S.CREMATED, S.CREMATED.label),
        State(S.ASHES_STORED, S.ASHES_STORED.label),
        State(S.BURIED, S.BURIED.label, terminal=True),
        State(S.INTERRED, S.INTERRED.label, terminal=True),
    ),
    transitions=RECORD_TRANSITIONS,
    audit_type="funerals.record",
    describe=_describe,
    url=_record_url,
)


def rectification_days(start: dt.date) -> int:
    return int(param("inspection.rectification_days", start).value)


I = InspectionStatus
INSPECTION_TRANSITIONS: tuple[Transition, ...] = (
    Transition("close", "整改销号", I.RECTIFYING, I.CLOSED, FuneralPerm.MANAGE_FUNERAL_FACILITIES, (T, D)),
)

INSPECTION_WORKFLOW = Workflow(
    name="funerals.inspection",
    label="殡葬设施检查整改",
    noun="检查记录",
    model="funerals.Inspection",
    states=(
        State(I.RECTIFYING, I.RECTIFYING.label, timed=True),
        State(I.CLOSED, I.CLOSED.label, terminal=True),
    ),
    transitions=INSPECTION_TRANSITIONS,
    time_limit=TimeLimit(rectification_days, unit=CALENDAR, overseer_levels=(D,), label="整改期限"),
    start_field="inspected_on",
    audit_type="funerals.inspection",
    describe=lambda inspection: f"检查记录 {inspection.pk}",
    url=lambda inspection: reverse("funerals:facility-detail", args=[inspection.facility_id]),
)
