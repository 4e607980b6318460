from __future__ import annotations

from django import forms
from django.utils import timezone

from minzheng.discovery.enums import OUTCOMES_BY_TASK, LeftBehindCategory, LeftBehindEndReason, RiskLevel, TaskOutcome
from minzheng.core.photos import MAX_PHOTOS


def _chinese(form: forms.Form) -> None:
    for f in form.fields.values():
        f.error_messages["required"] = "请填写此项"
        f.error_messages["invalid_choice"] = "请选择有效的选项"
        f.error_messages["invalid"] = "格式不正确"


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="办理结果", widget=forms.RadioSelect)
    note = forms.CharField(label="情况说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="选择“无需救助”时必须填写原因")  # fmt: skip

    def __init__(self, *args, task_kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [(o, TaskOutcome(o).label) for o in OUTCOMES_BY_TASK[task_kind]]
        _chinese(self)


class LeftBehindForm(forms.Form):
    id_number = forms.CharField(label="身份证号码", max_length=18, help_text="须为已登记在人员库中的人员")
    category = forms.ChoiceField(label="类别", choices=[("", "请选择"), *LeftBehindCategory.choices])
    risk_level = forms.ChoiceField(label="风险等级", choices=RiskLevel.choices, initial=RiskLevel.MEDIUM)
    guardian = forms.CharField(label="监护人/联系人及关系", max_length=100, required=False, help_text="留守儿童必填，如“祖母 李秀英”")
    situation = forms.CharField(label="基本情况", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _chinese(self)


class EndForm(forms.Form):
    reason = forms.ChoiceField(label="退出原因", choices=[("", "请选择"), *LeftBehindEndReason.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _chinese(self)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class VisitForm(forms.Form):
    visited_at = forms.DateTimeField(
        label="走访时间", input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )  # fmt: skip
    place = forms.CharField(label="走访地点", max_length=100, help_text="如：家中、学校、田间")
    findings = forms.CharField(label="走访情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="生活、健康、安全、监护、心理等情况")  # fmt: skip
    risk_level_after = forms.ChoiceField(label="走访后风险等级", choices=RiskLevel.choices)
    needs_follow_up = forms.BooleanField(label="需要跟进", required=False)
    follow_up = forms.CharField(label="跟进措施", max_length=300, required=False)
    photos = MultipleFileField(label="现场照片", required=False, help_text=f"JPG或PNG，每张不超过5MB，最多{MAX_PHOTOS}张；上传时自动去除拍摄位置等信息")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _chinese(self)
        if not self.is_bound:
            self.initial.setdefault("visited_at", timezone.localtime().replace(second=0, microsecond=0))
