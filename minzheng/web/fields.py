"""Form fields every module shares: a month picked with the browser's month picker.

``MonthField`` renders ``<input type="month">`` (browsers without a picker show a text box and
the user types 2026-12) and cleans through ``core.periods.parse_period``: the value is the
'YYYY-MM' string, and a wrong month gets parse_period's Chinese message next to the field.
"""

from __future__ import annotations

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from minzheng.core.periods import PeriodError, parse_period, period_of


class MonthInput(forms.TextInput):
    input_type = "month"


class MonthField(forms.CharField):
    widget = MonthInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        super().__init__(**kwargs)

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return text
        try:
            return period_of(parse_period(text.strip()))
        except PeriodError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from exc


class LongSelect(forms.Select):
    """A select of hundreds of options (the district's 433 villages) rendered in one pass: the
    same markup as ``forms.Select``, without a template rendered per option (~0.3 s a page)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]

        def options(group):
            return format_html_join(
                "", '<option value="{}"{}>{}</option>', ((o["value"], mark_safe(" selected" if o["selected"] else ""), o["label"]) for o in group)
            )  # fmt: skip

        body = format_html_join(
            "", "{}", ((format_html('<optgroup label="{}">{}</optgroup>', group_name, options(group)) if group_name else options(group),) for group_name, group, _ in widget["optgroups"])
        )  # fmt: skip
        return format_html('<select name="{}"{}>{}</select>', widget["name"], flatatt(widget["attrs"]), body)
