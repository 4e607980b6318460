"""Template helpers shared by every module (loaded as a builtin)."""

from __future__ import annotations

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html

from minzheng.accounts.names import display_name_of
from minzheng.core.citations import parse_citation
from minzheng.core.money import (
    MoneyFormatError,
    format_yuan,
    to_decimal,
    yuan_to_fen_rounded,
)
from minzheng.divisions.directory import get_directory

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


# ---- numbers, dates, people and citations: one way across the platform -------------------------
# Dates read 2026-12-04 everywhere (settings.DATE_FORMAT "Y-m-d"); months 2026-12; times 09:00.


@register.filter
def money(amount) -> str:
    """A yuan amount (Decimal, int or numeric text) → '18,480.00'; '' for None."""
    if amount is None or amount == "":
        return ""
    try:
        return format_yuan(yuan_to_fen_rounded(to_decimal(amount)))
    except MoneyFormatError:
        return str(amount)


@register.filter
def count(value) -> str:
    """A count → '22,968' (thousands separators); '' for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return f"{int(value):,}"
    return str(value)  # not a whole number: shown as it is, never truncated


@register.filter
def day(value) -> str:
    """A date or datetime → '2026-12-04' (the platform's one date format); '' for None."""
    if not value:
        return ""
    return date_format(value, "Y-m-d")


@register.filter
def person_name(value) -> str:
    """Who acted, as people read it: a User/Actor → their name; a stored username → the
    account's name; 'system' or empty → 系统. Never a login name."""
    return display_name_of(value)


@register.filter
def citation(reference) -> str:
    """A parameter's reference → 文号 and title, with the source link behind the text."""
    parsed = parse_citation(reference)
    if not parsed.text:
        return ""
    if parsed.url:
        return format_html('<a href="{}" target="_blank" rel="noopener noreferrer">{}</a>', parsed.url, parsed.text)
    return parsed.text
