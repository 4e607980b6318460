"""Forms with Chinese labels; the actions' ``{field: message}`` errors land on the same fields."""

from __future__ import annotations

from django import forms

from minzheng.referrals.enums import DiagnosisCategory, ReferralKind, ReferralOutcome, RehabStatus


class DateInput(forms.DateInput):
    input_type = "date"


def _choices(choices, blank="请选择"):
    return [("", blank), *choices]


class ReferralForm(forms.Form):
    person = forms.ChoiceField(label="转介对象", required=False)
    kind = forms.ChoiceField(label="转介类别", choices=_choices(ReferralKind.choices), required=False)
    receiving_unit = forms.ChoiceField(label="接收单位", required=False)
    deadline_on = forms.DateField(label="反馈期限", required=False, widget=DateInput,
                                  error_messages={"invalid": "请按 年-月-日 填写日期"})
    reason = forms.CharField(label="转介事由", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, members=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "全户"), *((str(p.pk), f"{p.name}（{p.id_number_masked}）") for p in members)]
        self.fields["receiving_unit"].choices = [
            ("", "请选择"),
            *((str(u.pk), f"{u.get_kind_display()} · {u.name}{'（参数待确认）' if u.provisional else ''}") for u in units),
        ]


class ReceiveForm(forms.Form):
    receiver_name = forms.CharField(label="接收人", required=False, max_length=50)
    received_on = forms.DateField(label="接收日期", required=False, widget=DateInput,
                                  error_messages={"invalid": "请按 年-月-日 填写日期"})


class FeedbackForm(forms.Form):
    outcome = forms.ChoiceField(label="办理结果", choices=_choices(ReferralOutcome.choices), required=False)
    feedback = forms.CharField(label="反馈意见", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤回原因", required=False)


class ReceivingUnitForm(forms.Form):
    kind = forms.ChoiceField(label="转介类别", choices=_choices(ReferralKind.choices), required=False)
    name = forms.CharField(label="接收单位名称", required=False)
    contact = forms.CharField(label="联系科室或电话", required=False)


class RehabFileForm(forms.Form):
    diagnosis = forms.ChoiceField(label="诊断类别", choices=_choices(DiagnosisCategory.choices), required=False)
    guardian_name = forms.CharField(label="监护人", required=False)
    guardian_relation = forms.CharField(label="与本人关系", required=False)
    guardian_phone = forms.CharField(label="监护人电话", required=False)
    institution = forms.CharField(label="康复机构", required=False)


class RehabServiceForm(forms.Form):
    served_on = forms.DateField(label="服务日期", required=False, widget=DateInput,
                                error_messages={"invalid": "请按 年-月-日 填写日期"})
    content = forms.CharField(label="服务内容", required=False)
    provider = forms.CharField(label="服务提供方", required=False)


class RehabCloseForm(forms.Form):
    reason = forms.CharField(label="结束原因", required=False)


class RehabSearchForm(forms.Form):
    q = forms.CharField(label="姓名", required=False, max_length=20)
    status = forms.ChoiceField(label="状态", choices=_choices(RehabStatus.choices, "全部"), required=False)
