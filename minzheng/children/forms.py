"""Forms of the child-welfare screens: they parse and show errors; the rules are the actions'."""

from __future__ import annotations

from django import forms

from minzheng.children.enums import Category, EndReason, Ground, GuardianStatus, Outcome, Placement, ReviewOutcome, Schooling, Source

REQUIRED = {"required": "此项为必填项"}


class RecognitionForm(forms.Form):
    category = forms.ChoiceField(label="儿童类别", choices=Category.choices, error_messages=REQUIRED)
    source = forms.ChoiceField(label="来源", choices=[(Source.APPLICATION, Source.APPLICATION.label), (Source.DISCOVERY, Source.DISCOVERY.label)], error_messages=REQUIRED)
    grounds = forms.MultipleChoiceField(label="认定情形", choices=Ground.choices, widget=forms.CheckboxSelectMultiple, error_messages=REQUIRED)
    placement = forms.ChoiceField(label="养育方式", choices=Placement.choices, error_messages=REQUIRED)
    guardian_id_number = forms.CharField(label="监护人身份证号码", max_length=18, required=False, help_text="散居孤儿、事实无人抚养儿童必填（基本生活费领款人）")
    guardian_relation = forms.CharField(label="监护人与儿童关系", max_length=20, required=False)
    guardian_status = forms.ChoiceField(label="监护人状况", choices=[("", "—")] + GuardianStatus.choices, required=False)
    situation = forms.CharField(label="基本情况", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label="审核意见", choices=Outcome.choices, widget=forms.RadioSelect, error_messages=REQUIRED)
    opinion = forms.CharField(label="意见或理由", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label="认定结论", choices=Outcome.choices, widget=forms.RadioSelect, error_messages=REQUIRED)
    reasons = forms.CharField(label="理由（不予认定时必填）", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=200)


class EndForm(forms.Form):
    end_reason = forms.ChoiceField(label="终止原因", choices=EndReason.choices, error_messages=REQUIRED)
    note = forms.CharField(label="终止说明", required=False, max_length=200)


class ChildReviewForm(forms.Form):
    outcome = forms.ChoiceField(label="复核结果", choices=ReviewOutcome.choices, widget=forms.RadioSelect, error_messages=REQUIRED)
    note = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class StationForm(forms.Form):
    division_code = forms.CharField(label="乡镇（街道）代码", max_length=9, error_messages=REQUIRED)
    name = forms.CharField(label="工作站名称", max_length=80, error_messages=REQUIRED)
    established_on = forms.DateField(label="设立日期", error_messages={**REQUIRED, "invalid": "日期格式应为 YYYY-MM-DD"})
    staff_count = forms.IntegerField(label="工作人员数", min_value=0, error_messages={**REQUIRED, "invalid": "请填写整数", "min_value": "不能小于0"})
    premises_m2 = forms.IntegerField(label="场所面积（平方米）", min_value=0, error_messages={**REQUIRED, "invalid": "请填写整数", "min_value": "不能小于0"})
    address = forms.CharField(label="地址", max_length=120, required=False)


class ProfileForm(forms.Form):
    school = forms.CharField(label="就读学校", max_length=80, required=False)
    grade = forms.CharField(label="年级", max_length=20, required=False)
    schooling = forms.ChoiceField(label="就学状况", choices=Schooling.choices, error_messages=REQUIRED)
    health = forms.CharField(label="健康状况", max_length=200, required=False)
    notes = forms.CharField(label="其他情况", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
