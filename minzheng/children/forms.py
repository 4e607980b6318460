"""Forms of the child-welfare screens: they parse and show errors; the rules are the actions'."""

from __future__ import annotations

from django import forms

from minzheng.children.enums import (
    Category,
    ClosureReason,
    Department,
    EndReason,
    Ground,
    GuardianStatus,
    HarmKind,
    Intervention,
    LongTermGround,
    Outcome,
    Placement,
    Placement93,
    ReporterKind,
    ReviewOutcome,
    RiskLevel,
    Schooling,
    Source,
    TemporaryGround,
)

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


class ReportForm(forms.Form):
    division_code = forms.CharField(label="发生地村（社区）代码", max_length=12, error_messages=REQUIRED)
    child_name = forms.CharField(label="未成年人姓名", max_length=50, error_messages=REQUIRED)
    child_description = forms.CharField(label="身份不明时的特征", max_length=200, required=False)
    reporter_kind = forms.ChoiceField(label="报告主体", choices=ReporterKind.choices, error_messages=REQUIRED)
    reporter_unit = forms.CharField(label="报告单位", max_length=80, required=False)
    reporter_contact = forms.CharField(label="报告人联系方式（保密）", max_length=40, required=False)
    harm_kinds = forms.MultipleChoiceField(label="侵害或危险情形", choices=HarmKind.choices, widget=forms.CheckboxSelectMultiple, error_messages=REQUIRED)
    description = forms.CharField(label="报告内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, error_messages=REQUIRED)


class AcceptForm(forms.Form):
    emergency_measures = forms.CharField(label="紧急处置措施", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class AssessForm(forms.Form):
    risk_level = forms.ChoiceField(label="风险等级", choices=RiskLevel.choices, error_messages=REQUIRED)
    assessment = forms.CharField(label="调查评估意见", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class InterveneForm(forms.Form):
    intervention = forms.ChoiceField(label="干预方式", choices=Intervention.choices[:2], error_messages=REQUIRED)
    note = forms.CharField(label="干预措施", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class GuardianshipForm(forms.Form):
    intervention = forms.ChoiceField(label="监护类型", choices=Intervention.choices[2:], error_messages=REQUIRED)
    grounds = forms.MultipleChoiceField(label="法定情形", choices=TemporaryGround.choices + LongTermGround.choices, widget=forms.CheckboxSelectMultiple, error_messages=REQUIRED)
    placement = forms.ChoiceField(label="安置方式（临时监护）", choices=[("", "—")] + Placement93.choices, required=False)
    note = forms.CharField(label="说明", required=False, max_length=500)


class ReferForm(forms.Form):
    department = forms.ChoiceField(label="转介部门", choices=Department.choices, error_messages=REQUIRED)
    note = forms.CharField(label="转介事项", required=False, max_length=500)


class FollowUpForm(forms.Form):
    note = forms.CharField(label="回访情况", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=1000)


class CloseForm(forms.Form):
    closure_reason = forms.ChoiceField(label="结案原因", choices=ClosureReason.choices, error_messages=REQUIRED)
    note = forms.CharField(label="说明", required=False, max_length=500)
