"""A tiny line for the kit's own tests: 许可申请 (a made-up permit), on a test-only table.

待受理 → 审查 (on the 10-working-day clock, once extendable to 15) → 决定 (its own limit of 5
calendar days) → 准予 / 不予 (terminal; the decision picks). 受理 needs two documents; 退回
needs a reason; 决定 is taken at the level stored on the case (CaseField).
"""

from __future__ import annotations

from django.db import models

from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.levels import Level
from minzheng.cases.models import CaseModel
from minzheng.cases.workflow import CALENDAR, CaseField, DocumentRequirement, State, TimeLimit, Transition, Workflow

V, T, D = Level.VILLAGE, Level.TOWN, Level.DISTRICT


class Permit(CaseModel):
    number = models.CharField(max_length=20)
    division_code = models.CharField(max_length=12)
    decide_level = models.CharField(max_length=10, default=D)
    documents = models.JSONField(default=list)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        app_label = "cases"
        managed = False  # created by the tests' fixture, never by a migration


DOCS = (DocumentRequirement("application_form", "申请书"), DocumentRequirement("identity", "身份证明"))

PERMIT = Workflow(
    name="tests.permit",
    label="许可申请（测试）",
    noun="许可申请",
    model="cases.Permit",
    states=(
        State("submitted", "待受理"),
        State("checking", "审查", timed=True),
        State("deciding", "决定", timed=True, limit=TimeLimit(5, unit=CALENDAR, label="决定时限")),
        State("granted", "准予", terminal=True),
        State("refused", "不予", terminal=True),
    ),
    transitions=(
        Transition("accept", "受理", "submitted", "checking", Perm.ACCEPT_APPLICATION, (T, D),
                   runs_on_clock=False, starts_clock=True, documents=DOCS),
        Transition("check", "审查", "checking", "deciding", Perm.INVESTIGATE, (V, T)),
        Transition("decide", "决定", "deciding", None, Perm.APPROVE_APPLICATION, CaseField("decide_level"),
                   targets=("granted", "refused")),
        Transition("return", "退回", "checking", "submitted", Perm.INVESTIGATE, (V, T),
                   reason_required="请填写退回理由", task=False),
        Transition("extend", "延期", "checking", "checking", Perm.REVIEW_APPLICATION, (T, D),
                   runs_on_clock=False, extends_limit=True, reason_required="请填写延期理由", task=False),
    ),
    time_limit=TimeLimit(10, extended_days=15, overseer_levels=(D,)),
    attached_documents=lambda permit: permit.documents,
    describe=lambda permit: permit.number,
    url=lambda permit: f"/permits/{permit.pk}/",
)
