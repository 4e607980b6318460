"""Forms of the child-welfare screens: they parse and show errors; the rules are the actions'."""

from __future__ import annotations

from django import forms

from minzheng.children.enums import (
    AdmissionReason,
    CareMeasure,
    Category,
    Condition,
    DischargeReason,
    DocumentKind,
    RECOGNITION_DOCUMENTS,
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
    WorkerRole,
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
    documents = forms.MultipleChoiceField(label="已收取材料", choices=[(d.value, d.label) for d in RECOGNITION_DOCUMENTS],
                                          widget=forms.CheckboxSelectMultiple, required=False,
                                          help_text="乡镇审核前须齐全：孤儿须有父母死亡或宣告死亡、失踪的证明，事实无人抚养儿童须有父母情形的证明")


class DocumentsForm(forms.Form):
    documents = forms.MultipleChoiceField(label="补充材料", choices=[(d.value, d.label) for d in RECOGNITION_DOCUMENTS],
                                          widget=forms.CheckboxSelectMultiple, error_messages=REQUIRED)


class CaseDocumentsForm(forms.Form):
    documents = forms.MultipleChoiceField(label="登记材料", choices=[(DocumentKind.COURT_JUDGMENT.value, DocumentKind.COURT_JUDGMENT.label)],
                                          widget=forms.CheckboxSelectMultiple, error_messages=REQUIRED)


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


class ChangeForm(forms.Form):
    """养育方式或监护人变更 of a recognised child (the allowance re-evaluated by the engine)."""

    placement = forms.ChoiceField(label="养育方式", choices=Placement.choices, error_messages=REQUIRED)
    guardian_id_number = forms.CharField(label="监护人身份证号码", max_length=18, required=False, help_text="散居儿童必填（基本生活费领款人）")
    guardian_relation = forms.CharField(label="监护人与儿童关系", max_length=20, required=False)
    guardian_status = forms.ChoiceField(label="监护人状况", choices=[("", "—")] + GuardianStatus.choices, required=False)
    reason = forms.CharField(label="变更原因", max_length=200, required=False)


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
    person_id = forms.IntegerField(required=False, widget=forms.HiddenInput)  # from the child's file
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


DATE_ERRORS = {**REQUIRED, "invalid": "日期格式应为 YYYY-MM-DD"}


class InstitutionForm(forms.Form):
    name = forms.CharField(label="机构名称", max_length=80, error_messages=REQUIRED)
    division_code = forms.CharField(label="所在村（社区）代码", max_length=12, error_messages=REQUIRED)
    address = forms.CharField(label="地址", max_length=120, required=False)
    floor_area_m2 = forms.IntegerField(label="建筑面积（平方米）", min_value=0, required=False, error_messages={"invalid": "请填写整数", "min_value": "不能小于0"})
    beds = forms.IntegerField(label="床位数", min_value=1, error_messages={**REQUIRED, "invalid": "请填写整数", "min_value": "床位数应大于0"})
    opened_on = forms.DateField(label="投入使用日期", required=False, error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})


class AdmitForm(forms.Form):
    id_number = forms.CharField(label="儿童身份证号码", max_length=18, error_messages=REQUIRED)
    admission_reason = forms.ChoiceField(label="入院原因", choices=AdmissionReason.choices, error_messages=REQUIRED)
    admitted_on = forms.DateField(label="入院日期", error_messages=DATE_ERRORS)
    admission_note = forms.CharField(label="入院说明", max_length=300, required=False)


class DischargeForm(forms.Form):
    discharge_reason = forms.ChoiceField(label="离院原因", choices=DischargeReason.choices, error_messages=REQUIRED)
    discharged_on = forms.DateField(label="离院日期", error_messages=DATE_ERRORS)
    discharge_note = forms.CharField(label="离院说明", max_length=300, required=False)


class AssessmentForm(forms.Form):
    assessed_on = forms.DateField(label="评估日期", error_messages=DATE_ERRORS)
    safety = forms.ChoiceField(label="安全处境", choices=Condition.choices, widget=forms.RadioSelect, error_messages=REQUIRED)
    guardianship = forms.ChoiceField(label="监护情况", choices=Condition.choices, widget=forms.RadioSelect, error_messages=REQUIRED)
    health = forms.ChoiceField(label="身心健康", choices=Condition.choices, widget=forms.RadioSelect, error_messages=REQUIRED)
    risk_level = forms.ChoiceField(label="风险等级", choices=RiskLevel.choices, error_messages=REQUIRED)
    findings = forms.CharField(label="评估情况", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)


class CarePlanForm(forms.Form):
    measures = forms.MultipleChoiceField(label="关爱服务措施", choices=CareMeasure.choices, widget=forms.CheckboxSelectMultiple, error_messages=REQUIRED)
    detail = forms.CharField(label="服务内容", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    responsible = forms.CharField(label="责任人", max_length=50, required=False)
    review_on = forms.DateField(label="复评日期", error_messages=DATE_ERRORS)


class VisitForm(forms.Form):
    """A visit to a left-behind child, recorded through discovery's 走访 action."""

    visited_at = forms.DateTimeField(label="走访时间", error_messages={**REQUIRED, "invalid": "时间格式应为 YYYY-MM-DD HH:MM"},
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label="走访地点", max_length=100, required=False)
    findings = forms.CharField(label="走访情况", widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)
    risk_level_after = forms.ChoiceField(label="走访后风险等级", choices=RiskLevel.choices, error_messages=REQUIRED)
    needs_follow_up = forms.BooleanField(label="需要跟进", required=False)
    follow_up = forms.CharField(label="跟进措施", max_length=300, required=False)


class WorkerForm(forms.Form):
    role = forms.ChoiceField(label="类别", choices=WorkerRole.choices, error_messages=REQUIRED)
    division_code = forms.CharField(label="乡镇（街道）或村（社区）代码", max_length=12, error_messages=REQUIRED)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    appointed_on = forms.DateField(label="任职日期", error_messages=DATE_ERRORS)


class TrainingForm(forms.Form):
    on = forms.DateField(label="培训日期", error_messages=DATE_ERRORS)
    topic = forms.CharField(label="培训内容", max_length=100, required=False)
    hours = forms.IntegerField(label="学时", min_value=1, error_messages={**REQUIRED, "invalid": "请填写整数", "min_value": "培训学时应大于0"})
