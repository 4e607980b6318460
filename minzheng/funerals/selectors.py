"""Lists of the funeral line, always within the actor's divisions, and the figures other
modules read (the daily register, the monthly report)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet, Sum

from minzheng.accounts.actor import Actor
from minzheng.cases.models import CaseEvent
from minzheng.funerals.enums import CEMETERY_KINDS, FUNERAL_SERVICE_KINDS, FacilityStatus, MessageStatus, PlotStatus, PriceItem, RecordStatus
from minzheng.funerals.models import (
    Facility,
    FuneralRecord,
    IllegalGrave,
    Inspection,
    MemorialMessage,
    MemorialPhoto,
    Plot,
    PriceFiling,
    Waiver,
    WaiverSettlement,
    Zone,
)
from minzheng.funerals.workflow import INSPECTION_WORKFLOW, RECORD_WORKFLOW
from minzheng.registry.permissions import RegistryPerm
from minzheng.registry.selectors import list_death_reports_for


def _can_view(actor: Actor) -> bool:
    return actor.has(RegistryPerm.VIEW_REGISTRY)


def list_records_for(actor: Actor, *, division_code: str | None = None, status: str = "", q: str = "") -> QuerySet[FuneralRecord]:
    if not _can_view(actor):
        return FuneralRecord.objects.none()
    qs = FuneralRecord.objects.within(actor, division_code).select_related("person", "funeral_home", "cemetery", "plot")
    if status == "open":
        qs = qs.exclude(status__in=[RecordStatus.BURIED, RecordStatus.INTERRED])
    elif status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(person__name__startswith=q))
    return qs.order_by("-id")


def record_history(actor: Actor, record: FuneralRecord) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.visible_to(actor).for_case(RECORD_WORKFLOW, record).order_by("id")


def inspection_history(actor: Actor, inspection: Inspection) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.visible_to(actor).for_case(INSPECTION_WORKFLOW, inspection).order_by("id")


def list_facilities_for(actor: Actor, *, division_code: str | None = None, kind: str = "") -> QuerySet[Facility]:
    if not _can_view(actor):
        return Facility.objects.none()
    qs = Facility.objects.within(actor, division_code)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.annotate(
        plots_total=Count("plots", distinct=True), plots_sold=Count("plots", filter=Q(plots__status=PlotStatus.SOLD), distinct=True)
    ).order_by("kind", "division_code", "name")


def _serving_prefixes(division_code: str) -> list[str]:
    return [division_code[:n] for n in (6, 9, 12) if len(division_code) >= n]


def funeral_homes_serving(division_code: str) -> QuerySet[Facility]:
    """Operating funeral homes and stations that serve a village (its town's, the district's)."""
    return Facility.objects.filter(
        kind__in=FUNERAL_SERVICE_KINDS, status=FacilityStatus.OPERATING, division_code__in=_serving_prefixes(division_code)
    ).order_by("division_code", "name")


def cemeteries_serving(division_code: str) -> QuerySet[Facility]:
    """Operating cemeteries open to a village's residents: the public-welfare cemeteries of the
    village and its town, every commercial cemetery."""
    return Facility.objects.filter(
        Q(kind="commercial_cemetery") | Q(kind="public_cemetery", division_code__in=_serving_prefixes(division_code)),
        status=FacilityStatus.OPERATING,
    ).order_by("kind", "name")


def available_plots(cemetery: Facility) -> QuerySet[Plot]:
    return Plot.objects.filter(cemetery=cemetery, status=PlotStatus.AVAILABLE).order_by("number")


def plots_of(actor: Actor, cemetery: Facility, *, kind: str = "", status: str = "") -> QuerySet[Plot]:
    """A cemetery's plots in the actor's scope (a sold plot with its funeral record)."""
    qs = Plot.objects.visible_to(actor).filter(cemetery=cemetery).select_related("record")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("number", "id")


def plot_use(cemetery: Facility) -> dict:
    rows = Plot.objects.filter(cemetery=cemetery).values_list("kind", "status").annotate(n=Count("id")).order_by()
    out: dict[str, dict[str, int]] = {}
    for kind, status, n in rows:
        out.setdefault(kind, {"available": 0, "sold": 0})[status] = n
    return out


def prices_of(actor: Actor, facility: Facility) -> QuerySet[PriceFiling]:
    return PriceFiling.objects.visible_to(actor).filter(facility=facility).order_by("item", "-effective_from")


def inspections_of(actor: Actor, facility: Facility) -> QuerySet[Inspection]:
    return Inspection.objects.visible_to(actor).filter(facility=facility).order_by("-inspected_on", "-id")


def list_zones_for(actor: Actor) -> QuerySet[Zone]:
    if not _can_view(actor):
        return Zone.objects.none()
    return Zone.objects.visible_to(actor).order_by("kind", "division_code")


def list_illegal_graves_for(actor: Actor, *, division_code: str | None = None, status: str = "") -> QuerySet[IllegalGrave]:
    if not _can_view(actor):
        return IllegalGrave.objects.none()
    qs = IllegalGrave.objects.within(actor, division_code)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-found_on", "-id")


def list_settlements_for(actor: Actor) -> QuerySet[WaiverSettlement]:
    if not _can_view(actor):
        return WaiverSettlement.objects.none()
    return WaiverSettlement.objects.visible_to(actor).select_related("funeral_home").order_by("-period", "funeral_home__name")


def waivers_of_settlement(settlement: WaiverSettlement) -> QuerySet[Waiver]:
    return Waiver.objects.filter(settlement=settlement).select_related("record", "record__person").order_by("id")


def list_waivers_for(actor: Actor, *, period: str = "") -> QuerySet[Waiver]:
    if not _can_view(actor):
        return Waiver.objects.none()
    qs = Waiver.objects.visible_to(actor).select_related("record", "record__person", "funeral_home", "settlement")
    if period:
        qs = qs.filter(period=period)
    return qs.order_by("-id")


def funeral_homes(actor: Actor) -> QuerySet[Facility]:
    """The district's funeral homes (the settlement's counterpart)."""
    return Facility.objects.visible_to(actor).filter(kind="funeral_home").order_by("name")


def pending_messages_for(actor: Actor) -> QuerySet[MemorialMessage]:
    if not _can_view(actor):
        return MemorialMessage.objects.none()
    return MemorialMessage.objects.visible_to(actor).filter(status=MessageStatus.PENDING).select_related("memorial", "memorial__record")


def memorial_photo_of(memorial) -> MemorialPhoto | None:
    return MemorialPhoto.objects.filter(memorial=memorial).first()


def approved_messages(memorial) -> QuerySet[MemorialMessage]:
    return MemorialMessage.objects.filter(memorial=memorial, status=MessageStatus.APPROVED).order_by("created_at")


# --------------------------------------------------------------------------- register and report
def daily_register(actor: Actor, day: dt.date, *, division_code: str | None = None) -> list[FuneralRecord]:
    """The funeral home's daily register: every record with a step on the day."""
    qs = list_records_for(actor, division_code=division_code).filter(
        Q(notified_on=day) | Q(transported_on=day) | Q(cremated_on=day) | Q(buried_on=day) | Q(ashes_stored_on=day) | Q(interred_on=day)
    )
    return list(qs.order_by("number"))


def monthly_report(actor: Actor, first: dt.date, last: dt.date, *, division_code: str | None = None) -> dict:
    """The month's figures: deaths notified, cremations, burials, interments (eco), waivers."""
    records = list_records_for(actor, division_code=division_code)

    def between(field: str):
        return Q(**{f"{field}__gte": first, f"{field}__lte": last})

    agg = records.aggregate(
        notified=Count("id", filter=between("notified_on")),
        cremated=Count("id", filter=between("cremated_on")),
        buried=Count("id", filter=between("buried_on")),
        interred=Count("id", filter=between("interred_on")),
        eco=Count("id", filter=between("interred_on") & Q(eco_burial=True)),
        centralized=Count("id", filter=between("death_date") & Q(mourning_kind="centralized")),
    )
    waivers = Waiver.objects.visible_to(actor).filter(record__cremated_on__gte=first, record__cremated_on__lte=last)
    if division_code:
        waivers = waivers.filter(division_code__startswith=division_code)
    wagg = waivers.aggregate(n=Count("id"), total=Sum("amount_fen"))
    agg.update(waivers=wagg["n"] or 0, waiver_fen=wagg["total"] or 0)
    return agg


def cemetery_capacity_rows(actor: Actor) -> list[Facility]:
    return list(list_facilities_for(actor).filter(kind__in=CEMETERY_KINDS))


def deaths_without_record(actor: Actor, *, limit: int = 20) -> list:
    """Deaths the departments reported (the death feed: pending or confirmed) in the actor's
    scope whose person has no funeral record yet — the 报丧 work waiting."""
    if not actor.has(RegistryPerm.VIEW_REGISTRY):
        return []
    reports = (
        list_death_reports_for(actor, status=None)
        .exclude(status="refuted")
        .exclude(source="funeral")
        .filter(person__funeral_record__isnull=True)
    )
    return list(reports.order_by("-id")[:limit])


def public_price_list(on: dt.date) -> list[dict]:
    """The prices in force on a day at every operating funeral home and 殡仪服务站, for the
    citizens' site: filed prices are public (no actor, no scope); only the facility's name,
    kind and address, each item with its price, date and 备案文号."""
    homes = list(Facility.objects.filter(kind__in=FUNERAL_SERVICE_KINDS, status=FacilityStatus.OPERATING).order_by("kind", "division_code", "name"))
    latest: dict[tuple[int, str], PriceFiling] = {}
    filings = PriceFiling.objects.filter(facility__in=homes, effective_from__lte=on).order_by("facility_id", "item", "-effective_from")
    for filing in filings:
        latest.setdefault((filing.facility_id, filing.item), filing)
    rows = []
    for home in homes:
        items = [
            {"label": PriceItem(item).label, "price_fen": f.price_fen, "effective_from": f.effective_from, "reference": f.reference}
            for item in PriceItem.values
            if (f := latest.get((home.pk, item))) is not None
        ]
        if items:
            rows.append({"name": home.name, "kind": home.get_kind_display(), "address": home.address, "items": items})
    return rows
