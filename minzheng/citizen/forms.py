from __future__ import annotations

from django import forms

from minzheng.assistance.actions import ONLINE_ATTACHMENT_KINDS
from minzheng.assistance.enums import AttachmentKind
from minzheng.marriage.enums import AppointmentKind


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label="手机号码", max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel", "placeholder": "11位手机号码"}),
    )  # fmt: skip


class CodeForm(forms.Form):
    code = forms.CharField(
        label="短信验证码", max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "placeholder": "6位数字"}),
    )  # fmt: skip


class BindForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_number = forms.CharField(
        label="身份证号码", max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "18位身份证号码"})
    )


class StandInSsoForm(BindForm):
    """The stand-in provider's page: what 渝快办 would know of the person after its own check."""

    phone = forms.CharField(label="手机号码", max_length=20, widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"}))


PROGRAM_CHOICES = [("dibao", "最低生活保障（低保）：以家庭为单位"), ("tekun", "特困人员救助供养：本人"), ("temporary", "临时救助：以家庭为单位")]


class ApplyForm(forms.Form):
    program = forms.ChoiceField(label="申请事项", choices=PROGRAM_CHOICES, widget=forms.RadioSelect)
    reason = forms.CharField(label="申请理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "placeholder": "家庭困难情况，如收入、疾病、残疾、突发事件等"}))
    temporary_type = forms.ChoiceField(label="临时救助类型（申请临时救助时填写）", required=False,
                                       choices=[("", "请选择"), ("urgent", "急难型"), ("expenditure", "支出型")])  # fmt: skip
    severity = forms.ChoiceField(label="困难程度（申请临时救助时填写）", required=False,
                                 choices=[("", "请选择"), ("general", "一般"), ("serious", "较重"), ("severe", "严重")])  # fmt: skip
    requested_months = forms.IntegerField(label="申请救助月数（申请临时救助时填写）", required=False, min_value=1, max_value=12)
    bank_name = forms.CharField(label="开户银行（可不填）", max_length=60, required=False)
    bank_account = forms.CharField(label="银行账号（可不填）", max_length=30, required=False, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    authorization_signed = forms.BooleanField(
        label="我已阅读并同意《家庭经济状况核查授权书》：授权民政部门核对本人及家庭成员的收入、财产等信息", required=False
    )


# The papers a family uploads, named as the staff's list names them (one definition).
PAPER_CHOICES = [(kind, AttachmentKind(kind).label) for kind in ONLINE_ATTACHMENT_KINDS]
FILE_LABEL = "拍照或选择文件（JPG、PNG或PDF，不超过5MB）"
FILE_WIDGET_ATTRS = {"accept": "image/*,application/pdf"}


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=PAPER_CHOICES)
    file = forms.FileField(label=FILE_LABEL, widget=forms.ClearableFileInput(attrs=FILE_WIDGET_ATTRS))


class CorrectionReplyForm(forms.Form):
    """网上补正: what was handed in or needs explaining, with a paper when one is asked for."""

    answer = forms.CharField(label="补正说明", max_length=1000, error_messages={"required": "请填写补正说明（已补交的材料或需要说明的情况）"}, widget=forms.Textarea(attrs={"rows": 3, "placeholder": "例如：已补交收入证明；或说明无法提供的原因"}))
    kind = forms.ChoiceField(label="补交材料类型（有材料时选择）", choices=[("", "不补交材料")] + PAPER_CHOICES, required=False)
    file = forms.FileField(label=FILE_LABEL, required=False, widget=forms.ClearableFileInput(attrs=FILE_WIDGET_ATTRS))

    def clean(self):
        data = super().clean()
        if data.get("file") and not data.get("kind"):
            self.add_error("kind", "请选择补交材料的类型")
        if data.get("kind") and not data.get("file"):
            self.add_error("file", "请拍照或选择要补交的文件")
        return data


class ObjectionForm(forms.Form):
    entry = forms.TypedChoiceField(label="对第几条提出异议", coerce=int)
    text = forms.CharField(label="异议的事实和理由", max_length=500, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, entries: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", "请选择")] + [(i, f"第{i}条") for i in range(1, entries + 1)]


# ----------------------------------------------------------------------------------------------
# 预约和咨询 (issue 22 item 5): views_services.py
# ----------------------------------------------------------------------------------------------

class AppointmentForm(forms.Form):
    """The citizen is one party (their own name, from the real-name binding); they type the other."""

    slot = forms.TypedChoiceField(label="预约时段", coerce=int, widget=forms.RadioSelect,
                                  error_messages={"required": "请选择预约时段", "invalid_choice": "该时段已约满或已过，请选择其他时段"})  # fmt: skip
    kind = forms.ChoiceField(label="办理事项", choices=AppointmentKind.choices, widget=forms.RadioSelect, error_messages={"required": "请选择办理事项"})
    other_name = forms.CharField(label="对方姓名", max_length=50, error_messages={"required": "请填写对方姓名"},
                                 widget=forms.TextInput(attrs={"autocomplete": "off"}))  # fmt: skip

    def __init__(self, *args, slots: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [(s.pk, f"{s.office.name} · {s.day:%-m月%-d日} {s.starts_at:%H:%M}–{s.ends_at:%H:%M}（{_seats(s)}）") for s in slots]


def _seats(slot) -> str:
    return f"余{slot.free}个" if slot.free > 0 else "已约满"


class VolunteerForm(forms.Form):
    skills = forms.CharField(label="服务技能（可不填）", max_length=200, required=False, widget=forms.TextInput(attrs={"placeholder": "如：医疗护理、心理辅导、维修"}))
    available_time = forms.CharField(label="可服务时间（可不填）", max_length=100, required=False, widget=forms.TextInput(attrs={"placeholder": "如：周末、工作日晚上"}))
    consent = forms.BooleanField(
        label="本人自愿登记为注册志愿者，同意民政部门记录和使用本人的志愿服务信息", required=False
    )


class MessageForm(forms.Form):
    topic = forms.ChoiceField(label="留言事项", error_messages={"required": "请选择留言事项"})
    division_code = forms.ChoiceField(label="送达单位", error_messages={"required": "请选择留言送达的乡镇（街道）或区民政局"})
    text = forms.CharField(label="留言内容", max_length=1000, error_messages={"required": "请写明您要反映或咨询的问题"},
                           widget=forms.Textarea(attrs={"rows": 5, "placeholder": "请写明您要反映或咨询的问题，不要填写身份证号码等个人信息"}))  # fmt: skip

    def __init__(self, *args, topics, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].choices = [("", "请选择")] + list(topics)
        self.fields["division_code"].choices = [("", "请选择")] + list(divisions)


class EnquiryForm(forms.Form):
    text = forms.CharField(label="咨询内容", max_length=1000, error_messages={"required": "请写明您要咨询的问题"},
                           widget=forms.Textarea(attrs={"rows": 4, "placeholder": "如：惠民殡葬减免怎么办理、遗体接运怎么预约"}))  # fmt: skip


def show_refusal(form, exc, renames: dict[str, str] | None = None) -> None:
    """An action's ValidationFailed next to the form's fields (``renames``: the action's field
    name → the form's), the rest at the top of the form."""
    for field, message in exc.errors.items():
        field = (renames or {}).get(field, field)
        form.add_error(field if field in form.fields else None, message)
