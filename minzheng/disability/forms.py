"""Forms of the 两项补贴 screens: they parse and show errors; the rules are the actions'."""

from __future__ import annotations

from django import forms

from minzheng.disability.enums import EndReason, Outcome, ReviewOutcome, Subsidy
from minzheng.registry.enums import DisabilityCategory

REQUIRED = {"required": "此项为必填项"}
DATE = {"required": "此项为必填项", "invalid": "请输入有效的日期，如 2026-03-05"}
GRADE = {"invalid": "残疾等级须为一级至四级"}


class CertificateFields(forms.Form):
    certificate_number = forms.CharField(label="残疾人证号", max_length=20, required=False, help_text="第二代残疾人证，20位")
    certificate_category = forms.ChoiceField(label="残疾类别", choices=[("", "—")] + DisabilityCategory.choices, required=False)
    certificate_grade = forms.IntegerField(label="残疾等级", required=False, error_messages=GRADE, help_text="填1至4")
    certificate_issued_on = forms.DateField(label="发证日期", required=False, error_messages=DATE, widget=forms.DateInput(attrs={"type": "date"}))


class ApplicationForm(CertificateFields):
    subsidy = forms.ChoiceField(label="补贴项目", choices=Subsidy.choices, error_messages=REQUIRED)
    certificate_checked = forms.BooleanField(label="已核验残疾人证原件", required=False)
    situation = forms.CharField(label="基本情况", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)

    field_order = ["subsidy", "certificate_number", "certificate_category", "certificate_grade", "certificate_issued_on", "certificate_checked", "situation"]


class CertificateForm(CertificateFields):
    pass


class GradeChangeForm(CertificateFields):
    note = forms.CharField(label="说明", required=False, max_length=200)


class EmptyForm(forms.Form):
    pass


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label="审核意见", choices=Outcome.choices, widget=forms.RadioSelect, error_messages=REQUIRED)
    opinion = forms.CharField(label="意见或理由", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label="审批结论", choices=[(Outcome.APPROVE, "批准"), (Outcome.REFUSE, "不予批准")], widget=forms.RadioSelect, error_messages=REQUIRED)
    reasons = forms.CharField(label="理由（不予批准时必填）", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=200)


class EndForm(forms.Form):
    end_reason = forms.ChoiceField(label="停发原因", choices=[("", "请选择")] + EndReason.choices, error_messages=REQUIRED)
    note = forms.CharField(label="停发说明", required=False, max_length=200)


class SubsidyReviewForm(forms.Form):
    outcome = forms.ChoiceField(label="复核结果", choices=ReviewOutcome.choices, widget=forms.RadioSelect, error_messages=REQUIRED)
    note = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)
