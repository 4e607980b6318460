"""The purchased-service project (``socialwork.project``), declared with the case kit
(docs/cases.md): 招标中 → 已签约 (承接机构) → 服务中 → 已中期评估 (得分) → 已终期评估 (得分).
The buyer takes every step: the town for its own projects, the district for the district's
(and, as overseer, for any). Payments are not steps: they are proposed and checked by two
users (actions.do_propose_payment / do_approve_payment)."""

from __future__ import annotations

from django.urls import reverse

from minzheng.cases.levels import Level
from minzheng.cases.workflow import State, Transition, Workflow
from minzheng.socialwork.enums import ProjectStatus
from minzheng.socialwork.permissions import SocialworkPerm

S = ProjectStatus
T, D = Level.TOWN, Level.DISTRICT
MANAGE = SocialworkPerm.MANAGE_SOCIAL_WORK

TRANSITIONS: tuple[Transition, ...] = (
    Transition("contract", "签约", S.TENDER, S.CONTRACTED, MANAGE, (T, D)),
    Transition("start", "开始服务", S.CONTRACTED, S.IN_SERVICE, MANAGE, (T, D)),
    Transition("midterm", "中期评估", S.IN_SERVICE, S.MIDTERM, MANAGE, (T, D)),
    Transition("final", "终期评估", S.MIDTERM, S.CLOSED, MANAGE, (T, D)),
)

PROJECT_WORKFLOW = Workflow(
    name="socialwork.project",  # stable: the history is keyed by it — never rename
    label="购买社会工作服务",
    noun="购买服务项目",
    model="socialwork.Project",
    states=tuple(State(s, s.label, terminal=(s == S.CLOSED)) for s in S),
    transitions=TRANSITIONS,
    audit_type="socialwork.project",
    describe=lambda p: f"购买服务项目 {p.number} {p.title}",
    url=lambda p: reverse("socialwork:project-detail", args=[p.pk]),
)
