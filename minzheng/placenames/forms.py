"""Forms of the place-name screens (Chinese labels; the actions' errors land on the fields)."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from minzheng.core.district import district_code
from minzheng.core.pinyin import toned_pinyin
from minzheng.divisions.directory import get_directory
from minzheng.divisions.models import Kind
from minzheng.placenames.enums import Category, LineLevel, MarkerCondition
from minzheng.registry.forms import ChineseForm
from minzheng.web.fields import LongSelect

DATE = forms.DateInput(attrs={"type": "date"})


def suggested_pinyin(name: str) -> str:
    """汉语拼音 with tone marks, syllables of one name joined (涪陵 → Fúlíng): a suggestion the
    officer corrects where a character reads otherwise in a place name."""
    return toned_pinyin(name).capitalize()


class PointFields(ChineseForm):
    """An optional point: longitude and latitude (WGS84 degrees) inside the district."""

    lon = forms.DecimalField(label="经度（东经，度）", required=False, max_digits=9, decimal_places=6,
                             help_text="可不填；填写时须在涪陵区范围内，如 107.39")  # fmt: skip
    lat = forms.DecimalField(label="纬度（北纬，度）", required=False, max_digits=8, decimal_places=6, help_text="如 29.70")

    def point(self) -> dict | None:
        lon, lat = self.cleaned_data.get("lon"), self.cleaned_data.get("lat")
        if lon is None and lat is None:
            return None
        if lon is None or lat is None:
            self.add_error("lon" if lon is None else "lat", "经度和纬度须同时填写")
            return None
        return {"type": "Point", "coordinates": [float(Decimal(lon)), float(Decimal(lat))]}


def _division_choices(actor) -> list[tuple[str, str]]:
    directory = get_directory()
    codes = [d.code for d in (*directory.towns(), *directory.villages()) if actor.covers(d.code)]
    return [("", "请选择")] + [(c, directory.path_name(c)) for c in sorted(codes)]


class PlaceForm(PointFields):
    division_code = forms.ChoiceField(label="所在乡镇（街道）或村（社区）")
    category = forms.ChoiceField(label="类别", choices=[("", "请选择")] + list(Category.choices))
    name = forms.CharField(label="标准名称", max_length=60)
    pinyin = forms.CharField(label="汉语拼音", max_length=120, required=False, help_text="不填则按汉字自动生成，请核对多音字")
    meaning = forms.CharField(label="含义", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    history = forms.CharField(label="历史沿革", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    approved_on = forms.DateField(label="批准日期", required=False, widget=DATE)
    approval_no = forms.CharField(label="批准文号", max_length=60, required=False)
    field_order = ["division_code", "category", "name", "pinyin", "meaning", "history", "lon", "lat", "approved_on", "approval_no"]

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _division_choices(actor)
        self.fields["division_code"].choices = choices
        self.fields["division_code"].widget = LongSelect(choices=choices)


class NamingForm(PointFields):
    """命名 (a new name: division and category chosen) or 更名 (``place`` given: they are the place's)."""

    division_code = forms.ChoiceField(label="所在乡镇（街道）或村（社区）")
    category = forms.ChoiceField(label="类别", choices=[("", "请选择")] + list(Category.choices))
    name = forms.CharField(label="拟用名称", max_length=60)
    pinyin = forms.CharField(label="汉语拼音", max_length=120, required=False, help_text="不填则按汉字自动生成，请核对多音字")
    meaning = forms.CharField(label="含义与命名理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    applicant = forms.CharField(label="申请单位", max_length=100)
    field_order = ["division_code", "category", "name", "pinyin", "meaning", "lon", "lat", "applicant"]

    def __init__(self, *args, actor=None, place=None, **kwargs):
        super().__init__(*args, **kwargs)
        if place is not None:
            del self.fields["division_code"], self.fields["category"]
        else:
            choices = _division_choices(actor)
            self.fields["division_code"].choices = choices
            self.fields["division_code"].widget = LongSelect(choices=choices)


class MarkerForm(ChineseForm):
    number = forms.CharField(label="界桩编号", max_length=30)
    lon = forms.DecimalField(label="经度（东经，度）", max_digits=9, decimal_places=6)
    lat = forms.DecimalField(label="纬度（北纬，度）", max_digits=8, decimal_places=6)
    condition = forms.ChoiceField(label="状况", choices=MarkerCondition.choices)
    installed_on = forms.DateField(label="埋设日期", required=False, widget=DATE)


class InspectionForm(ChineseForm):
    year = forms.IntegerField(label="联检年度", min_value=1990, max_value=2100)
    inspected_on = forms.DateField(label="联检日期", widget=DATE)
    findings = forms.CharField(label="发现问题", required=False, max_length=500)
    repairs = forms.CharField(label="修复情况", required=False, max_length=500)
    markers_repaired = forms.IntegerField(label="修复界桩数", min_value=0, initial=0)


class DivisionChangeForm(ChineseForm):
    """申报区划变更: a town's or village's new name or kind from a date (撤乡设镇, 更名 …)."""

    division_code = forms.ChoiceField(label="变更的乡镇（街道）或村（社区）")
    new_name = forms.CharField(label="新名称", max_length=60)
    new_kind = forms.ChoiceField(label="新类型", choices=[("", "请选择")] + [(k, k) for k in Kind.values if k != Kind.DISTRICT])
    effective = forms.DateField(label="拟生效日期", widget=DATE)
    reason = forms.CharField(label="变更理由", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _division_choices(actor)
        self.fields["division_code"].choices = choices
        self.fields["division_code"].widget = LongSelect(choices=choices)


class LineForm(ChineseForm):
    """登记界线: the district's lines with its neighbours (the district keeps them) or a town's
    line with a neighbouring town, with its agreement (界线协议书)."""

    level = forms.ChoiceField(label="级别", choices=[("", "请选择")] + list(LineLevel.choices))
    division_code = forms.ChoiceField(label="管理单位", help_text="区（县）级界线选择涪陵区；乡镇界线选择本乡镇（街道）")
    name = forms.CharField(label="界线名称", max_length=100)
    parties = forms.CharField(label="毗邻双方", max_length=200)
    agreement = forms.CharField(label="界线协议书", max_length=200, required=False)
    agreement_on = forms.DateField(label="协议签订日期", required=False, widget=DATE)
    length_km = forms.DecimalField(label="长度（千米）", required=False, min_value=0, max_digits=8, decimal_places=2)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        directory = get_directory()
        codes = [c for c in (district_code(), *(t.code for t in directory.towns())) if actor is not None and actor.covers(c)]
        self.fields["division_code"].choices = [("", "请选择")] + [(c, directory.path_name(c)) for c in codes]
