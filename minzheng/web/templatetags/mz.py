"""Template helpers shared by every module (loaded as a builtin)."""

from __future__ import annotations


from django import template
from django.utils.html import format_html

from minzheng.divisions.directory import get_directory
from minzheng.core.money import format_yuan

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """Integer fen → '1,234.50' (exact: no float)."""
    if fen is None or fen == "":
        return ""
    return format_yuan(int(fen))


@register.filter
def division_name(code: str) -> str:
    return get_directory().name(code or "")


@register.filter
def division_path(code: str) -> str:
    return get_directory().path_name(code or "")


@register.simple_tag
def badge(text: str, tone: str = "neutral"):
    """Status badge; tone is one of ok, warn, danger, info, neutral."""
    return format_html('<span class="badge badge-{}">{}</span>', tone, text)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
