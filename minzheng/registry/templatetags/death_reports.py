"""``{% death_report_panel person %}``: the person's death reports on the person page (ADR 0004)."""

from __future__ import annotations

from django import template

from minzheng.accounts.permissions import Perm
from minzheng.registry.selectors import death_reports_of

register = template.Library()


@register.inclusion_tag("registry/_death_reports.html", takes_context=True)
def death_report_panel(context, person):
    request = context.get("request")
    actor = getattr(request, "actor", None)
    reports = []
    for report in death_reports_of(person)[:10]:
        effects = [e for step in ("report", "confirm", "refute") for e in (report.effects or {}).get(step, [])]
        reports.append({"report": report, "effects": effects})
    return {
        "person": person,
        "reports": reports,
        "can_decide": bool(actor and actor.has(Perm.EDIT_REGISTRY)),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request else "",
    }
