"""Forms of the registry's screens: they parse and show errors; the rules are the actions'."""

from __future__ import annotations

from django import forms

from minzheng.marriage.enums import (
    AmendmentKind,
    AppointmentKind,
    CancellationBasis,
    CertificateKind,
    CorrectionField,
    CounsellingOutcome,
    DocumentKind,
    JudgmentKind,
    Party,
    PriorStatus,
    SessionKind,
)
from minzheng.registry.enums import Relation
from minzheng.registry.picker import PersonPickerField

REQUIRED = {"required": "此项为必填项"}
DATE = forms.DateInput(attrs={"type": "date"})
INT = {**REQUIRED, "invalid": "请填写整数", "min_value": "数值过小", "max_value": "数值过大"}


def _choices(enum, blank="请选择"):
    return [("", blank)] + enum.choices


class BookingForm(forms.Form):
    slot = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "请选择时段", "invalid": "请选择时段"})
    kind = forms.ChoiceField(label="办理事项", choices=_choices(AppointmentKind), error_messages=REQUIRED)
    man_name = forms.CharField(label="男方姓名", max_length=50, error_messages=REQUIRED)
    woman_name = forms.CharField(label="女方姓名", max_length=50, error_messages=REQUIRED)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)


class SlotsForm(forms.Form):
    office = forms.ChoiceField(label="登记处", error_messages=REQUIRED)
    day = forms.DateField(label="日期", widget=DATE, error_messages={**REQUIRED, "invalid": "请填写有效日期"})
    times = forms.CharField(label="时段", initial="09:00-10:00,10:00-11:00,14:00-15:00,15:00-16:00", help_text="多个时段用逗号分隔，如 09:00-10:00,10:00-11:00", error_messages=REQUIRED)
    capacity = forms.IntegerField(label="每个时段可预约对数", min_value=1, max_value=200, initial=10, error_messages=INT)


class MarriageForm(forms.Form):
    man_person = PersonPickerField(label="男方（本区在册人员）", required=False)
    man_name = forms.CharField(label="男方姓名（非在册人员）", max_length=50, required=False)
    man_id_number = forms.CharField(label="男方身份证号码（非在册人员）", max_length=20, required=False)
    man_prior = forms.ChoiceField(label="男方婚姻状况", choices=PriorStatus.choices, initial=PriorStatus.SINGLE)
    woman_person = PersonPickerField(label="女方（本区在册人员）", required=False)
    woman_name = forms.CharField(label="女方姓名（非在册人员）", max_length=50, required=False)
    woman_id_number = forms.CharField(label="女方身份证号码（非在册人员）", max_length=20, required=False)
    woman_prior = forms.ChoiceField(label="女方婚姻状况", choices=PriorStatus.choices, initial=PriorStatus.SINGLE)
    both_present = forms.BooleanField(label="双方亲自到场，已核验居民身份证", required=False)
    voluntary = forms.BooleanField(label="双方完全自愿", required=False)
    declaration_signed = forms.BooleanField(label="双方已签署《申请结婚登记声明书》（无配偶、无禁止结婚的亲属关系）", required=False)
    no_prohibited_relation = forms.BooleanField(label="双方无直系血亲和三代以内旁系血亲关系", required=False)
    ceremony = forms.BooleanField(label="举行颁证仪式", required=False)
    appointment = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EmptyForm(forms.Form):
    pass


class OpinionForm(forms.Form):
    opinion = forms.CharField(label="不予登记理由（登记机关意见）", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, error_messages=REQUIRED)


class WithdrawForm(forms.Form):
    party = forms.ChoiceField(label="撤回申请的一方", choices=_choices(Party), error_messages=REQUIRED)


class DivorceRegisterForm(forms.Form):
    both_present = forms.BooleanField(label="双方亲自到场，共同申请发给离婚证", required=False)


class DivorceForm(forms.Form):
    marriage = forms.IntegerField(widget=forms.HiddenInput, required=False)
    marriage_certificate = forms.CharField(label="结婚证字号（外地登记的婚姻）", max_length=32, required=False)
    man_person = PersonPickerField(label="男方（本区在册人员）", required=False)
    man_name = forms.CharField(label="男方姓名（非在册人员）", max_length=50, required=False)
    man_id_number = forms.CharField(label="男方身份证号码（非在册人员）", max_length=20, required=False)
    woman_person = PersonPickerField(label="女方（本区在册人员）", required=False)
    woman_name = forms.CharField(label="女方姓名（非在册人员）", max_length=50, required=False)
    woman_id_number = forms.CharField(label="女方身份证号码（非在册人员）", max_length=20, required=False)
    agreement_children = forms.CharField(label="离婚协议：子女抚养", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    agreement_property = forms.CharField(label="离婚协议：财产处理", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    agreement_debts = forms.CharField(label="离婚协议：债务处理", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    refer_counselling = forms.BooleanField(label="转介婚姻家庭辅导", required=False)


class AmendmentForm(forms.Form):
    kind = forms.ChoiceField(label="事项", choices=_choices(AmendmentKind), error_messages=REQUIRED)
    marriage = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "请选择本处的结婚登记"})
    applicant = forms.CharField(label="申请人或来文单位", max_length=100, required=False)
    certificate_kind = forms.ChoiceField(label="补领证件", choices=_choices(CertificateKind), required=False)
    correction_field = forms.ChoiceField(label="更正项目", choices=_choices(CorrectionField), required=False)
    new_value = forms.CharField(label="更正后内容", max_length=100, required=False)
    basis = forms.ChoiceField(label="撤销依据", choices=_choices(CancellationBasis), required=False)
    judgment_kind = forms.ChoiceField(label="判决结果", choices=_choices(JudgmentKind), required=False)
    effective_on = forms.DateField(label="判决生效日期", widget=DATE, required=False, error_messages={"invalid": "请填写有效日期"})
    authority = forms.CharField(label="作出机关", max_length=100, required=False)
    document_number = forms.CharField(label="文书编号/案号", max_length=64, required=False)
    description = forms.CharField(label="情况说明", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)
    documents = forms.MultipleChoiceField(label="已收材料", choices=DocumentKind.choices, widget=forms.CheckboxSelectMultiple, required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="材料", choices=_choices(DocumentKind), error_messages=REQUIRED)
    reference = forms.CharField(label="文号/说明", max_length=100, required=False)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label="辅导结果", choices=[("", "请选择")] + [c for c in CounsellingOutcome.choices if c[0] != "pending"], error_messages=REQUIRED)
    note = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000)


class SessionForm(forms.Form):
    held_on = forms.DateField(label="服务日期", widget=DATE, error_messages={**REQUIRED, "invalid": "请填写有效日期"})
    kind = forms.ChoiceField(label="服务类型", choices=_choices(SessionKind), error_messages=REQUIRED)
    people = forms.IntegerField(label="服务人数", min_value=1, max_value=500, error_messages=INT)
    counsellor = forms.CharField(label="辅导员", max_length=50, error_messages=REQUIRED)
    topic = forms.CharField(label="主题", max_length=200, required=False)


class HouseholdChangeForm(forms.Form):
    mover = forms.ChoiceField(label="迁入的一方", choices=[("", "请选择"), ("man", "男方迁入女方家庭"), ("woman", "女方迁入男方家庭")], error_messages=REQUIRED)
    relation = forms.ChoiceField(
        label="迁入后与户主的关系", choices=[(v, l) for v, l in Relation.choices if v != Relation.HEAD], initial=Relation.SPOUSE,
        help_text="对方是户主的选“配偶”；对方的父母是户主的选“儿媳/女婿”", error_messages=REQUIRED,
    )
