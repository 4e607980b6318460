"""Forms of the lottery screens (Chinese labels; the actions' {field: message} errors land on
the same fields). Amounts are entered in yuan and handed to the actions in fen."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from minzheng.core.money import MoneyFormatError, yuan_to_fen
from minzheng.lottery.enums import FundArea, OutletKind
from minzheng.registry.forms import ChineseForm


def yuan_field(label: str, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, required=required)


def fen(value: Decimal | None) -> int | None:
    if value is None:
        return None
    try:
        return yuan_to_fen(value)
    except MoneyFormatError:  # the DecimalField already allows two decimals only
        return None


class OutletForm(ChineseForm):
    licence_no = forms.CharField(label="投注站编号", max_length=20)
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=OutletKind.choices)
    division_code = forms.CharField(label="所在村（社区）代码", max_length=12, help_text="12位村（社区）代码，如 500102006001")
    address = forms.CharField(label="地址", max_length=200)
    lon = forms.DecimalField(label="经度", max_digits=9, decimal_places=6, required=False, help_text="不填则在地图上按所在村（社区）位置显示")
    lat = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6, required=False)
    operator_name = forms.CharField(label="业主姓名", max_length=60)
    operator_id_number = forms.CharField(label="业主身份证号码", max_length=18, help_text="仅保存脱敏后的号码")
    opened_on = forms.DateField(label="开业日期")
    closed_on = forms.DateField(label="关闭日期", required=False, help_text="补登已关闭的投注站时填写")


class CloseOutletForm(ChineseForm):
    closed_on = forms.DateField(label="关闭日期")
    reason = forms.CharField(label="关闭原因", max_length=200)


class InspectionForm(ChineseForm):
    inspected_on = forms.DateField(label="检查日期")
    findings = forms.CharField(label="发现问题", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="未发现问题可不填")  # fmt: skip
    deadline_on = forms.DateField(label="整改期限", required=False, help_text="发现问题时必填")


class FundYearForm(ChineseForm):
    year = forms.IntegerField(label="年度")
    retained = yuan_field("地方留存公益金（元）")
    reference = forms.CharField(label="下达文件", max_length=200)
    received_on = forms.DateField(label="下达日期")


class ProjectForm(ChineseForm):
    name = forms.CharField(label="项目名称", max_length=100)
    area = forms.ChoiceField(label="资助方向", choices=FundArea.choices)
    unit = forms.CharField(label="实施单位", max_length=100)
    budget = yuan_field("项目预算（元）")


class ProjectUpdateForm(ChineseForm):
    spent = yuan_field("已支出（元）")
    evaluation_score = forms.DecimalField(label="绩效评价得分", max_digits=5, decimal_places=1, required=False)
    evaluated_on = forms.DateField(label="绩效评价日期", required=False)
    disclosed_on = forms.DateField(label="公开日期", required=False)
