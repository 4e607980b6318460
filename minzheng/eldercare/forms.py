"""Forms of the elderly-care screens: Chinese labels, required fields marked by the shared
field template; the actions validate again and their errors land on the same fields."""

from __future__ import annotations

from django import forms

from minzheng.core import clock
from minzheng.web.fields import MonthField
from minzheng.eldercare.enums import (
    AssessmentReason,
    CheckOutReason,
    FacilityKind,
    FacilityStatus,
    LicenceKind,
    MedicalCapability,
    Ownership,
    RiskLevel,
    ServiceKind,
    SubsidyCategory,
    VisitGroup,
)
from minzheng.eldercare.scoring import DIMENSIONS, ITEMS

# <input type="date"> and "datetime-local" take ISO values only, whatever the locale formats.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REQUIRED = "请填写此项"


def _required_messages(form: forms.Form) -> None:
    for field in form.fields.values():
        field.error_messages.setdefault("required", REQUIRED)
        field.error_messages["required"] = REQUIRED
        field.error_messages["invalid"] = "格式不正确"
        field.error_messages["invalid_choice"] = "请选择有效的选项"


class ChineseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _required_messages(self)

    def add_domain_errors(self, errors: dict[str, str], aliases: dict[str, str] | None = None) -> None:
        """Put an action's {field: message} errors on the matching form fields."""
        aliases = aliases or {}
        for key, message in errors.items():
            name = aliases.get(key, key)
            if name.startswith("items."):
                name = name[len("items.") :]
            self.add_error(name if name in self.fields else None, message)


class AssessmentForm(ChineseForm):
    assessed_on = forms.DateField(label="评估日期", widget=DATE)
    reason = forms.ChoiceField(label="评估原因", choices=[("", "请选择")] + AssessmentReason.choices)
    assessor_1 = forms.CharField(label="评估员1", max_length=50)
    assessor_2 = forms.CharField(label="评估员2", max_length=50, required=False)
    coma = forms.BooleanField(label="昏迷", required=False)
    dementia_or_mental_disorder = forms.BooleanField(
        label="确诊痴呆（F00–F03）或精神科诊断的精神疾病（F04–F99）", required=False
    )
    risk_events_30d = forms.IntegerField(
        label="近30天照护风险事件次数（跌倒、噎食、自杀自伤、走失等）", min_value=0, max_value=99, initial=0
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in ITEMS:
            self.fields[item.code] = forms.TypedChoiceField(
                label=f"{item.label}（0–{item.max_score}）",
                choices=[("", "请选择")] + [(str(v), str(v)) for v in range(item.max_score, -1, -1)],
                coerce=int,
            )
        _required_messages(self)
        if not self.is_bound:
            self.initial.setdefault("assessed_on", clock.today())

    def dimensions(self):
        """Item fields grouped by dimension, for the template."""
        return [(label, [self[i.code] for i in ITEMS if i.dimension == code]) for code, label in DIMENSIONS]

    def general_fields(self):
        return [self[n] for n in ("assessed_on", "reason", "assessor_1", "assessor_2")]

    def adjustment_fields(self):
        return [self[n] for n in ("coma", "dementia_or_mental_disorder", "risk_events_30d")]


class FacilityForm(ChineseForm):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="设施类型", choices=FacilityKind.choices)
    ownership = forms.ChoiceField(label="举办性质", choices=Ownership.choices)
    operator_name = forms.CharField(label="运营方", max_length=100, required=False)
    division_code = forms.CharField(label="所在区划代码（9或12位）", max_length=12)
    address = forms.CharField(label="地址", max_length=200, required=False)
    lon = forms.FloatField(label="经度")
    lat = forms.FloatField(label="纬度")
    beds_total = forms.IntegerField(label="床位总数", min_value=0, initial=0)
    beds_nursing = forms.IntegerField(label="护理型床位", min_value=0, initial=0)
    star_rating = forms.IntegerField(label="星级（0为未评定）", min_value=0, max_value=5, initial=0)
    medical_capability = forms.ChoiceField(label="医疗服务能力", choices=MedicalCapability.choices)
    medical_partner = forms.CharField(label="签约医疗机构", max_length=100, required=False)
    has_rehab = forms.BooleanField(label="具备康复服务能力", required=False)
    licence_kind = forms.ChoiceField(label="许可/备案", choices=LicenceKind.choices)
    licence_number = forms.CharField(label="许可/备案编号", max_length=60, required=False)
    staff_managers = forms.IntegerField(label="管理人员", min_value=0, initial=0)
    staff_carers = forms.IntegerField(label="护理员", min_value=0, initial=0)
    staff_qualified_carers = forms.IntegerField(label="持证护理员", min_value=0, initial=0)
    staff_professionals = forms.IntegerField(label="医护/社工/康复等专业人员", min_value=0, initial=0)
    status = forms.ChoiceField(label="状态", choices=FacilityStatus.choices)
    key_project_ref = forms.CharField(label="重点项目（在建必填）", max_length=40, required=False)
    planned_period = forms.CharField(label="建设期", max_length=20, required=False)
    opened_on = forms.DateField(label="开业日期", widget=DATE, required=False)


class CheckInForm(ChineseForm):
    person_id = forms.IntegerField(label="入住人员编号", widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    checked_in_on = forms.DateField(label="入住日期", widget=DATE)
    bed_number = forms.CharField(label="床号", max_length=20, required=False)
    is_tekun_concentrated = forms.BooleanField(label="特困人员集中供养", required=False)


class CheckOutForm(ChineseForm):
    checked_out_on = forms.DateField(label="退住日期", widget=DATE)
    reason = forms.ChoiceField(label="退住原因", choices=[("", "请选择")] + CheckOutReason.choices)


class OrderRequestForm(ChineseForm):
    service_kind = forms.ChoiceField(label="服务项目", choices=[("", "请选择")] + ServiceKind.choices)
    quantity = forms.IntegerField(label="数量（次/餐）", min_value=1, max_value=60, initial=1)
    category = forms.ChoiceField(label="补贴类别", choices=[("", "请选择")] + SubsidyCategory.choices)
    requested_on = forms.DateField(label="申请日期", widget=DATE)
    note = forms.CharField(label="需求说明", max_length=200, required=False)


class DispatchForm(ChineseForm):
    provider = forms.TypedChoiceField(label="服务商", coerce=int)
    worker_name = forms.CharField(label="服务人员", max_length=50, required=False)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "请选择")] + [(p.pk, p.name) for p in providers]


class LocationForm(ChineseForm):
    at = forms.DateTimeField(label="时间", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"))
    lon = forms.FloatField(label="经度")
    lat = forms.FloatField(label="纬度")


class CompleteForm(LocationForm):
    rating = forms.TypedChoiceField(
        label="评价", required=False, coerce=int, empty_value=None,
        choices=[("", "未评价")] + [(str(i), f"{i}星") for i in range(5, 0, -1)],
    )  # fmt: skip
    rating_comment = forms.CharField(label="评价意见", max_length=200, required=False)


class CancelOrderForm(ChineseForm):
    # Not required here: the action refuses a blank reason with its own message (请填写取消原因).
    reason = forms.CharField(label="取消原因", max_length=100, required=False)


class SettleForm(ChineseForm):
    month = MonthField(label="结算月份")


class VisitTargetForm(ChineseForm):
    group = forms.ChoiceField(label="对象类别", choices=[("", "请选择")] + VisitGroup.choices)
    risk_level = forms.ChoiceField(label="风险等级", choices=[("", "请选择")] + RiskLevel.choices)
    registered_on = forms.DateField(label="纳入日期", widget=DATE)
    note = forms.CharField(label="备注", max_length=200, required=False)


class VisitRecordForm(ChineseForm):
    visited_on = forms.DateField(label="探访日期", widget=DATE)
    visitor_name = forms.CharField(label="探访人", max_length=50)
    findings = forms.CharField(label="探访情况", widget=forms.Textarea(attrs={"rows": 4}))
    risk_level = forms.ChoiceField(label="风险等级（如有变化）", choices=[("", "不变")] + RiskLevel.choices, required=False)
    needs_follow_up = forms.BooleanField(label="需要跟进", required=False)
    follow_up = forms.CharField(label="跟进措施", max_length=200, required=False)
    lon = forms.FloatField(label="经度", required=False, widget=forms.HiddenInput)
    lat = forms.FloatField(label="纬度", required=False, widget=forms.HiddenInput)


class FamilyBedForm(ChineseForm):
    provider = forms.TypedChoiceField(label="服务商", coerce=int)
    registered_on = forms.DateField(label="建床日期", widget=DATE)
    care_plan = forms.CharField(label="服务计划", max_length=200, required=False)

    def __init__(self, *args, providers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [("", "请选择")] + [(p.pk, p.name) for p in providers]


class FamilyBedServiceForm(ChineseForm):
    served_on = forms.DateField(label="服务日期", widget=DATE)
    content = forms.CharField(label="服务内容", max_length=200)
    minutes = forms.IntegerField(label="服务时长（分钟）", min_value=1, max_value=720)
    staff_name = forms.CharField(label="服务人员", max_length=50)
