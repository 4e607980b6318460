"""The kit's tables and the abstract fields of every case.

- ``CaseModel``: the fields the workflow kit reads and writes on a line's case model (status,
  version, the step's start, the time limit). A line's model inherits it and narrows
  ``status`` with its own choices; it may drop a field it does not use by setting it to None
  (assistance keeps its clock start in ``accepted_on``).
- ``CaseEvent``: ONE history table for every line, keyed by (workflow name, case id).
  Not a GenericForeignKey: the workflow name is the line's stable public name (it survives a
  model rename and reads plainly in SQL and exports), a case's history is only ever read by
  (workflow, case id), and the row carries its own division code so it is scoped like every
  other row without a join.
- ``CalendarDay``: the exceptions of the shared working-day calendar.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from minzheng.accounts.scoping import ScopedQuerySet
from minzheng.cases.registry import find_workflow


class CaseModel(models.Model):
    """Abstract: the state of a case as the workflow kit keeps it. Written only by
    ``cases.actions.do_transition`` (and ``update_case`` for in-state changes)."""

    status = models.CharField("状态", max_length=24)
    version = models.PositiveIntegerField("版本", default=1)
    step_started_on = models.DateField("本环节开始日期", null=True, blank=True)
    # The case-wide time limit (Workflow.time_limit): started by a transition with
    # starts_clock=True, running while the case is in a state with timed=True.
    clock_started_on = models.DateField("时限起算日期", null=True, blank=True)
    deadline_on = models.DateField("办理时限", null=True, blank=True)
    deadline_extended = models.BooleanField("已延期", default=False)
    # A step's own limit (State.limit), counted from entering the step.
    step_deadline_on = models.DateField("本环节时限", null=True, blank=True)

    class Meta:
        abstract = True


class CaseEventQuerySet(ScopedQuerySet):
    def for_case(self, workflow, case) -> CaseEventQuerySet:
        name = workflow if isinstance(workflow, str) else workflow.name
        case_id = case if isinstance(case, int) else case.pk
        return self.filter(workflow=name, case_id=case_id)


class CaseEvent(models.Model):
    """What happened to a case: who (and their name as staff know it — never empty), when,
    from which state to which, by which action, and why. The audit log has the same facts
    for the whole platform; this is the case's own readable history."""

    workflow = models.CharField("业务流程", max_length=60)
    case_id = models.BigIntegerField("案件编号")
    division_code = models.CharField("区划代码", max_length=12)
    action = models.CharField("操作", max_length=32)
    label = models.CharField("操作名称", max_length=40)
    from_status = models.CharField("原状态", max_length=24, blank=True)
    to_status = models.CharField("新状态", max_length=24, blank=True)
    reason = models.TextField("理由/意见", blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="操作人"
    )
    actor_name = models.CharField("操作人姓名", max_length=150)
    occurred_at = models.DateTimeField("时间", default=timezone.now)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = "办理记录"
        ordering = ["id"]
        indexes = [models.Index(fields=["workflow", "case_id", "id"], name="caseevent_case_idx")]
        constraints = [models.CheckConstraint(condition=~models.Q(actor_name=""), name="caseevent_actor_name_set")]

    def __str__(self) -> str:
        return f"{self.workflow}#{self.case_id} {self.label}"

    def _state_label(self, code: str) -> str:
        if not code:
            return ""
        workflow = find_workflow(self.workflow)
        return workflow.state_label(code) if workflow is not None else code

    @property
    def from_label(self) -> str:
        return self._state_label(self.from_status)

    @property
    def to_label(self) -> str:
        return self._state_label(self.to_status)

    @property
    def changed_state(self) -> bool:
        return bool(self.to_status) and self.from_status != self.to_status


class CorrectionRequest(models.Model):
    """补正: what the staff handling a case ask the applicant to hand in or explain (一次性告知),
    and the applicant's answer — online from the citizens' site or recorded at the counter.
    Keyed like CaseEvent by (workflow, case id); at most one is open per case. The request
    itself is also a history row (the line's in-state transition ``request_correction``)."""

    workflow = models.CharField("业务流程", max_length=60)
    case_id = models.BigIntegerField("案件编号")
    division_code = models.CharField("区划代码", max_length=12)
    items = models.TextField("需补正的材料或事项")
    requested_at = models.DateTimeField("告知时间")
    requested_by_name = models.CharField("告知人", max_length=150)
    answered_at = models.DateTimeField("补正时间", null=True, blank=True)
    answer = models.TextField("补正说明", blank=True)
    answered_by_name = models.CharField("补正人", max_length=150, blank=True)
    answered_online = models.BooleanField("网上补正", default=False)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "补正告知"
        ordering = ["id"]
        indexes = [models.Index(fields=["workflow", "case_id", "id"], name="correction_case_idx")]
        constraints = [
            # One open request a case: a second one would leave the family unsure which to answer.
            models.UniqueConstraint(
                fields=["workflow", "case_id"], condition=models.Q(answered_at__isnull=True), name="correction_one_open_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.workflow}#{self.case_id} 补正"


class CalendarDay(models.Model):
    """An exception to the Monday–Friday working week: a public holiday on a weekday
    (is_workday=False) or a weekend working day (调休上班, is_workday=True)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日", default=False)
    name = models.CharField("名称", max_length=40, blank=True)

    class Meta:
        verbose_name = "工作日历调整"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"
