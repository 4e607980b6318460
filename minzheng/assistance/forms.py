"""Input forms of the casework screens (labels in Chinese, required fields marked by the
shared _field.html, errors inline). The actions re-validate everything."""

from __future__ import annotations

from django import forms

from minzheng.core.errors import DomainError, NotFound, ValidationFailed
from minzheng.web.fields import LongSelect, MonthField
from minzheng.registry.picker import PersonPickerField

from minzheng.assistance.workflow import CASEWORK_PROGRAMS
from minzheng.assistance.enums import (
    AttachmentKind,
    ExitReason,
    Level,
    NoticeKind,
    Outcome,
    Program,
    ReviewOutcome,
    Severity,
    TemporaryType,
)

CHOOSE = [("", "请选择")]


class ChineseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            if not isinstance(f, PersonPickerField):  # the picker says 请选择人员
                f.error_messages["required"] = "该输入项为必填项"
            f.error_messages["invalid_choice"] = "请选择有效的选项"
            f.error_messages.setdefault("invalid", "格式不正确")
            if isinstance(f, forms.DateField):
                f.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")  # what a date input reads
                f.error_messages["invalid"] = "日期格式应为 年-月-日"
            if isinstance(f, (forms.IntegerField, forms.DecimalField)):
                f.error_messages["invalid"] = "请输入数字"

    def add_errors(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)

    def add_domain_error(self, error: DomainError) -> None:
        """A refused action shown on the form: field errors beside their fields, anything else
        above the form. NotFound is not a form error: it propagates to the 404 page."""
        if isinstance(error, NotFound):
            raise error
        if isinstance(error, ValidationFailed):
            self.add_errors(error.errors)
        else:
            self.add_error(None, error.message)


class ApplicationForm(ChineseForm):
    program = forms.ChoiceField(label="救助项目", choices=CHOOSE + [(p.value, p.label) for p in CASEWORK_PROGRAMS])
    applicant = PersonPickerField(label="申请人", help_text="按姓名、拼音首字母或身份证号码后4位查找本辖区已登记人员；低保以申请人所在家庭为单位")
    as_household = forms.BooleanField(label="临时救助以家庭为单位申请", required=False, initial=True)
    reason = forms.CharField(label="申请理由", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    temporary_type = forms.ChoiceField(label="临时救助类型", choices=CHOOSE + list(TemporaryType.choices), required=False)
    severity = forms.ChoiceField(label="困难程度", choices=CHOOSE + list(Severity.choices), required=False)
    requested_months = forms.IntegerField(label="申请救助月数", required=False, min_value=1, max_value=60)
    authorization_signed = forms.BooleanField(label="已签署《家庭经济状况核查授权书》", required=True)
    authorization_signed_on = forms.DateField(label="授权书签署日期")
    bank_name = forms.CharField(label="开户银行", max_length=60, required=False)
    bank_account = forms.CharField(label="银行账号", max_length=30, required=False, help_text="仅用于银行代发，页面只显示后四位")

    def clean(self):
        data = super().clean()
        if data.get("program") == Program.TEMPORARY:
            for name, message in (("temporary_type", "请选择临时救助类型（急难型或支出型）"), ("severity", "请选择困难程度"), ("requested_months", "请填写申请救助月数（不少于1个月）")):
                if not data.get(name):
                    self.add_error(name, message)
        return data


class ReasonForm(ChineseForm):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=500)


class CorrectionForm(ChineseForm):
    items = forms.CharField(label="需补正的材料或事项（一次性告知）", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class CorrectionAnswerForm(ChineseForm):
    answer = forms.CharField(label="补正情况（已补交的材料或说明）", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)


class InvestigationForm(ChineseForm):
    second_investigator_id = forms.TypedChoiceField(label="第二调查人", coerce=int, choices=())
    visited_on = forms.DateField(label="调查日期")
    living_conditions = forms.CharField(label="居住及生活状况", widget=forms.Textarea(attrs={"rows": 3}))
    findings = forms.CharField(label="调查结论", widget=forms.Textarea(attrs={"rows": 3}))
    recommendation = forms.ChoiceField(label="调查意见", choices=CHOOSE + list(Outcome.choices))

    def __init__(self, *args, investigators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["second_investigator_id"].choices = [("", "请选择")] + [(u.pk, str(u)) for u in investigators]


class EconomicCheckForm(ChineseForm):
    notes = forms.CharField(label="核对说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ReviewForm(ChineseForm):
    outcome = forms.ChoiceField(label="审核意见", choices=CHOOSE + list(Outcome.choices))
    opinion = forms.CharField(label="意见说明（不同意时必填）", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CloseForm(ChineseForm):
    note = forms.CharField(label="公示情况", initial="公示期满，无异议", max_length=200)


class ApproveForm(ChineseForm):
    opinion = forms.CharField(label="确认意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    case_by_case_note = forms.CharField(label="一事一议集体研究意见（一事一议时必填）", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RefuseForm(ChineseForm):
    reasons = forms.CharField(label="不予保障理由（将写入决定书）", widget=forms.Textarea(attrs={"rows": 3}))


class AdvanceForm(ChineseForm):
    amount_yuan = forms.DecimalField(label="先行救助金额（元）", max_digits=12, decimal_places=2, min_value=0)


class AttachmentForm(ChineseForm):
    kind = forms.ChoiceField(label="材料类型", choices=CHOOSE + list(AttachmentKind.choices))
    file = forms.FileField(label="文件（PDF、JPG、PNG，不超过5MB）")


class PayrollRunForm(ChineseForm):
    period = MonthField(label="发放月份")
    program = forms.ChoiceField(label="救助项目", choices=[("", "全部项目")] + list(Program.choices), required=False)


class AdjustForm(ChineseForm):
    amount_yuan = forms.DecimalField(label="调整后月保障金额（元）", max_digits=12, decimal_places=2, min_value=0)
    reason = forms.CharField(label="调整原因", max_length=200)


class ExitForm(ChineseForm):
    exit_reason = forms.ChoiceField(label="退出原因", choices=CHOOSE + list(ExitReason.choices))
    note = forms.CharField(label="说明", max_length=200, required=False)


class BankForm(ChineseForm):
    bank_name = forms.CharField(label="开户银行", max_length=60)
    bank_account = forms.CharField(label="银行账号", max_length=30)


class ReviewTaskForm(ChineseForm):
    outcome = forms.ChoiceField(label="复核结果", choices=CHOOSE + list(ReviewOutcome.choices))
    new_amount_yuan = forms.DecimalField(label="调整后月保障金额（元，调整时填写；不填按规则引擎测算）", max_digits=12, decimal_places=2, required=False, min_value=0)
    note = forms.CharField(label="复核意见", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NoticeForm(ChineseForm):
    division_code = forms.ChoiceField(label="村（社区）", widget=LongSelect)  # the district: 433 villages
    kind = forms.ChoiceField(label="公示类型", choices=list(NoticeKind.choices))
    program = forms.ChoiceField(label="救助项目", choices=[("", "全部项目"), (Program.DIBAO.value, Program.DIBAO.label), (Program.TEKUN.value, Program.TEKUN.label)], required=False)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division_code"].choices = CHOOSE + list(villages)


class CalendarDayForm(ChineseForm):
    date = forms.DateField(label="日期")
    is_workday = forms.TypedChoiceField(label="类型", coerce=lambda v: v == "1", choices=[("0", "节假日（不上班）"), ("1", "调休上班日")])
    name = forms.CharField(label="名称", max_length=40, required=False)


class ProgramConfigForm(ChineseForm):
    confirm_level = forms.ChoiceField(label="审核确认层级", choices=[(Level.TOWN, "乡镇（街道）"), (Level.DISTRICT, "区民政局")])
    requires_publicity = forms.BooleanField(label="审核后须公示", required=False)
    mask_names_in_notice = forms.BooleanField(label="公示时姓名脱敏（如 张*明）", required=False)
    complaint_phone = forms.CharField(label="监督举报电话", max_length=40)
