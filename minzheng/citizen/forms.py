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
