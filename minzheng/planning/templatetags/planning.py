"""Template helpers of plan monitoring: the sub-navigation a user may use, figures, statuses."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from minzheng.accounts.permissions import Perm
from minzheng.planning.selectors import fmt

register = template.Library()

LINKS = [
    ("驾驶舱", "planning:dashboard", Perm.VIEW_DASHBOARD, False),
    ("指标与计算方法", "planning:indicators", Perm.VIEW_DASHBOARD, False),
    ("重点项目", "planning:projects", Perm.VIEW_DASHBOARD, False),
    ("指标填报", "planning:entry", Perm.EDIT_INDICATORS, False),
    ("批量导入", "planning:import", Perm.EDIT_INDICATORS, False),
    ("填报审核", "planning:submissions", Perm.EDIT_INDICATORS, False),
    ("评估报告", "planning:reports", Perm.VIEW_DASHBOARD, True),
    ("锁定与参照数据", "planning:settings", Perm.APPROVE_INDICATORS, True),
]


@register.simple_tag(takes_context=True)
def planning_nav(context) -> list[dict]:
    request = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None:
        return []
    out = []
    for label, name, perm, district_only in LINKS:
        if not actor.has(perm) or (district_only and actor.level != "district"):
            continue
        url = reverse(name)
        active = request.path == url if name == "planning:dashboard" else request.path.startswith(url)
        out.append({"label": label, "url": url, "active": active})
    return out


@register.simple_tag
def status_badge(assessment):
    return format_html('<span class="badge badge-{} status-{}" title="{}">{}</span>',
                       assessment.tone, assessment.status, assessment.explanation, assessment.label)


@register.filter
def as_of(ts) -> str:
    """数据截至 time of a figure, in local time."""
    if not ts:
        return "—"
    return timezone.localtime(ts).strftime("%Y-%m-%d %H:%M")


@register.filter
def figure(value, decimals=1) -> str:
    return fmt(value, int(decimals))


@register.filter
def plain(value) -> str:
    """A Decimal without trailing zeros and without exponent: 6000.0000 → 6000, 80.5000 → 80.5."""
    if value is None or value == "":
        return ""
    return f"{value.normalize():f}"
