"""Forms of the social-work screens (Chinese labels; the actions' {field: message} errors land
on the same fields)."""

from __future__ import annotations

from django import forms

from minzheng.registry.forms import ChineseForm
from minzheng.registry.picker import PersonPickerField
from minzheng.socialwork.enums import (
    CertLevel,
    Education,
    ServiceKind,
    StationLevel,
    TargetGroup,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _choices(qs) -> list[tuple[str, str]]:
    return [("", "请选择")] + [(str(x.pk), x.name) for x in qs]


class ProfessionalForm(ChineseForm):
    person = PersonPickerField(label="人员")
    division_code = forms.CharField(label="工作地区划代码", max_length=12, help_text="乡镇（街道）9位或村（社区）12位代码")
    employer = forms.CharField(label="工作单位", max_length=100)
    agency = forms.ChoiceField(label="所在社工机构", required=False)
    station = forms.ChoiceField(label="所在站点", required=False)
    post = forms.CharField(label="岗位", max_length=60)
    education = forms.ChoiceField(label="学历", choices=[("", "请选择")] + Education.choices)
    cert_level = forms.ChoiceField(label="职业资格", choices=CertLevel.choices)
    cert_number = forms.CharField(label="证书编号", max_length=40, required=False)
    cert_year = forms.IntegerField(label="取得证书年份", required=False)
    training_hours = forms.IntegerField(label="年度培训学时", initial=0)
    joined_on = forms.DateField(label="入职日期", widget=DATE)

    def __init__(self, *args, agencies=(), stations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _choices(agencies)
        self.fields["station"].choices = _choices(stations)


class LeaveForm(ChineseForm):
    left_on = forms.DateField(label="离职日期", widget=DATE)
    leave_reason = forms.CharField(label="离职原因", max_length=200)


class StationForm(ChineseForm):
    level = forms.ChoiceField(label="层级", choices=[("", "请选择")] + StationLevel.choices)
    name = forms.CharField(label="名称", max_length=100)
    division_code = forms.CharField(label="区划代码", max_length=12)
    premises_sqm = forms.IntegerField(label="场地面积（平方米）")
    address = forms.CharField(label="地址", max_length=200, required=False)
    opened_on = forms.DateField(label="建成运行日期", widget=DATE)


class AgencyForm(ChineseForm):
    name = forms.CharField(label="机构名称", max_length=100)
    registration_no = forms.CharField(label="登记证号（统一社会信用代码）", max_length=30)
    division_code = forms.CharField(label="登记所在区划代码", max_length=12)
    registered_on = forms.DateField(label="登记日期", widget=DATE)
    private = forms.BooleanField(label="民办社工服务机构", required=False, initial=True)


class AgencyLinkForm(ChineseForm):
    query = forms.CharField(label="统一社会信用代码或社会组织名称", max_length=100,
                            help_text="按社会组织登记中的统一社会信用代码（18位）或完整名称查找")  # fmt: skip


class ProjectForm(ChineseForm):
    title = forms.CharField(label="项目名称", max_length=120)
    division_code = forms.CharField(label="购买方区划代码", max_length=12, help_text="区级6位或乡镇（街道）9位代码")
    budget_yuan = forms.DecimalField(label="项目预算（元）", max_digits=12, decimal_places=2)
    starts_on = forms.DateField(label="服务开始日期", widget=DATE)
    ends_on = forms.DateField(label="服务结束日期", widget=DATE)
    target_groups = forms.MultipleChoiceField(label="服务对象", choices=TargetGroup.choices, widget=forms.CheckboxSelectMultiple)
    indicators = forms.CharField(label="绩效指标", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ContractForm(ChineseForm):
    agency = forms.ChoiceField(label="承接机构")

    def __init__(self, *args, agencies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = _choices(agencies)


class EvaluationForm(ChineseForm):
    score = forms.IntegerField(label="评估得分（0–100）")
    evaluated_on = forms.DateField(label="评估日期", widget=DATE)


class ServiceRecordForm(ChineseForm):
    kind = forms.ChoiceField(label="服务类型", choices=[("", "请选择")] + ServiceKind.choices)
    held_on = forms.DateField(label="服务日期", widget=DATE)
    people_served = forms.IntegerField(label="服务人数")
    summary = forms.CharField(label="服务内容", max_length=500)


class PaymentForm(ChineseForm):
    milestone = forms.CharField(label="拨付节点", max_length=60, help_text="如：签约首付、中期评估后、终期评估后")
    amount_yuan = forms.DecimalField(label="拨付金额（元）", max_digits=12, decimal_places=2)
