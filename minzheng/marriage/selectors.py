"""List reads of the marriage registry, through ``visible_to(actor)``; the statistics (no
names) and a person's marital record for the registry's person page."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db.models import Q, QuerySet
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.core import clock
from minzheng.core.ages import age_on
from minzheng.marriage import services
from minzheng.marriage.enums import (
    AmendmentKind,
    AmendmentStatus,
    AppointmentStatus,
    DivorceStatus,
    MarriageStatus,
    Residence,
)
from minzheng.marriage.models import (
    Amendment,
    AmendmentDocument,
    Appointment,
    CounsellingReferral,
    CounsellingSession,
    Divorce,
    Marriage,
    Office,
    Slot,
)
from minzheng.marriage.permissions import MarriagePerm
from minzheng.marriage.workflow import AMENDMENT, DIVORCE, MARRIAGE

OPEN_DIVORCE = (DivorceStatus.APPLIED, DivorceStatus.ACCEPTED, DivorceStatus.AWAITING_ISSUE)


def _none_unless(actor: Actor, qs: QuerySet, perm=MarriagePerm.VIEW_MARRIAGE) -> QuerySet:
    return qs.visible_to(actor) if actor.has(perm) else qs.none()


def list_offices_for(actor: Actor) -> QuerySet[Office]:
    return _none_unless(actor, Office.objects.filter(is_active=True))


def list_slots_for(actor: Actor, *, office_id=None, day: dt.date | None = None, from_day: dt.date | None = None) -> QuerySet[Slot]:
    qs = _none_unless(actor, Slot.objects.select_related("office"))
    if office_id:
        qs = qs.filter(office_id=office_id)
    if day:
        qs = qs.filter(day=day)
    if from_day:
        qs = qs.filter(day__gte=from_day)
    return qs


def counter_list(actor: Actor, day: dt.date, *, office_id=None) -> QuerySet[Appointment]:
    """The day's appointments, by time (the counter's list)."""
    qs = _none_unless(actor, Appointment.objects.select_related("slot", "slot__office")).filter(slot__day=day)
    if office_id:
        qs = qs.filter(slot__office_id=office_id)
    return qs.exclude(status=AppointmentStatus.CANCELLED).order_by("slot__starts_at", "id")


def list_appointments_for(actor: Actor, *, from_day: dt.date) -> QuerySet[Appointment]:
    return _none_unless(actor, Appointment.objects.select_related("slot", "slot__office")).filter(slot__day__gte=from_day)


def list_marriages_for(actor: Actor, *, status: str | None = None, q: str = "") -> QuerySet[Marriage]:
    qs = _none_unless(actor, Marriage.objects.all())
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(number=q) | Q(certificate_number=q) | Q(man_name=q) | Q(woman_name=q))
    return qs


def list_divorces_for(actor: Actor, *, status: str | None = None) -> QuerySet[Divorce]:
    qs = _none_unless(actor, Divorce.objects.all())
    if status == "open":
        return qs.filter(status__in=OPEN_DIVORCE)
    return qs.filter(status=status) if status else qs


def list_amendments_for(actor: Actor, *, kind: str | None = None) -> QuerySet[Amendment]:
    qs = _none_unless(actor, Amendment.objects.select_related("marriage"))
    return qs.filter(kind=kind) if kind else qs


def documents_of(actor: Actor, amendment: Amendment) -> QuerySet[AmendmentDocument]:
    return _none_unless(actor, AmendmentDocument.objects.filter(amendment=amendment))


def referrals_for(actor: Actor) -> QuerySet[CounsellingReferral]:
    return _none_unless(actor, CounsellingReferral.objects.select_related("divorce"))


def sessions_for(actor: Actor) -> QuerySet[CounsellingSession]:
    return _none_unless(actor, CounsellingSession.objects.select_related("referral"))


def history_of(actor: Actor, workflow, case) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.visible_to(actor).for_case(workflow, case).order_by("occurred_at", "id")


def marriage_history(actor, m):
    return history_of(actor, MARRIAGE, m)


def divorce_history(actor, d):
    return history_of(actor, DIVORCE, d)


def amendment_history(actor, a):
    return history_of(actor, AMENDMENT, a)


def marriages_of_person(actor: Actor, person) -> list[Marriage]:
    """Registered marriages of a registry person (by the blind index of the ID number)."""
    if not actor.has(MarriagePerm.VIEW_MARRIAGE):
        return []
    index = person.id_number_index
    qs = Marriage.objects.visible_to(actor).filter(status=MarriageStatus.REGISTERED).select_related("man_person", "woman_person")
    return list((qs.filter(man_id_index=index) | qs.filter(woman_id_index=index)).order_by("-registered_on", "-id"))


def open_divorce_of(actor: Actor, marriage: Marriage) -> Divorce | None:
    return _none_unless(actor, Divorce.objects.filter(marriage=marriage, status__in=OPEN_DIVORCE)).first()


# --- statistics (no names) ----------------------------------------------------------------------


def _between(qs: QuerySet, field: str, start: dt.date, end: dt.date) -> QuerySet:
    return qs.filter(**{f"{field}__gte": start, f"{field}__lte": end})


def statistics(actor: Actor, start: dt.date, end: dt.date) -> dict:
    """Counts of a period: by kind; marriages by age band (each party), residence (each party),
    first marriage / remarriage; 跨省通办 cases among registrations."""
    if not actor.has(MarriagePerm.VIEW_MARRIAGE_STATS):
        return {}
    marriages = _between(Marriage.objects.visible_to(actor).filter(status=MarriageStatus.REGISTERED), "registered_on", start, end)
    divorces = Divorce.objects.visible_to(actor)
    amendments = Amendment.objects.visible_to(actor).filter(status=AmendmentStatus.DONE)
    rows = list(marriages.values("registered_on", "man_birth_date", "woman_birth_date", "man_hukou_code", "woman_hukou_code",
                                 "man_prior", "woman_prior", "cross_province", "ceremony"))  # fmt: skip
    ages: Counter = Counter()
    residence: Counter = Counter()
    for r in rows:
        for side in ("man", "woman"):
            ages[services.age_band(age_on(r[f"{side}_birth_date"], r["registered_on"]))] += 1
            residence[services.residence_of(r[f"{side}_hukou_code"])] += 1
    first = sum(1 for r in rows if r["man_prior"] == "single" and r["woman_prior"] == "single")
    issued = _between(divorces.filter(status=DivorceStatus.ISSUED), "registered_on", start, end)
    reissued = _between(amendments.filter(kind=AmendmentKind.REISSUE), "decided_on", start, end)
    counts = {
        "marriages": len(rows),
        "divorces": issued.count(),
        "divorce_applied": _between(divorces, "applied_on", start, end).count(),
        "divorce_accepted": _between(divorces.exclude(accepted_on=None), "accepted_on", start, end).count(),
        "divorce_withdrawn": _between(divorces.filter(status=DivorceStatus.WITHDRAWN), "withdrawn_on", start, end).count(),
        "divorce_lapsed": _between(divorces.filter(status=DivorceStatus.LAPSED), "lapsed_on", start, end).count(),
        "reissues": reissued.count(),
        "corrections": _between(amendments.filter(kind=AmendmentKind.CORRECTION), "decided_on", start, end).count(),
        "cancellations": _between(amendments.filter(kind=AmendmentKind.CANCELLATION), "decided_on", start, end).count(),
        "judgments": _between(amendments.filter(kind=AmendmentKind.JUDGMENT), "decided_on", start, end).count(),
        "marriage_refusals": _between(Marriage.objects.visible_to(actor).filter(status=MarriageStatus.REFUSED), "refused_on", start, end).count(),
        "ceremonies": sum(1 for r in rows if r["ceremony"]),
    }
    cross = sum(1 for r in rows if r["cross_province"]) + issued.filter(cross_province=True).count() + reissued.filter(marriage__cross_province=True).count()
    total = counts["marriages"] + counts["divorces"] + counts["reissues"]
    return {
        "counts": counts,
        "age_bands": [(band, ages.get(band, 0)) for band in services.AGE_BANDS],
        "residence": [(r.label, residence.get(r.value, 0)) for r in Residence],
        "first_marriages": first,
        "remarriages": len(rows) - first,
        "cross_province": cross,
        "registrations": total,
    }


def monthly_counts(actor: Actor, year: int) -> list[dict]:
    """Marriages and divorces registered per month of a year."""
    if not actor.has(MarriagePerm.VIEW_MARRIAGE_STATS):
        return []
    m = Counter(d.month for d in Marriage.objects.visible_to(actor).filter(status=MarriageStatus.REGISTERED, registered_on__year=year).values_list("registered_on", flat=True))
    d = Counter(x.month for x in Divorce.objects.visible_to(actor).filter(status=DivorceStatus.ISSUED, registered_on__year=year).values_list("registered_on", flat=True))
    return [{"month": month, "marriages": m.get(month, 0), "divorces": d.get(month, 0)} for month in range(1, 13)]


def register_between(actor: Actor, start: dt.date, end: dt.date) -> list[tuple]:
    """婚姻登记日志: the marriages and divorces registered from ``start`` to ``end`` (inclusive),
    by date and certificate number; ID numbers masked, as every export."""
    marriages = _none_unless(actor, Marriage.objects.all()).filter(registered_on__range=(start, end)).exclude(certificate_number="")
    divorces = _none_unless(actor, Divorce.objects.all()).filter(registered_on__range=(start, end)).exclude(certificate_number="")
    rows = [(m.registered_on, "结婚登记", m.certificate_number, m.man_name, m.man_id_masked, m.woman_name, m.woman_id_masked,
             "是" if m.cross_province else "否") for m in marriages]  # fmt: skip
    rows += [(d.registered_on, "离婚登记", d.certificate_number, d.man_name, d.man_id_masked, d.woman_name, d.woman_id_masked,
              "是" if d.cross_province else "否") for d in divorces]  # fmt: skip
    return sorted(rows, key=lambda r: (r[0], r[2]))


# 网上预约 (the citizens' site): the open slots are public (office, day, time, seats left — no
# names); a citizen's appointments are read by their own account only.


def slots_for_booking(*, days: int) -> list[Slot]:
    """Slots of active offices from now to ``days`` days ahead (full ones too: shown as such),
    by office and time."""
    now = timezone.localtime(clock.now())
    today = now.date()
    qs = (Slot.objects.select_related("office")
          .filter(office__is_active=True, day__gte=today, day__lte=today + dt.timedelta(days=days))
          .exclude(day=today, starts_at__lte=now.time()).order_by("office_id", "day", "starts_at"))  # fmt: skip
    return list(qs)


def appointments_of_account(account_id: int) -> QuerySet[Appointment]:
    """The appointments a citizen account booked online, latest first."""
    return Appointment.objects.select_related("slot", "slot__office").filter(citizen_account_id=account_id).order_by("-slot__day", "-slot__starts_at", "-id")
