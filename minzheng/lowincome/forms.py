"""Forms of the 低收入人口 screens. They only collect text (no field is required here): the
actions validate and name every bad field at once in Chinese, so the API and the screens give the
same messages."""

from __future__ import annotations

from django import forms

from minzheng.lowincome.enums import FigureName, Origin, Outcome, RecognitionKind


class FigureForm(forms.Form):
    parameter = forms.ChoiceField(label="指标", choices=FigureName.choices)
    year = forms.CharField(label="统计年度", required=False, max_length=4, widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "如 2025"}))
    value = forms.CharField(label="数值（元/人·年）", required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    document_number = forms.CharField(label="文号", required=False, max_length=100, help_text="发布该数据的文件文号或公报名称")
    document_date = forms.CharField(label="发布日期", required=False, max_length=10, widget=forms.DateInput(attrs={"type": "date"}))
    correction_reason = forms.CharField(label="更正说明", max_length=200, required=False, help_text="更正已录入的年度数据时填写")


class PriceIndexForm(forms.Form):
    period = forms.CharField(label="指数月份", required=False, max_length=7, widget=forms.TextInput(attrs={"type": "month"}))
    cpi_yoy = forms.CharField(label="居民消费价格指数（CPI）同比涨幅（%）", required=False, max_length=10, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    food_cpi_yoy = forms.CharField(label="食品价格指数同比涨幅（%）", required=False, max_length=10, widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    source = forms.CharField(label="数据来源", required=False, max_length=200, help_text="如：重庆市统计局 2026年11月居民消费价格数据")


class RecognitionForm(forms.Form):
    kind = forms.ChoiceField(label="认定类别", choices=RecognitionKind.choices)
    origin = forms.ChoiceField(label="来源", choices=Origin.choices)
    reason = forms.CharField(label="申请理由/发现情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CheckForm(forms.Form):
    notes = forms.CharField(label="核对说明", required=False, max_length=200)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label="认定意见", choices=Outcome.choices, widget=forms.RadioSelect)
    note = forms.CharField(label="意见/理由", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


STEP_FORMS = {"check": CheckForm, "decide": DecideForm, "return": ReasonForm, "end": ReasonForm}
STEP_LABELS = {"check": "家庭经济状况核对", "decide": "乡镇认定", "return": "退回", "end": "终止认定"}
