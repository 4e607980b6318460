"""The application workflow as ONE transition table.

受理 → 入户调查 → 家庭经济状况核对 → 审核 → 公示 (7 days) → 审核确认 (确认 / 不予) → 存档,
and 退回 with a reason from every open step to the step before it.

Each row says: from which states an action may be taken, the state it leads to, the
permission it needs and at which level (village / town / district) the actor must work.
`CONFIRM` as the level means "the level that confirms this application" — configurable per
program (ProgramConfig.confirm_level), and for 临时救助 the tier that the rules engine gives
for the amount. The actions in actions.py look their row up here; the 待办 list derives what
each user may do from the same table; nothing else decides who may act.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.assistance.enums import Level, Program, Status
from minzheng.core.errors import DomainError, PermissionDenied

CONFIRM = "confirm"  # the level that confirms this application (per program / amount tier)

V, T, D = Level.VILLAGE, Level.TOWN, Level.DISTRICT
S = Status


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    source: Status
    target: Status | None  # None: the action decides (审核 → 公示 or → 审核确认)
    perm: Perm
    levels: tuple[str, ...] | str  # tuple of Level values, or CONFIRM
    runs_on_clock: bool = True  # subject to the 审核确认 time limit


# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    # action            label             source              target              permission                   levels
    Transition("accept",          "受理",            S.SUBMITTED,      S.INVESTIGATION,  Perm.ACCEPT_APPLICATION,  (T, D), runs_on_clock=False),
    Transition("investigate",     "入户调查",        S.INVESTIGATION,  S.ECONOMIC_CHECK, Perm.INVESTIGATE,         (V, T)),
    Transition("check_economy",   "家庭经济状况核对", S.ECONOMIC_CHECK, S.REVIEW,         Perm.REVIEW_APPLICATION,  (T, D)),
    Transition("review",          "审核",            S.REVIEW,         None,             Perm.REVIEW_APPLICATION,  (T,)),
    Transition("close_publicity", "公示期满",        S.PUBLICITY,      S.CONFIRMATION,   Perm.REVIEW_APPLICATION,  (T,)),
    Transition("approve",         "确认",            S.CONFIRMATION,   S.APPROVED,       Perm.APPROVE_APPLICATION, CONFIRM),
    Transition("refuse",          "不予保障",        S.CONFIRMATION,   S.REFUSED,        Perm.APPROVE_APPLICATION, CONFIRM),
    Transition("archive",         "存档",            S.APPROVED,       S.ARCHIVED,       Perm.REVIEW_APPLICATION,  (T, D), runs_on_clock=False),
    Transition("archive",         "存档",            S.REFUSED,        S.ARCHIVED,       Perm.REVIEW_APPLICATION,  (T, D), runs_on_clock=False),
    # 退回: to the step before, by whoever may act on the current step.
    Transition("return",          "退回",            S.INVESTIGATION,  S.SUBMITTED,      Perm.INVESTIGATE,         (V, T)),
    Transition("return",          "退回",            S.ECONOMIC_CHECK, S.INVESTIGATION,  Perm.REVIEW_APPLICATION,  (T, D)),
    Transition("return",          "退回",            S.REVIEW,         S.ECONOMIC_CHECK, Perm.REVIEW_APPLICATION,  (T,)),
    Transition("return",          "退回",            S.PUBLICITY,      S.INVESTIGATION,  Perm.REVIEW_APPLICATION,  (T,)),
    Transition("return",          "退回",            S.CONFIRMATION,   S.REVIEW,         Perm.APPROVE_APPLICATION, CONFIRM),
    # 延期 (once, 30 → 45 working days): the state does not change.
    *(
        Transition("extend", "延期", state, state, Perm.REVIEW_APPLICATION, (T, D), runs_on_clock=False)
        for state in (S.INVESTIGATION, S.ECONOMIC_CHECK, S.REVIEW, S.PUBLICITY, S.CONFIRMATION)
    ),
)
# fmt: on

# Where 审核 leads: to 公示 when the program publishes before confirming, else straight on.
REVIEW_TARGETS = (S.PUBLICITY, S.CONFIRMATION)

# The step order shown in the 待办 counts and the progress bar.
STEPS: tuple[Status, ...] = (
    S.SUBMITTED,
    S.INVESTIGATION,
    S.ECONOMIC_CHECK,
    S.REVIEW,
    S.PUBLICITY,
    S.CONFIRMATION,
    S.APPROVED,
    S.REFUSED,
)

# Who confirms, and whether the program publishes before confirming, when no ProgramConfig
# row says otherwise. National rule (民发〔2021〕57号): the county bureau confirms unless it
# has entrusted the towns; Fuling's entrustment is not known (policy-facts §1.9), so the
# district confirms by default and an administrator can switch a program to the towns.
DEFAULT_PROGRAM_CONFIG = {
    Program.DIBAO: {"confirm_level": D, "requires_publicity": True},
    Program.TEKUN: {"confirm_level": D, "requires_publicity": True},
    Program.TEMPORARY: {"confirm_level": T, "requires_publicity": False},
}
# Programs decided through this workflow. Program also lists the monthly allowances that
# other lines enrol (same codes as the rules engine); they are paid by the same payroll.
CASEWORK_PROGRAMS: tuple[Program, ...] = (Program.DIBAO, Program.TEKUN, Program.TEMPORARY)
OTHER_PROGRAM_CONFIG = {"confirm_level": D, "requires_publicity": False}

# 临期: a case whose remaining time is at most this many working days is shown amber.
# A display convention of the 待办 list, not a policy value.
NEAR_DUE_WORKING_DAYS = 5

STALE_MESSAGE = "该申请已被其他用户处理，请刷新后重试"


class WrongState(DomainError):
    code = "wrong_state"


class Stale(DomainError):
    code = "stale"

    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE)


class TimeLimitPassed(DomainError):
    code = "time_limit_passed"


def find_transition(action: str, status: str) -> Transition:
    for t in TRANSITIONS:
        if t.action == action and t.source == status:
            return t
    label = next((t.label for t in TRANSITIONS if t.action == action), action)
    raise WrongState(f"申请当前处于“{Status(status).label}”环节，不能执行“{label}”")


def allowed_levels(transition: Transition, confirm_level: str) -> tuple[str, ...]:
    return (confirm_level,) if transition.levels == CONFIRM else transition.levels  # type: ignore[return-value]


def check_actor(actor: Actor, transition: Transition, *, confirm_level: str) -> None:
    """Permission and level. Jurisdiction is checked before (the case must be visible)."""
    if not actor.has(transition.perm):
        raise PermissionDenied(f"您的角色无权执行“{transition.label}”")
    levels = allowed_levels(transition, confirm_level)
    if actor.level not in levels:
        names = "或".join(Level(level).label for level in levels)
        raise PermissionDenied(f"“{transition.label}”须由{names}办理")


def can_act(actor: Actor, transition: Transition, *, confirm_level: str) -> bool:
    try:
        check_actor(actor, transition, confirm_level=confirm_level)
    except PermissionDenied:
        return False
    return True


def actions_for(actor: Actor, status: str, *, confirm_level: str) -> list[Transition]:
    """The transitions this actor may take on a case in this state (for the detail screen)."""
    return [
        t for t in TRANSITIONS if t.source == status and can_act(actor, t, confirm_level=confirm_level)
    ]


# Forward work (not 退回/延期) that puts a case on someone's 待办 list.
_WORK_ACTIONS = ("accept", "investigate", "check_economy", "review", "close_publicity", "approve", "archive")


def todo_filter(actor: Actor) -> Q | None:
    """A Q selecting the cases in which the next step is this actor's, from the table alone."""
    parts: list[Q] = []
    for t in TRANSITIONS:
        if t.action not in _WORK_ACTIONS or not actor.has(t.perm):
            continue
        if t.levels == CONFIRM:
            parts.append(Q(status=t.source, confirm_level=actor.level))
        elif actor.level in t.levels:
            parts.append(Q(status=t.source))
    if not parts:
        return None
    q = parts[0]
    for part in parts[1:]:
        q |= part
    return q
