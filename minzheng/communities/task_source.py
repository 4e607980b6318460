"""Committee terms ending within 90 days on the workbench (issue 19): one item per village
whose sitting committee's term ends soon (or has ended) with no certified election since."""

from __future__ import annotations

import datetime as dt

from django.db.models import Min
from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.cases.tasks import FeedContext, SourceResult, register_task_source
from minzheng.communities.selectors import terms_ending_for
from minzheng.divisions.directory import get_directory


def terms_ending(actor: Actor, context: FeedContext) -> SourceResult | None:
    rows = list(terms_ending_for(actor, today=context.today).values("division_code").annotate(end=Min("term_end")).order_by("end", "division_code"))
    if not rows:
        return None
    directory = get_directory()
    items = [
        context.item(label="村（居）委会换届", title=f"{directory.name(r['division_code'])} 村（居）委会任期届满",
                     step=f"任期{r['end'].isoformat()}届满，请组织换届选举",
                     url=reverse("communities:village", args=[r["division_code"]]), deadline=r["end"], actions=("查看",))
        for r in rows[: context.limit]
    ]  # fmt: skip
    near = sum(1 for r in rows if context.today <= r["end"] <= context.today + dt.timedelta(days=90))
    overdue = sum(1 for r in rows if r["end"] < context.today)
    return SourceResult(label="村（居）委会任期届满", total=len(rows), overdue=overdue, near=near, items=items,
                        url=reverse("communities:home"))  # fmt: skip


def register() -> None:
    register_task_source("communities.terms", terms_ending)
