from __future__ import annotations

from django import forms


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


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=[
        ("identity", "户口簿/身份证"), ("income_proof", "收入、财产证明"), ("application_form", "申请书"),
        ("declaration", "承诺书"), ("other", "其他材料"),
    ])  # fmt: skip
    file = forms.FileField(label="拍照或选择文件（JPG、PNG或PDF，不超过5MB）", widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}))


class ObjectionForm(forms.Form):
    entry = forms.TypedChoiceField(label="对第几条提出异议", coerce=int)
    text = forms.CharField(label="异议的事实和理由", max_length=500, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, entries: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", "请选择")] + [(i, f"第{i}条") for i in range(1, entries + 1)]
