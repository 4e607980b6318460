"""Forms of the funeral screens (Chinese labels; the actions' {field: message} errors land on
the same fields)."""

from __future__ import annotations

from django import forms

from minzheng.core.district import district_code
from minzheng.divisions.directory import get_directory
from minzheng.funerals.enums import (
    FacilityKind,
    FacilityStatus,
    GraveStatus,
    MourningKind,
    PlotKind,
    PlotStatus,
    PriceItem,
    RecordSource,
    ZoneKind,
)
from minzheng.registry.forms import ChineseForm
from minzheng.web.fields import LongSelect


def division_choices(actor, *, towns: bool = True, district: bool = False) -> list:
    """The divisions the actor covers, as a select grouped by town (the district's 433 villages;
    a town's own row first in its group when ``towns``): never a 12-digit code to type."""
    directory = get_directory()
    out: list = [("", "请选择")]
    if district and actor.covers(district_code()):
        out.append((district_code(), "涪陵区（区级）"))
    for town in sorted(directory.towns(), key=lambda t: t.code):
        group = [(town.code, f"{town.name}（乡镇、街道级）")] if towns and actor.covers(town.code) else []
        group += [(v.code, v.name) for v in directory.villages(town.code) if actor.covers(v.code)]
        if group:
            out.append((town.name, group))
    return out


def _choose(label: str, choices) -> list:
    return [("", label)] + list(choices)


class NotifyForm(ChineseForm):
    source = forms.ChoiceField(label="信息来源", choices=RecordSource.choices)
    death_date = forms.DateField(label="死亡日期")
    death_place = forms.CharField(label="死亡地点", max_length=100)
    death_certificate_no = forms.CharField(label="死亡证明编号", max_length=40, required=False)
    contact_name = forms.CharField(label="家属联系人", max_length=50)
    contact_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    funeral_home = forms.ChoiceField(label="承办殡仪馆（服务站）", required=False)

    def __init__(self, *args, homes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funeral_home"].choices = [("", "暂不指定")] + [(str(h.pk), h.name) for h in homes]


class TransportForm(ChineseForm):
    transported_on = forms.DateField(label="接运日期")
    funeral_home = forms.ChoiceField(label="承办殡仪馆（服务站）")

    def __init__(self, *args, homes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funeral_home"].choices = [("", "请选择")] + [(str(h.pk), h.name) for h in homes]


class ServicesForm(ChineseForm):
    storage_days = forms.IntegerField(label="冷藏天数", min_value=0, max_value=365)
    farewell_on = forms.DateField(label="告别仪式日期", required=False)
    mourning_kind = forms.ChoiceField(label="治丧方式", choices=[("", "未登记")] + list(MourningKind.choices), required=False)
    mourning_venue = forms.CharField(label="治丧场所", max_length=100, required=False)


class CremateForm(ChineseForm):
    cremated_on = forms.DateField(label="火化日期")
    certificate_no = forms.CharField(label="火化证明编号", max_length=40)
    urn_price = forms.DecimalField(label="所选骨灰盒价格（元）", max_digits=10, decimal_places=2, min_value=0, required=False,
                                   help_text="不填按备案价格计算惠民殡葬减免")  # fmt: skip


class BuryForm(ChineseForm):
    buried_on = forms.DateField(label="土葬日期")
    place = forms.CharField(label="安葬地点", max_length=100)


class StoreAshesForm(ChineseForm):
    stored_on = forms.DateField(label="骨灰寄存日期")


class InterForm(ChineseForm):
    interred_on = forms.DateField(label="安葬日期")
    cemetery = forms.ChoiceField(label="公墓")
    plot = forms.ChoiceField(label="墓位")

    def __init__(self, *args, cemeteries=(), plots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cemetery"].choices = [("", "请选择")] + [(str(c.pk), c.name) for c in cemeteries]
        self.fields["plot"].choices = [("", "请选择")] + [
            (str(p.pk), f"{p.cemetery.name} {p.number}（{p.get_kind_display()}）") for p in plots
        ]


class MemorialForm(ChineseForm):
    consent_by = forms.CharField(label="同意开通的家属", max_length=50)
    consent_relation = forms.CharField(label="与逝者关系", max_length=20)
    epitaph = forms.CharField(label="寄语", max_length=200, required=False)
    photo = forms.FileField(label="逝者照片（JPG或PNG，≤5MB，自动去除拍摄信息，可不上传）", required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))  # fmt: skip


class MemorialPhotoForm(ChineseForm):
    photo = forms.FileField(label="逝者照片（JPG或PNG，≤5MB，自动去除拍摄信息）",
                            widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}))  # fmt: skip


class MessageForm(ChineseForm):
    author = forms.CharField(label="留言人", max_length=30)
    text = forms.CharField(label="留言", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class FacilityForm(ChineseForm):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=_choose("请选择", FacilityKind.choices))
    division_code = forms.ChoiceField(label="所在地", widget=LongSelect)
    status = forms.ChoiceField(label="状态", choices=FacilityStatus.choices, initial=FacilityStatus.OPERATING)
    capacity = forms.IntegerField(label="设计墓位（穴）数（公墓必填）", min_value=0, required=False)
    opened_on = forms.DateField(label="建成（投入使用）日期", required=False)
    demonstration = forms.BooleanField(label="示范公墓", required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    bank_name = forms.CharField(label="结算开户银行（殡仪馆填写）", max_length=60, required=False)
    bank_account = forms.CharField(label="结算银行账号", max_length=30, required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division_code"].choices = division_choices(actor, district=True)
        self.fields["capacity"].error_messages["invalid"] = "请填写整数"
        self.fields["capacity"].error_messages["min_value"] = "墓位数不能为负数"


class PlotFilterForm(forms.Form):
    kind = forms.ChoiceField(label="葬式", choices=_choose("全部葬式", PlotKind.choices), required=False)
    status = forms.ChoiceField(label="状态", choices=_choose("全部状态", PlotStatus.choices), required=False)


class GraveForm(ChineseForm):
    division_code = forms.ChoiceField(label="村（社区）", widget=LongSelect)
    found_on = forms.DateField(label="发现日期")
    location = forms.CharField(label="位置", max_length=200, help_text="如 某组某地名山坡、田边")
    description = forms.CharField(label="情况", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        choices = division_choices(actor, towns=False)
        self.fields["division_code"].choices = choices
        villages = [code for _town, group in choices[1:] for code, _name in group]
        if len(villages) == 1:  # a village worker: the one village is already chosen
            self.fields["division_code"].initial = villages[0]


class GraveOrderForm(ChineseForm):
    deadline_on = forms.DateField(label="整改期限")


class GraveCloseForm(ChineseForm):
    rectified_on = forms.DateField(label="整改完成日期")
    rectification = forms.CharField(label="整改情况", max_length=500, help_text="迁入公墓、深埋、平坟等")


GRAVE_STATUS_FILTER = _choose("全部状态", GraveStatus.choices)


class PlotsForm(ChineseForm):
    kind = forms.ChoiceField(label="葬式", choices=PlotKind.choices)
    numbers = forms.CharField(label="墓位编号", help_text="多个编号用逗号或空格分隔", max_length=2000)


class PriceForm(ChineseForm):
    item = forms.ChoiceField(label="收费项目", choices=PriceItem.choices)
    price = forms.DecimalField(label="价格（元）", max_digits=10, decimal_places=2, min_value=0)
    effective_from = forms.DateField(label="执行日期")
    reference = forms.CharField(label="备案文号", max_length=100)


class InspectionForm(ChineseForm):
    inspected_on = forms.DateField(label="检查日期")
    findings = forms.CharField(label="发现问题", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ZoneForm(ChineseForm):
    division_code = forms.CharField(label="乡镇（街道）或村（社区）代码", max_length=12)
    kind = forms.ChoiceField(label="区域类型", choices=ZoneKind.choices)
    since = forms.DateField(label="划定日期")
    reference = forms.CharField(label="依据文件", max_length=200)


class SettleForm(ChineseForm):
    funeral_home = forms.ChoiceField(label="殡仪馆")
    period = forms.CharField(label="结算月份", max_length=7, help_text="格式 YYYY-MM")

    def __init__(self, *args, homes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funeral_home"].choices = [(str(h.pk), h.name) for h in homes]
