"""The application workflow, declared with the case kit (minzheng/cases).

受理 → 入户调查 → 家庭经济状况核对 → 审核 → 公示 (7 days) → 审核确认 (确认 / 不予) → 存档,
and 退回 with a reason from every open step to the step before it; 补正告知 (the family is told
what is missing and answers, online or at the counter) before 公示.

Each row says: from which state an action may be taken, the state it leads to, the permission
it needs and at which level (village / town / district) the actor must work. `CONFIRM` as the
level means "the level that confirms this application" — the case's `confirm_level`, set per
program (ProgramConfig.confirm_level) and, for 临时救助, by the tier the rules engine gives for
the amount. The actions in actions.py take their step through cases.actions.do_transition; the
待办 list is the kit's task feed over this table; nothing else decides who may act.
"""

from __future__ import annotations

from django.urls import reverse

from minzheng.accounts.permissions import Perm
from minzheng.assistance.enums import OPEN_STATUSES, Level, Program, Status
from minzheng.assistance.engine import parameter
from minzheng.cases.actions import CORRECTION_ACTION
from minzheng.cases.workflow import (
    CaseField,
    MissingDocuments,
    Stale,
    State,
    TimeLimit,
    TimeLimitPassed,
    Transition,
    Workflow,
    WrongState,
)

__all__ = ["MissingDocuments", "Stale", "TimeLimitPassed", "WrongState"]

CONFIRM = CaseField("confirm_level")  # the level that confirms this application

V, T, D = Level.VILLAGE, Level.TOWN, Level.DISTRICT
S = Status

# Where 审核 leads: to 公示 when the program publishes before confirming, else straight on.
REVIEW_TARGETS = (S.PUBLICITY, S.CONFIRMATION)

# fmt: off
TRANSITIONS: tuple[Transition, ...] = (
    # action            label             source              target              permission                   levels
    Transition("accept",          "受理",            S.SUBMITTED,      S.INVESTIGATION,  Perm.ACCEPT_APPLICATION,  (T, D), runs_on_clock=False, starts_clock=True),
    Transition("investigate",     "入户调查",        S.INVESTIGATION,  S.ECONOMIC_CHECK, Perm.INVESTIGATE,         (V, T)),
    Transition("check_economy",   "家庭经济状况核对", S.ECONOMIC_CHECK, S.REVIEW,         Perm.REVIEW_APPLICATION,  (T, D)),
    Transition("review",          "审核",            S.REVIEW,         None,             Perm.REVIEW_APPLICATION,  (T,), targets=REVIEW_TARGETS),
    Transition("close_publicity", "公示期满",        S.PUBLICITY,      S.CONFIRMATION,   Perm.REVIEW_APPLICATION,  (T,)),
    Transition("approve",         "确认",            S.CONFIRMATION,   S.APPROVED,       Perm.APPROVE_APPLICATION, CONFIRM),
    Transition("refuse",          "不予保障",        S.CONFIRMATION,   S.REFUSED,        Perm.APPROVE_APPLICATION, CONFIRM),
    Transition("archive",         "存档",            S.APPROVED,       S.ARCHIVED,       Perm.REVIEW_APPLICATION,  (T, D), runs_on_clock=False),
    Transition("archive",         "存档",            S.REFUSED,        S.ARCHIVED,       Perm.REVIEW_APPLICATION,  (T, D), runs_on_clock=False),
    # 退回: to the step before, with a reason, by whoever may act on the current step.
    *(
        Transition("return", "退回", source, target, perm, levels, reason_required="请填写退回理由", task=False)
        for source, target, perm, levels in (
            (S.INVESTIGATION,  S.SUBMITTED,      Perm.INVESTIGATE,         (V, T)),
            (S.ECONOMIC_CHECK, S.INVESTIGATION,  Perm.REVIEW_APPLICATION,  (T, D)),
            (S.REVIEW,         S.ECONOMIC_CHECK, Perm.REVIEW_APPLICATION,  (T,)),
            (S.PUBLICITY,      S.INVESTIGATION,  Perm.REVIEW_APPLICATION,  (T,)),
            (S.CONFIRMATION,   S.REVIEW,         Perm.APPROVE_APPLICATION, CONFIRM),
        )
    ),
    # 补正告知: whoever may act on the step tells the family what is missing (the kit keeps the
    # request; the family answers online or at the counter). Not during 公示 or once decided.
    *(
        Transition(CORRECTION_ACTION, "补正告知", state, state, perm, levels, reason_required="请写明需补正的材料或事项", task=False,
                   runs_on_clock=state != S.SUBMITTED)  # before 受理 no time limit runs yet
        for state, perm, levels in (
            (S.SUBMITTED,      Perm.ACCEPT_APPLICATION, (T, D)),
            (S.INVESTIGATION,  Perm.INVESTIGATE,        (V, T)),
            (S.ECONOMIC_CHECK, Perm.REVIEW_APPLICATION, (T, D)),
            (S.REVIEW,         Perm.REVIEW_APPLICATION, (T,)),
        )
    ),
    # 延期 (once, 30 → 45 working days from acceptance): the state does not change.
    *(
        Transition("extend", "延期", state, state, Perm.REVIEW_APPLICATION, (T, D),
                   runs_on_clock=False, extends_limit=True, reason_required="请填写延期理由", task=False)
        for state in OPEN_STATUSES
    ),
)
# fmt: on

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

PROCEDURE = "dibao.procedure"  # the 审核确认 time limits (the rules hold them under dibao)


def decision_working_days(on):
    return parameter(f"{PROCEDURE}.decision_working_days", on)


def extended_decision_working_days(on):
    return parameter(f"{PROCEDURE}.extended_decision_working_days", on)


# 审核确认 time limit: 30 working days from 受理, once extendable to 45 (the rules parameters
# dibao.procedure.*); once passed, only the district may move the case on (督办).
TIME_LIMIT = TimeLimit(
    days=decision_working_days,
    extended_days=extended_decision_working_days,
    overseer_levels=(D,),
)

# 临期: a case whose remaining time is at most this many working days is shown amber. A
# display convention this line keeps (the kit's default is three working days).
NEAR_DUE_WORKING_DAYS = 5


def _url(application) -> str:
    return reverse("assistance:application-detail", args=[application.pk])


WORKFLOW = Workflow(
    name="assistance.application",
    label="社会救助申请",
    noun="申请",
    model="assistance.Application",
    states=(
        *(State(s, Status(s).label, timed=s in OPEN_STATUSES) for s in STEPS),
        State(S.ARCHIVED, S.ARCHIVED.label, terminal=True),
    ),
    transitions=TRANSITIONS,
    time_limit=TIME_LIMIT,
    start_field="accepted_on",
    audit_type="application",
    # 网上申请 is said on the 待办 line: the family applied themselves, nobody met them yet.
    describe=lambda application: f"{application.number}（网上申请）" if application.channel == "online" else application.number,
    applicant_of=lambda application: application.applicant_id,
    url=_url,
    due_soon_working_days=NEAR_DUE_WORKING_DAYS,
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

STALE_MESSAGE = "该申请已被其他用户处理，请刷新后重试"


def find_transition(action: str, status: str) -> Transition:
    return WORKFLOW.find(action, status)
