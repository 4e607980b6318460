"""Lists and figures of referrals and rehabilitation files, through scoping.

Referral lists: ``VIEW_REFERRALS``, the actor's divisions. Rehabilitation lists, searches,
counts and exports: ``REHAB`` only — any other role is refused (``PermissionDenied``), not
shown an empty list — and each is audited.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.referrals.enums import OPEN_STATUSES, ReferralKind, ReferralStatus, RehabStatus
from minzheng.referrals.models import ReceivingUnit, Referral, RehabFile, RehabService
from minzheng.referrals.permissions import ReferralPerm
from minzheng.referrals.workflow import REFERRAL

OPEN = "open"
OVERDUE = "overdue"


def receiving_units(*, kind: str | None = None, active_only: bool = True) -> QuerySet[ReceivingUnit]:
    """The district's list of receiving units (reference data, the same for everyone)."""
    qs = ReceivingUnit.objects.all()
    if kind:
        qs = qs.filter(kind=kind)
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("kind", "name", "id")


def list_referrals_for(
    actor: Actor,
    *,
    division_code: str | None = None,
    kind: str = "",
    status: str = "",
    receiving_unit_id: object = None,
    household_id: object = None,
    person_id: object = None,
    today: dt.date | None = None,
) -> QuerySet[Referral]:
    """Filters: kind, status (a state, ``open`` or ``overdue``), receiving unit, household,
    person; newest first."""
    if not actor.has(ReferralPerm.VIEW_REFERRALS):
        return Referral.objects.none()
    qs = Referral.objects.within(actor, division_code).select_related("household", "household__head", "person", "receiving_unit")
    if kind in ReferralKind.values:
        qs = qs.filter(kind=kind)
    if status == OPEN:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == OVERDUE:
        qs = qs.filter(status__in=OPEN_STATUSES, deadline_on__lt=today or clock.today())
    elif status in ReferralStatus.values:
        qs = qs.filter(status=status)
    if receiving_unit_id not in (None, "") and str(receiving_unit_id).isdigit():
        qs = qs.filter(receiving_unit_id=int(receiving_unit_id))
    if household_id not in (None, "") and str(household_id).isdigit():
        qs = qs.filter(household_id=int(household_id))
    if person_id not in (None, "") and str(person_id).isdigit():
        qs = qs.filter(person_id=int(person_id))
    return qs.order_by("-id")


def referral_counts_by_kind(actor: Actor, *, division_code: str | None = None, today: dt.date | None = None) -> list[dict]:
    """Per kind: all, open, overdue (open past the deadline), fed back — the actor's divisions."""
    today = today or clock.today()
    rows = (
        list_referrals_for(actor, division_code=division_code)
        .order_by()
        .values("kind")
        .annotate(
            total=Count("id"),
            open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
            overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, deadline_on__lt=today)),
            fed_back=Count("id", filter=Q(status=ReferralStatus.FED_BACK)),
        )
    )
    found = {row["kind"]: row for row in rows}
    out = []
    for kind, label in ReferralKind.choices:
        row = found.get(kind, {})
        out.append({"kind": kind, "label": label, **{k: row.get(k, 0) for k in ("total", "open", "overdue", "fed_back")}})
    return out


def referral_history(actor: Actor, referral: Referral) -> QuerySet[CaseEvent]:
    """The referral's steps, oldest first (the referral was read through access)."""
    return CaseEvent.objects.visible_to(actor).for_case(REFERRAL, referral).order_by("id")


# ----------------------------------------------------------------------------------------------
# 精神障碍社区康复 (REHAB only, audited)
# ----------------------------------------------------------------------------------------------


def _audit_read(actor: Actor, action: str, summary: str, division_code: str | None, **extra) -> None:
    record_audit_event(actor, action, object_type="rehab_file", division_code=division_code or district_code(),
                       summary=summary, extra={k: v for k, v in extra.items() if v})


def rehab_files_for(
    actor: Actor, *, q: str = "", status: str = "", division_code: str | None = None, purpose: str = "list"
) -> QuerySet[RehabFile]:
    """The rehabilitation files of the actor's divisions (search by the person's name with
    ``q``); audited as a view, a search or an export (``purpose``)."""
    actor.require(ReferralPerm.REHAB)
    qs = RehabFile.objects.within(actor, division_code).select_related("person")
    q = (q or "").strip()[:20]
    if q:
        qs = qs.filter(person__name__contains=q)
    if status in RehabStatus.values:
        qs = qs.filter(status=status)
    action = {"export": AuditAction.EXPORT, "list": AuditAction.SEARCH if q else AuditAction.VIEW}[purpose]
    what = {"export": "导出", "list": "查询" if q else "查看"}[purpose]
    _audit_read(actor, action, f"{what}精神障碍社区康复档案列表", division_code, q=q, status=status)
    return qs.order_by("division_code", "id")


def rehab_counts(actor: Actor, *, division_code: str | None = None) -> dict[str, int]:
    """Files by status in the actor's divisions (audited: a count says who is followed up)."""
    actor.require(ReferralPerm.REHAB)
    counts = {s.value: 0 for s in RehabStatus}
    rows = RehabFile.objects.within(actor, division_code).order_by().values("status").annotate(n=Count("id"))
    counts.update({r["status"]: r["n"] for r in rows})
    _audit_read(actor, AuditAction.VIEW, "查看精神障碍社区康复档案统计", division_code)
    return counts


def rehab_services(actor: Actor, file: RehabFile) -> QuerySet[RehabService]:
    """The services of one file (read through ``access_rehab_file_by_id``)."""
    actor.require(ReferralPerm.REHAB)
    return RehabService.objects.visible_to(actor).filter(file=file).order_by("-served_on", "-id")
