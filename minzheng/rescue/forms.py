"""Forms of the rescue screens: they parse and show errors; the rules are the actions'."""

from __future__ import annotations

from django import forms

from minzheng.divisions.directory import get_directory
from minzheng.rescue.enums import (
    RefusalGround,
    CampaignKind,
    HospitalOutcome,
    Medical,
    Placement,
    Receiver,
    ReturnMode,
    Risk,
    SearchKind,
    SearchResult,
    SettlementDoc,
    Sex,
    Source,
)

REQUIRED = {"required": "此项为必填项", "invalid_choice": "请从列表中选择"}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
INVALID_DATE = {"required": "此项为必填项", "invalid": "请填写正确的日期"}
INVALID_INT = {"required": "此项为必填项", "invalid": "请填写整数"}


def village_choices() -> list:
    d = get_directory()
    groups: dict[str, list] = {}
    for v in d.villages():
        town = d.town_of(v.code)
        groups.setdefault(town.name if town else "", []).append((v.code, v.name))
    return [("", "请选择"), *groups.items()]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(PhotosField, self).clean(item, initial) for item in items]


class IntakeForm(forms.Form):
    name = forms.CharField(label="姓名（不详的填“不详”）", max_length=50, error_messages=REQUIRED)
    sex = forms.ChoiceField(label="性别", choices=Sex.choices, error_messages=REQUIRED)
    estimated_age = forms.IntegerField(label="年龄（估计）", required=False, error_messages=INVALID_INT)
    id_number = forms.CharField(label="身份证号码（自述或证件，可不填）", max_length=20, required=False)
    origin_text = forms.CharField(label="自述户籍地", max_length=100, required=False)
    features = forms.CharField(label="体貌特征", widget=forms.Textarea(attrs={"rows": 2}), max_length=300, required=False)
    risks = forms.MultipleChoiceField(label="风险情形", choices=Risk.choices, widget=forms.CheckboxSelectMultiple, required=False)
    health = forms.CharField(label="健康状况", max_length=300, required=False)
    belongings = forms.CharField(label="随身物品", max_length=300, required=False)
    source = forms.ChoiceField(label="来源", choices=Source.choices, error_messages=REQUIRED)
    source_unit = forms.CharField(label="护送单位或报告人", max_length=80, required=False)
    found_place = forms.CharField(label="发现地点", max_length=120, required=False)
    found_division_code = forms.ChoiceField(label="发现地村（社区）", choices=(), error_messages=REQUIRED)
    arrived_at = forms.DateTimeField(label="入站时间", widget=DATETIME, error_messages={**REQUIRED, "invalid": "请填写正确的时间"})
    bed_id = forms.ChoiceField(label="安排床位", choices=(), required=False, error_messages={"invalid_choice": "请选择空闲床位"})
    photos = PhotosField(label="照片（JPG或PNG，自动去除拍摄信息）", required=False)

    def __init__(self, *args, beds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["found_division_code"].choices = village_choices()
        self.fields["bed_id"].choices = [("", "暂不安排"), *((b.pk, f"{b.number}号床") for b in beds)]


class ExtendForm(forms.Form):
    days = forms.IntegerField(label="延长天数", error_messages=INVALID_INT)
    reason = forms.CharField(label="延长理由", max_length=200, required=False)
    filing = forms.CharField(label="备案情况（备案日期、文号）", max_length=120, required=False)


class DailyForm(forms.Form):
    day = forms.DateField(label="日期", widget=DATE, error_messages=INVALID_DATE)
    meals = forms.IntegerField(label="供餐次数", error_messages=INVALID_INT)
    medical = forms.ChoiceField(label="医疗", choices=Medical.choices, error_messages=REQUIRED)
    hospital = forms.CharField(label="送往医院", max_length=80, required=False)
    note = forms.CharField(label="情况记录", max_length=300, required=False)


class HospitalSendForm(forms.Form):
    # Own ids: the daily record's form on the same page has fields named hospital and note.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "send_%s")
        super().__init__(*args, **kwargs)

    hospital = forms.CharField(label="医院", max_length=80, required=False)
    reason = forms.CharField(label="送医原因", max_length=200, required=False)
    sent_on = forms.DateField(label="送医日期", widget=DATE, error_messages=INVALID_DATE)
    escort = forms.CharField(label="护送经办人", max_length=50, required=False)
    note = forms.CharField(label="说明", max_length=200, required=False)


class HospitalReturnForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "back_%s")
        super().__init__(*args, **kwargs)

    returned_on = forms.DateField(label="出院（结束）日期", widget=DATE, error_messages=INVALID_DATE)
    outcome = forms.ChoiceField(
        label="结果", choices=[("", "请选择"), *HospitalOutcome.choices],
        error_messages={"required": "请选择出院结果", "invalid_choice": "请选择出院结果"},
    )  # fmt: skip
    note = forms.CharField(label="情况说明（自行离开、死亡、托养时必填）", max_length=200, required=False)


class BedForm(forms.Form):
    bed = forms.ChoiceField(label="床位", choices=(), error_messages={**REQUIRED, "invalid_choice": "请选择空闲床位"})

    def __init__(self, *args, beds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bed"].choices = [("", "请选择"), *((b.pk, f"{b.number}号床") for b in beds)]


class SearchForm(forms.Form):
    kind = forms.ChoiceField(label="寻亲方式", choices=[c for c in SearchKind.choices if c[0] != SearchKind.REGISTRY], error_messages=REQUIRED)
    requested_on = forms.DateField(label="日期", widget=DATE, error_messages=INVALID_DATE)
    reference = forms.CharField(label="受理编号", max_length=60, required=False)
    result = forms.ChoiceField(label="结果", choices=SearchResult.choices, error_messages=REQUIRED)
    result_on = forms.DateField(label="反馈日期", widget=DATE, required=False, error_messages=INVALID_DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)


class MatchForm(forms.Form):
    id_number = forms.CharField(label="身份证号码", max_length=20, error_messages=REQUIRED)


class IdentifyForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50, error_messages=REQUIRED)
    identified_on = forms.DateField(label="查明身份日期", widget=DATE, error_messages=INVALID_DATE)
    home_division_code = forms.ChoiceField(label="户籍地村（社区）（区内）", choices=(), required=False)
    home_address = forms.CharField(label="户籍地址（区外）", max_length=120, required=False)
    how = forms.CharField(label="查明途径", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_division_code"].choices = [("", "区外或已比中户籍"), *village_choices()[1:]]


class ReturnForm(forms.Form):
    mode = forms.ChoiceField(label="返回方式", choices=ReturnMode.choices, error_messages=REQUIRED)
    receiver_kind = forms.ChoiceField(label="交接对象", choices=Receiver.choices, error_messages=REQUIRED)
    receiver_name = forms.CharField(label="接收人或单位", max_length=80, required=False)
    handed_over_on = forms.DateField(label="交接日期", widget=DATE, error_messages=INVALID_DATE)


class ArrivalForm(forms.Form):
    arrived_on = forms.DateField(label="到达日期", widget=DATE, error_messages=INVALID_DATE)
    note = forms.CharField(label="到达情况", max_length=200, required=False)


class LeaveForm(forms.Form):
    left_on = forms.DateField(label="离站日期", widget=DATE, error_messages=INVALID_DATE)
    reason = forms.CharField(label="离站情况（受助人员自行离站声明）", max_length=200, required=False)


class RefuseForm(forms.Form):
    ground = forms.ChoiceField(label="不予救助理由", choices=[("", "请选择")] + RefusalGround.choices, error_messages={"required": "请选择不予救助的理由", "invalid_choice": "请选择不予救助的理由"})
    refused_on = forms.DateField(label="不予救助日期", widget=DATE, error_messages=INVALID_DATE)
    reason = forms.CharField(label="具体理由（写入不予救助通知书）", max_length=200, required=False)


class EmptyForm(forms.Form):
    pass


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label="材料", choices=SettlementDoc.choices, error_messages=REQUIRED)
    reference = forms.CharField(label="文号或编号", max_length=60, required=False)
    dated_on = forms.DateField(label="日期", widget=DATE, error_messages=INVALID_DATE)


class SettleForm(forms.Form):
    placement = forms.ChoiceField(label="安置去向", choices=Placement.choices, error_messages=REQUIRED)
    placement_unit = forms.CharField(label="安置机构", max_length=80, required=False)
    settled_on = forms.DateField(label="落户日期", widget=DATE, error_messages=INVALID_DATE)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="回访日期", widget=DATE, error_messages=INVALID_DATE)
    found_at_home = forms.TypedChoiceField(
        label="是否在家", choices=[("1", "在家"), ("0", "不在家")], coerce=lambda v: v == "1", widget=forms.RadioSelect, error_messages=REQUIRED
    )
    note = forms.CharField(label="回访情况", widget=forms.Textarea(attrs={"rows": 2}), max_length=300, required=False)


class CheckForm(forms.Form):
    checked_on = forms.DateField(label="核查日期", widget=DATE, error_messages=INVALID_DATE)
    keep = forms.TypedChoiceField(
        label="核查结果", choices=[("1", "继续在册"), ("0", "移出名册")], coerce=lambda v: v == "1", widget=forms.RadioSelect, error_messages=REQUIRED
    )
    note = forms.CharField(label="说明", max_length=100, required=False)


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label="类别", choices=CampaignKind.choices, error_messages=REQUIRED)
    name = forms.CharField(label="行动名称", max_length=60, required=False)
    start_on = forms.DateField(label="开始日期", widget=DATE, error_messages=INVALID_DATE)
    end_on = forms.DateField(label="结束日期", widget=DATE, error_messages=INVALID_DATE)


def town_choices() -> list:
    return [("", "请选择"), *((t.code, t.name) for t in sorted(get_directory().towns(), key=lambda t: t.code))]


class PatrolForm(forms.Form):
    campaign_id = forms.ChoiceField(label="所属行动", choices=(), required=False)
    town_code = forms.ChoiceField(label="巡查乡镇（街道）", choices=(), error_messages=REQUIRED)
    on = forms.DateField(label="巡查日期", widget=DATE, error_messages=INVALID_DATE)
    area = forms.CharField(label="巡查区域", max_length=120, required=False)
    staff = forms.IntegerField(label="出动人次", error_messages=INVALID_INT)
    met = forms.IntegerField(label="发现流浪乞讨人员（人）", error_messages=INVALID_INT)
    aided = forms.IntegerField(label="现场救助（人次）", error_messages=INVALID_INT)
    brought_in = forms.IntegerField(label="引导入站（人）", error_messages=INVALID_INT)

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign_id"].choices = [("", "日常巡查"), *((c.pk, c.name) for c in campaigns)]
        self.fields["town_code"].choices = town_choices()
