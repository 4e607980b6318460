"""Social assistance under the death policy (ADR 0004): what a department's death report does to
enrolments and payments. Registered with the registry's death handlers in ``apps.py``.

- report: every live enrolment that pays the person — their own, or a household's whose payee
  they are — is suspended (``DeathSuspension`` kind ``suspend``); the payroll then records each
  month it skips as a ``WithheldPayment``. A household enrolment of which the person is a member
  but not the payee is only flagged (kind ``flag``): the household is paid on.
- confirmation: an own enrolment, or a household's with no living member left, ends with the
  month of death (paid through that month, stopped from the next); withheld months up to the
  month of death become payable (补发), later ones are forfeited. A household whose payee died
  but whose other members live stays suspended for review (change the payee, re-set the
  amount); resuming it releases the withheld months. A flagged household gets a review task.
- refutation: every suspension is lifted (the enrolment is active again) and its withheld
  months become payable: the next payroll pays them as 补发, once.
"""

from __future__ import annotations

from django.db.models import Q

from minzheng.accounts.actor import Actor
from minzheng.assistance.actions import _change, _exit
from minzheng.core.clock import today
from minzheng.assistance.enums import (
    BatchStatus,
    ChangeKind,
    EnrolmentStatus,
    ExitReason,
    Program,
    ReviewKind,
    SuspensionKind,
    SuspensionStatus,
    WithheldStatus,
)
from minzheng.assistance.reviews import open_review_task
from minzheng.assistance.models import DeathSuspension, Enrolment, PaymentBatch, WithheldPayment
from minzheng.core import clock
from minzheng.core.periods import month_start, next_month, parse_period, period_of
from minzheng.registry.deaths import DeathHandler, register_death_handler
from minzheng.registry.models import HouseholdMembership

LIVE = (EnrolmentStatus.ACTIVE, EnrolmentStatus.SUSPENDED)


def _label(e: Enrolment) -> str:
    return f"{Program(e.program).label}{'（家庭）' if e.household_id else ''}"


def next_payroll_month(program: str) -> str:
    """The first month from this one whose payroll is not approved yet: the next payroll."""
    month = month_start(today())
    approved = set(
        PaymentBatch.objects.filter(program=program, status=BatchStatus.APPROVED, period__gte=period_of(month)).values_list(
            "period", flat=True
        )
    )
    while period_of(month) in approved:
        month = next_month(month)
    return period_of(month)


def _paying(person) -> list[Enrolment]:
    """Live enrolments that pay the person or their household, locked."""
    q = Q(person_id=person.pk) | Q(payee_id=person.pk)
    if person.household_id:
        q |= Q(household_id=person.household_id)
    return list(Enrolment.objects.filter(q, status__in=LIVE).select_for_update().order_by("id"))


def on_report(actor: Actor, report) -> list[str]:
    person = report.person
    out = []
    source = report.get_source_display()
    for e in _paying(person):
        paid_to_person = e.person_id == person.pk or e.payee_id == person.pk
        kind = SuspensionKind.SUSPEND if paid_to_person and e.status == EnrolmentStatus.ACTIVE else SuspensionKind.FLAG
        DeathSuspension.objects.create(enrolment=e, report=report, division_code=e.division_code, kind=kind)
        if kind == SuspensionKind.SUSPEND:
            month = next_payroll_month(e.program)
            reason = f"待核实死亡信息（{source}报告{report.death_date:%Y-%m-%d}死亡）"
            _change(
                actor, e, kind=ChangeKind.SUSPEND, effective_month=parse_period(month),
                updates={"status": EnrolmentStatus.SUSPENDED, "status_changed_on": today(), "status_reason": reason},
                reason=reason,
            )  # fmt: skip
            out.append(f"{_label(e)}自{month}起暂停发放，待村（社区）核实（保障编号{e.pk}）")
        elif paid_to_person:
            out.append(f"{_label(e)}原已暂停，待村（社区）核实（保障编号{e.pk}）")
        else:
            out.append(f"{_label(e)}照常发放（死者不是领款人）；如确认死亡，将复核保障人数和金额（保障编号{e.pk}）")
    return out


def _settle_withheld(suspension: DeathSuspension, *, through_period: str | None) -> tuple[int, int]:
    """Withheld months up to ``through_period`` (all if None) → payable; the later ones →
    forfeited if ``through_period`` is given. Returns (payable, forfeited)."""
    rows = WithheldPayment.objects.filter(suspension=suspension, status=WithheldStatus.WITHHELD)
    if through_period is None:
        return rows.update(status=WithheldStatus.PAYABLE), 0
    payable = rows.filter(period__lte=through_period).update(status=WithheldStatus.PAYABLE)
    forfeited = rows.filter(period__gt=through_period).update(status=WithheldStatus.FORFEITED)
    return payable, forfeited


def _close(suspension: DeathSuspension | None, status: str) -> None:
    if suspension is not None:
        DeathSuspension.objects.filter(pk=suspension.pk).update(status=status, closed_at=clock.now())


def on_confirm(actor: Actor, report) -> list[str]:
    person = report.person
    death_month = period_of(report.death_date)
    suspensions = {
        s.enrolment_id: s for s in DeathSuspension.objects.filter(report=report, status=SuspensionStatus.ACTIVE)
    }
    # The person has left their household by now (do_record_death): the enrolments are the
    # ones found at report time, plus any of their own opened since.
    ids = set(suspensions) | set(
        Enrolment.objects.filter(Q(person_id=person.pk) | Q(payee_id=person.pk), status__in=LIVE).values_list("id", flat=True)
    )
    out = []
    for e in Enrolment.objects.filter(pk__in=ids).select_for_update().order_by("id"):
        s = suspensions.get(e.pk)
        if e.status == EnrolmentStatus.EXITED:
            _close(s, SuspensionStatus.ENDED)
            continue
        survivors = bool(e.household_id) and HouseholdMembership.objects.filter(
            household_id=e.household_id, valid_to__isnull=True, person__is_deceased=False
        ).exclude(person_id=person.pk).exists()
        what = f"{person.name} {report.death_date:%Y-%m-%d}死亡（{report.get_source_display()}，村（社区）已核实）"
        if e.person_id == person.pk or (e.household_id and not survivors):
            ended = _exit(actor, e, exit_reason=ExitReason.DEATH, note=what, last_month=report.death_date)
            payable, forfeited = _settle_withheld(s, through_period=death_month) if s else (0, 0)
            _close(s, SuspensionStatus.ENDED)
            open_review_task(ended, kind=ReviewKind.DEATH, due_on=today(), note=f"{what}，已自次月停发，请核销")
            text = f"{_label(e)}终止保障，最后发放月份{ended.end_month:%Y-%m}"
            if payable:
                text += f"，补发死亡当月及以前暂停的{payable}个月"
            if forfeited:
                text += f"，死亡次月起暂停的{forfeited}个月不再发放"
            out.append(text)
        elif e.payee_id == person.pk:
            payable, _ = _settle_withheld(s, through_period=death_month) if s else (0, 0)
            _close(s, SuspensionStatus.REVIEW)
            open_review_task(e, kind=ReviewKind.DEATH, due_on=today(), note=f"领款人{what}，请变更领款人并复核保障人数和金额")
            out.append(f"{_label(e)}领款人死亡，继续暂停，待乡镇（街道）复核（变更领款人、核定金额）")
        else:
            _close(s, SuspensionStatus.ENDED)
            open_review_task(e, kind=ReviewKind.DEATH, due_on=today(), note=f"家庭成员{what}，请复核保障人数和金额")
            out.append(f"{_label(e)}已转复核（保障人数和金额）")
    return out


def on_refute(actor: Actor, report) -> list[str]:
    out = []
    for s in DeathSuspension.objects.filter(report=report, status=SuspensionStatus.ACTIVE).order_by("id"):
        e = Enrolment.objects.select_for_update().get(pk=s.enrolment_id)
        if s.kind == SuspensionKind.SUSPEND and e.status == EnrolmentStatus.SUSPENDED:
            reason = f"死亡信息核实有误，恢复发放（{report.reason[:60]}）"
            _change(
                actor, e, kind=ChangeKind.RESUME, effective_month=parse_period(next_payroll_month(e.program)),
                updates={"status": EnrolmentStatus.ACTIVE, "status_changed_on": today(), "status_reason": reason[:200]},
                reason=reason,
            )  # fmt: skip
            payable, _ = _settle_withheld(s, through_period=None)
            out.append(f"{_label(e)}恢复发放" + (f"，暂停期间的{payable}个月在下次发放时补发" if payable else ""))
        _close(s, SuspensionStatus.LIFTED)
    return out


def register() -> None:
    register_death_handler(
        DeathHandler(line="assistance", label="社会救助", order=10, on_report=on_report, on_confirm=on_confirm, on_refute=on_refute)
    )
