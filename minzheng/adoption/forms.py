"""Forms of the adoption screens: they parse and show errors; the rules are the actions'."""

from __future__ import annotations

from django import forms

from minzheng.adoption.enums import (
    ASSESSMENT_SECTIONS,
    AssessmentBody,
    Conclusion,
    DissolutionGround,
    DocumentKind,
    Kind,
    Placer,
)
from minzheng.registry.picker import PersonPickerField

REQUIRED = {"required": "此项为必填项"}
DATE = forms.DateInput(attrs={"type": "date"})
APPLY_DOCUMENTS = [(k.value, k.label) for k in DocumentKind if k != DocumentKind.DISSOLUTION]


class ApplicationForm(forms.Form):
    child = PersonPickerField(label="被收养人")
    kind = forms.ChoiceField(label="被收养人情形", choices=[("", "请选择")] + Kind.choices, error_messages=REQUIRED)
    placer = forms.ChoiceField(label="送养人", choices=[("", "请选择")] + Placer.choices, error_messages=REQUIRED)
    placer_name = forms.CharField(label="送养人或儿童福利机构名称", max_length=100, error_messages=REQUIRED)
    adopter = PersonPickerField(label="收养人")
    adopter_has_spouse = forms.BooleanField(label="收养人有配偶", required=False)
    co_adopter = PersonPickerField(label="共同收养人（配偶）", required=False, help_text="有配偶者收养子女，应当夫妻共同收养；继父母收养继子女时不填")
    birth_children = forms.IntegerField(label="收养人现有子女数（不含收养）", min_value=0, max_value=20, initial=0, error_messages={**REQUIRED, "min_value": "请填写0或正整数", "max_value": "请核对子女数", "invalid": "请填写整数"})
    adopted_children = forms.IntegerField(label="收养人已收养子女数", min_value=0, max_value=20, initial=0, error_messages={**REQUIRED, "min_value": "请填写0或正整数", "max_value": "请核对子女数", "invalid": "请填写整数"})
    unsuitable_disease = forms.BooleanField(label="体检证明载明患有医学上认为不应当收养子女的疾病", required=False)
    criminal_record = forms.BooleanField(label="有不利于被收养人健康成长的违法犯罪记录", required=False)
    placer_agrees = forms.BooleanField(label="送养人（生父母）同意送养", required=False, initial=True)
    child_consents = forms.BooleanField(label="被收养人（8周岁以上）书面同意被收养", required=False)
    situation = forms.CharField(label="收养人基本情况", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    documents = forms.MultipleChoiceField(label="已收材料", choices=APPLY_DOCUMENTS, widget=forms.CheckboxSelectMultiple, required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="补交材料", choices=[("", "请选择")] + DocumentKind.choices, error_messages=REQUIRED)
    note = forms.CharField(label="说明", max_length=200, required=False)


class EmptyForm(forms.Form):
    pass


class AssessmentForm(forms.Form):
    body = forms.ChoiceField(label="评估主体", choices=AssessmentBody.choices, error_messages=REQUIRED)
    organisation = forms.CharField(label="受委托机构名称", max_length=100, required=False)
    assessors = forms.CharField(label="评估人员", max_length=200, required=False, help_text="姓名之间用顿号或逗号分隔")
    started_on = forms.DateField(label="评估开始日期", widget=DATE, error_messages={**REQUIRED, "invalid": "请填写正确的日期"})
    reported_on = forms.DateField(label="报告日期", widget=DATE, error_messages={**REQUIRED, "invalid": "请填写正确的日期"})
    conclusion = forms.ChoiceField(label="评估结论", choices=[("", "请选择")] + Conclusion.choices, error_messages=REQUIRED)
    summary = forms.CharField(label="评估意见", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, error_messages=REQUIRED)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in ASSESSMENT_SECTIONS:
            self.fields[key] = forms.CharField(label=label, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000, required=False)

    def assessors_list(self) -> list[str]:
        text = self.cleaned_data.get("assessors", "")
        for sep in ("，", ",", "；", ";", " "):
            text = text.replace(sep, "、")
        return [a for a in text.split("、") if a.strip()]


class RefuseForm(forms.Form):
    opinion = forms.CharField(label="登记机关意见", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000, help_text="未满足的收养条件由系统逐项列明；各项条件均符合时须写明理由")


class ReasonForm(forms.Form):
    reason = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class DissolveForm(forms.Form):
    ground = forms.ChoiceField(label="解除情形", choices=[("", "请选择")] + DissolutionGround.choices, error_messages=REQUIRED)
    reason = forms.CharField(label="解除收养关系的情况", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="回访日期", widget=DATE, error_messages={**REQUIRED, "invalid": "请填写正确的日期"})
    note = forms.CharField(label="回访情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, error_messages=REQUIRED)
