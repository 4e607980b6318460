"""The lottery line's case workflow, declared with the case kit (docs/cases.md).

``lottery.inspection`` — an outlet inspection with findings: 整改中 until the district closes it
(整改销号). The rectification deadline is the inspector's (``deadline_on``, set when the
inspection is recorded): no rule found fixes its length (service-lines.md §9), so no TimeLimit
is declared; the workbench's task feed orders open inspections by that deadline.
"""

from __future__ import annotations

from django.urls import reverse

from minzheng.cases.levels import Level
from minzheng.cases.workflow import State, Transition, Workflow
from minzheng.lottery.enums import InspectionStatus
from minzheng.lottery.permissions import LotteryPerm

I = InspectionStatus
D = Level.DISTRICT

INSPECTION_TRANSITIONS: tuple[Transition, ...] = (
    Transition("close", "整改销号", I.RECTIFYING, I.CLOSED, LotteryPerm.MANAGE_LOTTERY, (D,)),
)

INSPECTION_WORKFLOW = Workflow(
    name="lottery.inspection",  # stable: the history is keyed by it — never rename
    label="福彩投注站检查整改",
    noun="检查记录",
    model="lottery.OutletInspection",
    states=(
        State(I.PASSED, I.PASSED.label, terminal=True),
        State(I.RECTIFYING, I.RECTIFYING.label),
        State(I.CLOSED, I.CLOSED.label, terminal=True),
    ),
    transitions=INSPECTION_TRANSITIONS,
    audit_type="lottery.inspection",
    describe=lambda inspection: f"投注站检查记录 {inspection.pk}",
    url=lambda inspection: reverse("lottery:outlet-detail", args=[inspection.outlet_id]),
)
