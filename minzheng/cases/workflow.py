"""A line's case workflow, declared in one place.

A service line writes ONE ``Workflow``: its states (Chinese labels, which are terminal, in
which the time limit runs), its transitions (action, label, source, target — or the targets an
action may choose —, permission, division level(s), whether the time limit applies, which
documents must be attached, whether a reason is required), and its time limit (working or
calendar days, a one-time extension, which level may still act once it has passed). Then:

- ``Workflow.check(actor, case, action)`` returns the transition or raises the Chinese
  refusal (wrong state, role, level, time limit passed, missing documents);
- ``Workflow.available(actor, case)`` lists the actions with the reason any is not possible;
- ``cases.actions.do_transition`` is the one writer of a case's status (atomic, audited,
  optimistically locked, one history row);
- ``cases.tasks.open_tasks_for(actor)`` is the workbench feed over every registered workflow.

Jurisdiction is not decided here: the case is always re-read through the scoping helpers
(accounts/scoping.py), so a case outside the actor's divisions is NotFound before any rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm, permissions_for_role
from minzheng.accounts.roles import Role
from minzheng.cases.calendar import WorkCalendar, work_calendar
from minzheng.cases.levels import level_names
from minzheng.core import clock
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.divisions.directory import get_directory

WORKING = "working"  # 工作日
CALENDAR = "calendar"  # 自然日

# A case whose deadline is at most this many working days away is "due soon" on the workbench.
DUE_SOON_WORKING_DAYS = 3


# ----------------------------------------------------------------------------------------------
# Refusals
# ----------------------------------------------------------------------------------------------


class WrongState(DomainError):
    code = "wrong_state"


class Stale(DomainError):
    """The loser of a race: somebody else changed the case since it was read."""

    code = "stale"

    def __init__(self, noun: str = "记录") -> None:
        super().__init__(f"该{noun}已被其他用户处理，请刷新后重试")


class TimeLimitPassed(DomainError):
    code = "time_limit_passed"


class MissingDocuments(DomainError):
    code = "missing_documents"

    def __init__(self, label: str, missing: Iterable[str]) -> None:
        self.missing = tuple(missing)
        super().__init__(f"办理“{label}”前须上传：{'、'.join(self.missing)}")


# ----------------------------------------------------------------------------------------------
# The declaration
# ----------------------------------------------------------------------------------------------

Days = int | Callable[[dt.date], int]  # a number, or read from the rules parameters on a date


@dataclass(frozen=True)
class TimeLimit:
    """How long a case (or a step) may take.

    ``days`` counts after the start day, in working days (the shared calendar: holidays and
    调休 working weekends) or calendar days. ``extended_days``: one extension allowed, to this
    length counted from the same start, and only before the limit has passed.
    ``overseer_levels``: the levels that may still act once the limit has passed (督办)."""

    days: Days
    unit: str = WORKING
    extended_days: Days | None = None
    overseer_levels: tuple[str, ...] = ()
    label: str = "办理时限"

    def __post_init__(self) -> None:
        if self.unit not in (WORKING, CALENDAR):
            raise ValueError(f"unit must be {WORKING!r} or {CALENDAR!r}")

    @staticmethod
    def _length(days: Days, on: dt.date) -> int:
        return days(on) if callable(days) else days

    def length(self, start: dt.date) -> int:
        return self._length(self.days, start)

    def extended_length(self, start: dt.date) -> int:
        if self.extended_days is None:
            raise ValueError("this time limit cannot be extended")
        return self._length(self.extended_days, start)

    def add(self, start: dt.date, n: int, calendar: WorkCalendar) -> dt.date:
        if self.unit == CALENDAR:
            return start + dt.timedelta(days=n)
        return calendar.add_working_days(start, n)

    def deadline(self, start: dt.date, calendar: WorkCalendar) -> dt.date:
        return self.add(start, self.length(start), calendar)

    def extended_deadline(self, start: dt.date, calendar: WorkCalendar) -> dt.date:
        return self.add(start, self.extended_length(start), calendar)

    @property
    def audit_key(self) -> str:
        return "working_days" if self.unit == WORKING else "calendar_days"


@dataclass(frozen=True)
class State:
    code: str
    label: str
    terminal: bool = False  # no transition leaves it; never on anyone's task list
    timed: bool = False  # the workflow-wide time limit runs while the case is here
    limit: TimeLimit | None = None  # this step's own limit, counted from entering it


@dataclass(frozen=True)
class DocumentRequirement:
    """A document that must be attached before the transition (``when``: only for some cases)."""

    kind: str
    label: str
    when: Callable[[Any], bool] | None = None

    def applies(self, case) -> bool:
        return self.when is None or bool(self.when(case))


@dataclass(frozen=True)
class CaseField:
    """The level is the value of a field of the case (assistance's 审核确认 level, set per
    program and, for 临时救助, per amount tier). Unlike a callable, the task feed can filter
    on it in the database."""

    name: str


Levels = tuple[str, ...] | CaseField | Callable[[Any], Iterable[str]]


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    source: str
    target: str | None  # None: the action decides, among `targets`
    perm: Perm
    levels: Levels
    targets: tuple[str, ...] = ()
    runs_on_clock: bool = True  # refused once the case's time limit has passed (but to overseers)
    starts_clock: bool = False  # starts the workflow-wide time limit
    extends_limit: bool = False  # the one-time extension of the workflow-wide limit
    reason_required: str = ""  # when set: the Chinese message if no reason is given
    documents: tuple[DocumentRequirement, ...] = ()
    task: bool = True  # forward work that puts a case on the actor's task list (not 退回/延期)

    def levels_for(self, case) -> tuple[str, ...]:
        if isinstance(self.levels, CaseField):
            return (getattr(case, self.levels.name),)
        if callable(self.levels):
            return tuple(self.levels(case))
        return tuple(self.levels)

    def possible_targets(self) -> tuple[str, ...]:
        return (self.target,) if self.target is not None else self.targets


@dataclass(frozen=True)
class Availability:
    """One action on the detail screen: allowed, or the Chinese reason it is not."""

    transition: Transition
    allowed: bool
    reason: str = ""

    @property
    def action(self) -> str:
        return self.transition.action

    @property
    def label(self) -> str:
        return self.transition.label


@dataclass(frozen=True, eq=False)
class Workflow:
    name: str  # stable public name, e.g. "assistance.application"; the history is keyed by it
    label: str  # 社会救助申请 — the line's name on the workbench
    noun: str  # 申请 — "该申请已被其他用户处理"、"申请当前处于…环节"
    model: str  # "app_label.Model", a subclass of cases.models.CaseModel
    states: tuple[State, ...]
    transitions: tuple[Transition, ...]
    time_limit: TimeLimit | None = None
    start_field: str = "clock_started_on"  # where the workflow-wide limit's start date is kept
    audit_type: str = ""  # object_type of the audit rows; default: the model name
    attached_documents: Callable[[Any], Iterable[str]] | None = None  # the kinds a case has
    describe: Callable[[Any], str] = str  # a case as staff name it (its number)
    url: Callable[[Any], str] | None = None  # where the workbench links a task
    # The registry person who applied (for notices to the family: the citizens' site), if any.
    applicant_of: Callable[[Any], int | None] | None = None
    due_soon_working_days: int = DUE_SOON_WORKING_DAYS
    _states: dict[str, State] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_code = {s.code: s for s in self.states}
        if len(by_code) != len(self.states):
            raise ValueError(f"{self.name}: a state is declared twice")
        object.__setattr__(self, "_states", by_code)
        seen: set[tuple[str, str]] = set()
        for t in self.transitions:
            key = (t.action, t.source)
            if key in seen:
                raise ValueError(f"{self.name}: {t.action} from {t.source} is declared twice")
            seen.add(key)
            if t.source not in by_code:
                raise ValueError(f"{self.name}: unknown source state {t.source!r} of {t.action}")
            if by_code[t.source].terminal:
                raise ValueError(f"{self.name}: {t.action} leaves the terminal state {t.source!r}")
            if t.target is None and not t.targets:
                raise ValueError(f"{self.name}: {t.action} decides its target but declares no targets")
            for target in t.possible_targets():
                if target not in by_code:
                    raise ValueError(f"{self.name}: unknown target state {target!r} of {t.action}")
            if (t.starts_clock or t.extends_limit) and self.time_limit is None:
                raise ValueError(f"{self.name}: {t.action} uses the time limit but the workflow has none")
            if t.extends_limit and self.time_limit.extended_days is None:  # type: ignore[union-attr]
                raise ValueError(f"{self.name}: {t.action} extends a limit that cannot be extended")
            if t.documents and self.attached_documents is None:
                raise ValueError(f"{self.name}: {t.action} requires documents but attached_documents is not declared")

    # --- the model ------------------------------------------------------------------------

    @property
    def model_class(self) -> type[models.Model]:
        return apps.get_model(self.model)

    @property
    def uses_step_limits(self) -> bool:
        return any(s.limit is not None for s in self.states)

    def validate_model(self) -> None:
        """Called at registration (AppConfig.ready): the model has the fields the kit writes."""
        names = {f.name for f in self.model_class._meta.get_fields()}
        needed = {"status", "version", "step_started_on", "division_code"}
        if self.time_limit is not None:
            needed |= {self.start_field, "deadline_on", "deadline_extended"}
        if self.uses_step_limits:
            needed.add("step_deadline_on")
        for t in self.transitions:
            if isinstance(t.levels, CaseField):
                needed.add(t.levels.name)
        missing = needed - names
        if missing:
            raise ValueError(f"{self.name}: {self.model} lacks the fields {sorted(missing)}")

    @property
    def object_type(self) -> str:
        return self.audit_type or self.model.rsplit(".", 1)[-1].lower()

    # --- states -------------------------------------------------------------------------------

    def state(self, code: str) -> State:
        return self._states[code]

    def state_label(self, code: str) -> str:
        state = self._states.get(code)
        return state.label if state is not None else code

    @property
    def open_states(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.states if not s.terminal)

    @property
    def timed_states(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.states if s.timed)

    def deadline_of(self, case) -> dt.date | None:
        """The deadline that runs in the case's current state (None: no clock runs here)."""
        state = self._states.get(case.status)
        if state is None or state.terminal:
            return None
        dates = []
        if state.timed and self.time_limit is not None and case.deadline_on:
            dates.append(case.deadline_on)
        if state.limit is not None and getattr(case, "step_deadline_on", None):
            dates.append(case.step_deadline_on)
        return min(dates) if dates else None

    def overseer_levels(self, case) -> tuple[str, ...]:
        state = self._states.get(case.status)
        if state is not None and state.limit is not None and case.step_deadline_on == self.deadline_of(case):
            return state.limit.overseer_levels
        return self.time_limit.overseer_levels if self.time_limit is not None else ()

    # --- finding and checking -------------------------------------------------------------

    def transitions_from(self, status: str) -> tuple[Transition, ...]:
        return tuple(t for t in self.transitions if t.source == status)

    def action_label(self, action: str) -> str:
        return next((t.label for t in self.transitions if t.action == action), action)

    def find(self, action: str, status: str) -> Transition:
        for t in self.transitions:
            if t.action == action and t.source == status:
                return t
        raise WrongState(f"{self.noun}当前处于“{self.state_label(status)}”环节，不能执行“{self.action_label(action)}”")

    def check_actor(self, actor: Actor, transition: Transition, case) -> None:
        """Role (permission) and division level. Jurisdiction is checked before: the case was
        read through the scoping helpers."""
        if not actor.has(transition.perm):
            raise PermissionDenied(f"您的角色无权执行“{transition.label}”")
        levels = transition.levels_for(case)
        if actor.level not in levels:
            raise PermissionDenied(f"“{transition.label}”须由{level_names(levels)}办理")

    def check_clock(self, actor: Actor, transition: Transition, case, today: dt.date) -> None:
        if transition.runs_on_clock:
            deadline = self.deadline_of(case)
            if deadline is not None and today > deadline:
                overseers = self.overseer_levels(case)
                if actor.level not in overseers:
                    tail = f"，须由{level_names(overseers)}督办处理" if overseers else ""
                    raise TimeLimitPassed(f"已超过办理时限（{deadline:%Y-%m-%d}）{tail}")
        if transition.extends_limit:
            if case.deadline_extended:
                raise ValidationFailed({"reason": f"{self.time_limit.label}只能延长一次"})  # type: ignore[union-attr]
            if case.deadline_on and today > case.deadline_on:
                raise TimeLimitPassed(f"{self.time_limit.label}（{case.deadline_on:%Y-%m-%d}）已过，不能再延期")  # type: ignore[union-attr]

    def missing_documents(self, transition: Transition, case) -> list[str]:
        needed = [d for d in transition.documents if d.applies(case)]
        if not needed:
            return []
        attached = set(self.attached_documents(case))  # type: ignore[misc]
        return [d.label for d in needed if d.kind not in attached]

    def check(self, actor: Actor, case, action: str, *, today: dt.date | None = None) -> Transition:
        """The transition this actor may take now, or the Chinese refusal — in this order:
        state, role, level, time limit (and the extension rules), documents."""
        transition = self.find(action, case.status)
        self.check_actor(actor, transition, case)
        self.check_clock(actor, transition, case, today or clock.today())
        missing = self.missing_documents(transition, case)
        if missing:
            raise MissingDocuments(transition.label, missing)
        return transition

    def available(self, actor: Actor, case, *, today: dt.date | None = None) -> list[Availability]:
        """Every action from the case's state, each allowed or with the reason it is not."""
        day = today or clock.today()
        out: list[Availability] = []
        done: set[str] = set()
        for t in self.transitions_from(case.status):
            if t.action in done:
                continue
            done.add(t.action)
            try:
                self.check(actor, case, t.action, today=day)
            except DomainError as e:
                out.append(Availability(t, False, e.message))
            else:
                out.append(Availability(t, True))
        return out

    def allowed(self, actor: Actor, case, *, today: dt.date | None = None) -> list[Transition]:
        """The transitions the actor's role and level allow on this case now (the action
        forms shown; time limits and documents are explained when the form is sent)."""
        out = []
        for t in self.transitions_from(case.status):
            try:
                self.check_actor(actor, t, case)
            except PermissionDenied:
                continue
            out.append(t)
        return out

    # --- the task list ----------------------------------------------------------------------

    def task_transitions(self, actor: Actor) -> list[Transition]:
        return [t for t in self.transitions if t.task and actor.has(t.perm)]

    def task_filter(self, actor: Actor) -> tuple[Q | None, bool]:
        """A Q selecting the cases whose next step this actor may take, from the table alone;
        and whether the rows still need a check in Python (a callable level)."""
        parts: list[Q] = []
        post = False
        for t in self.task_transitions(actor):
            if isinstance(t.levels, CaseField):
                parts.append(Q(status=t.source, **{t.levels.name: actor.level}))
            elif callable(t.levels):
                parts.append(Q(status=t.source))
                post = True
            elif actor.level in t.levels:
                parts.append(Q(status=t.source))
        if not parts:
            return None, False
        q = parts[0]
        for part in parts[1:]:
            q |= part
        return q, post

    def is_task_for(self, actor: Actor, case) -> bool:
        for t in self.task_transitions(actor):
            if t.source != case.status:
                continue
            try:
                self.check_actor(actor, t, case)
            except PermissionDenied:
                continue
            return True
        return False

    def overdue_q(self, day: dt.date) -> Q:
        """Cases past the deadline that runs in their state."""
        q = Q(pk__in=[])
        if self.time_limit is not None and self.timed_states:
            q |= Q(status__in=self.timed_states, deadline_on__lt=day)
        limited = tuple(s.code for s in self.states if s.limit is not None)
        if limited:
            q |= Q(status__in=limited, step_deadline_on__lt=day)
        return q

    def due_soon_q(self, day: dt.date, cutoff: dt.date) -> Q:
        q = Q(pk__in=[])
        if self.time_limit is not None and self.timed_states:
            q |= Q(status__in=self.timed_states, deadline_on__gte=day, deadline_on__lte=cutoff)
        limited = tuple(s.code for s in self.states if s.limit is not None)
        if limited:
            q |= Q(status__in=limited, step_deadline_on__gte=day, step_deadline_on__lte=cutoff)
        return q

    def due_soon_cutoff(self, day: dt.date, calendar: WorkCalendar | None = None) -> dt.date:
        """Deadlines on or before this date are due soon (临期)."""
        return (calendar or work_calendar()).add_working_days(day, self.due_soon_working_days)


# ----------------------------------------------------------------------------------------------
# Who acts next, in words (the detail screens' 下一步 line and the reason an action is missing)
# ----------------------------------------------------------------------------------------------

# The level each working role works at (a leader reads, an administrator configures: neither
# takes case steps in the normal course, so neither is named as the one who acts).
ROLE_LEVELS = {
    Role.VILLAGE_WORKER: "village",
    Role.TOWN_OFFICER: "town",
    Role.TOWN_APPROVER: "town",
    Role.DISTRICT_STAFF: "district",
}
LEVEL_ORDER = ("village", "town", "district")
_LEVEL_PREFIX = {"village": "村（社区）", "town": "乡镇（街道）", "district": "区民政局"}


def _unit_name(level: str, division_code: str) -> str:
    if level == "district":
        return "区民政局"
    code = division_code[:9] if level == "town" else division_code[:12]
    return get_directory().name(code) or _LEVEL_PREFIX[level]


def who_acts(transition: Transition, case) -> str:
    """'敦仁街道经办人', '大东门社区经办人', '区民政局科室人员': the unit (at the lowest level the
    step may be taken) and the roles there that hold the step's permission."""
    levels = transition.levels_for(case)
    for level in LEVEL_ORDER:
        if level not in levels:
            continue
        roles = [r for r, at in ROLE_LEVELS.items() if at == level and transition.perm in permissions_for_role(r)]
        if not roles:
            continue
        titles = "或".join(dict.fromkeys(Role(r).label.removeprefix(_LEVEL_PREFIX[level]) for r in roles))
        return f"{_unit_name(level, case.division_code)}{titles}"
    return level_names(levels)


def next_step_hint(workflow: Workflow, case) -> str:
    """'下一步：由敦仁街道经办人办理“受理”。' — who takes the forward steps from the case's
    current state (not 退回/延期); '' when the case is finished."""
    state = workflow._states.get(case.status)
    if state is None or state.terminal:
        return ""
    groups: dict[str, list[str]] = {}
    for t in workflow.transitions_from(case.status):
        if not t.task:
            continue
        labels = groups.setdefault(who_acts(t, case), [])
        if t.label not in labels:
            labels.append(t.label)
    if not groups:
        return ""
    parts = [f"由{who}办理{'或'.join(f'“{label}”' for label in labels)}" for who, labels in groups.items()]
    return f"下一步：{'；'.join(parts)}。"


def missing_reasons(workflow: Workflow, actor: Actor, case, *, today: dt.date | None = None) -> list[str]:
    """Why each step from the case's state is not open to this actor, in words that name who
    may take it ('“受理”须由敦仁街道经办人办理')."""
    out = []
    for a in workflow.available(actor, case, today=today):
        if a.allowed:
            continue
        if isinstance(_refusal_kind(workflow, actor, a.transition, case), PermissionDenied):
            out.append(f"“{a.label}”须由{who_acts(a.transition, case)}办理")
        else:
            out.append(a.reason)
    return out


def _refusal_kind(workflow: Workflow, actor: Actor, transition: Transition, case) -> Exception | None:
    try:
        workflow.check_actor(actor, transition, case)
    except PermissionDenied as e:
        return e
    return None
