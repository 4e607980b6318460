"""Scoped lists and summaries of the charity line."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth

from minzheng.accounts.actor import Actor
from minzheng.charity.models import Charity, DisclosureDuty, Donation, Project, Trust
from minzheng.charity.permissions import CharityPerm
from minzheng.core import clock


def list_charities_for(actor: Actor, *, division_code: str | None = None):
    actor.require(CharityPerm.VIEW_CHARITY)
    return Charity.objects.within(actor, division_code).select_related("organisation")


def list_donations_for(actor: Actor, *, year: int | None = None, charity: Charity | None = None):
    actor.require(CharityPerm.VIEW_CHARITY)
    qs = Donation.objects.visible_to(actor).select_related("charity", "campaign")
    if year:
        qs = qs.filter(received_on__year=year)
    if charity is not None:
        qs = qs.filter(charity=charity)
    return qs


def list_projects_for(actor: Actor):
    """Charity projects with what has been spent on each (spent_fen), newest first."""
    actor.require(CharityPerm.VIEW_CHARITY)
    return Project.objects.visible_to(actor).select_related("charity").annotate(spent_fen=Sum("spendings__amount_fen"))


def list_trusts_for(actor: Actor):
    actor.require(CharityPerm.VIEW_CHARITY)
    return Trust.objects.visible_to(actor)


def overdue_duties_for(actor: Actor, on: dt.date | None = None):
    """Disclosure duties past their deadline and not yet published, oldest first."""
    actor.require(CharityPerm.VIEW_CHARITY)
    day = on or clock.today()
    return DisclosureDuty.objects.visible_to(actor).filter(done_on__isnull=True, due_on__lt=day).select_related("charity").order_by("due_on", "id")


def open_duties_for(actor: Actor):
    actor.require(CharityPerm.VIEW_CHARITY)
    return DisclosureDuty.objects.visible_to(actor).filter(done_on__isnull=True).select_related("charity").order_by("due_on", "id")


def donations_by_month(actor: Actor, year: int) -> list[dict]:
    """Twelve rows: month, donations, cash fen, in-kind fen, total fen."""
    rows = {
        r["m"]: r
        for r in list_donations_for(actor, year=year).annotate(m=ExtractMonth("received_on")).values("m").order_by("m")
        .annotate(cash=Sum("amount_fen"), goods=Sum("in_kind_value_fen"), n=Count("id"))
    }  # fmt: skip
    out = []
    for m in range(1, 13):
        r = rows.get(m, {})
        cash, goods = r.get("cash") or 0, r.get("goods") or 0
        out.append({"month": f"{year}-{m:02d}", "count": r.get("n") or 0, "cash_fen": cash, "in_kind_fen": goods, "total_fen": cash + goods})
    return out
