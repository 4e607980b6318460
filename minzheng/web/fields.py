"""Form fields every module shares: a month picked with the browser's month picker.

``MonthField`` renders ``<input type="month">`` (browsers without a picker show a text box and
the user types 2026-12) and cleans through ``core.periods.parse_period``: the value is the
'YYYY-MM' string, and a wrong month gets parse_period's Chinese message next to the field.
"""

from __future__ import annotations

from django import forms

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
