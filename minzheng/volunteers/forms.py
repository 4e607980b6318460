"""Forms of the volunteer screens (Chinese labels; the actions' errors land on the fields)."""

from __future__ import annotations

from django import forms

from minzheng.divisions.directory import get_directory
from minzheng.registry.forms import ChineseForm
from minzheng.registry.picker import PersonPickerField
from minzheng.volunteers.enums import RequestSource
from minzheng.web.fields import LongSelect

DATE = forms.DateInput(attrs={"type": "date"})


def _choices(rows, empty="请选择") -> list[tuple[str, str]]:
    return [("", empty)] + [(str(x.pk), str(x)) for x in rows]


class VolunteerForm(ChineseForm):
    person = PersonPickerField(label="人员")
    consent_on = forms.DateField(label="本人同意登记日期", widget=DATE)
    organisation = forms.ChoiceField(label="所属志愿服务组织", required=False)
    skills = forms.CharField(label="服务技能", max_length=200, required=False)
    available_time = forms.CharField(label="可服务时间", max_length=100, required=False)
    guardian_name = forms.CharField(label="监护人姓名（未成年人填写）", max_length=40, required=False)
    guardian_consent_on = forms.DateField(label="监护人同意日期", widget=DATE, required=False)

    def __init__(self, *args, organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = _choices(organisations, "不属于组织")


class OrganisationForm(ChineseForm):
    name = forms.CharField(label="组织名称", max_length=100)
    division_code = forms.CharField(label="所在区划代码", max_length=12, help_text="区级6位或乡镇（街道）9位代码")
    founded_on = forms.DateField(label="成立日期", widget=DATE)
    registration_no = forms.CharField(label="登记证号（统一社会信用代码）", max_length=30, required=False)


class StationForm(ChineseForm):
    name = forms.CharField(label="站点名称", max_length=100)
    division_code = forms.ChoiceField(label="村（社区）")
    facility = forms.ChoiceField(label="所在社区综合服务设施", required=False,
                                 help_text="从社区综合服务设施登记中选择；设施未登记的，请先在“社区治理”中登记设施")  # fmt: skip
    opened_on = forms.DateField(label="建成日期", widget=DATE)

    def __init__(self, *args, actor=None, facilities=(), **kwargs):
        super().__init__(*args, **kwargs)
        directory = get_directory()
        villages = [v.code for v in directory.villages() if actor is not None and actor.covers(v.code)]
        self.fields["division_code"].choices = [("", "请选择")] + [(c, directory.path_name(c)) for c in villages]
        self.fields["division_code"].widget = LongSelect(choices=self.fields["division_code"].choices)
        self.fields["facility"].choices = [("", "未设在社区综合服务设施内")] + [
            (str(f.pk), f"{directory.name(f.division_code)} · {f.name}") for f in facilities
        ]
        self.fields["facility"].widget = LongSelect(choices=self.fields["facility"].choices)


class ActivityForm(ChineseForm):
    title = forms.CharField(label="活动名称", max_length=120)
    division_code = forms.CharField(label="区划代码", max_length=12)
    held_on = forms.DateField(label="活动日期", widget=DATE)
    description = forms.CharField(label="活动内容", max_length=500, required=False)


class SignInForm(ChineseForm):
    volunteer = forms.ChoiceField(label="志愿者")
    hours = forms.CharField(label="服务时长（小时）", max_length=6, widget=forms.TextInput(attrs={"inputmode": "decimal"}))

    def __init__(self, *args, volunteers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].choices = [("", "请选择")] + [(str(v.pk), f"{v.person.name}（{v.person.id_number_masked}）") for v in volunteers]


class RequestForm(ChineseForm):
    source = forms.ChoiceField(label="需求来源", choices=[("", "请选择")] + RequestSource.choices)
    need = forms.CharField(label="服务需求", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class OfferForm(ChineseForm):
    """派单 to one party: the village's volunteer station, a volunteer organisation, or a station of
    the social-work network serving the village."""

    station = forms.ChoiceField(label="对接志愿服务站点", required=False)
    organisation = forms.ChoiceField(label="或对接志愿服务组织", required=False)
    social_work_station = forms.ChoiceField(label="或对接社会工作站点", required=False)

    def __init__(self, *args, stations=(), organisations=(), social_work_stations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].choices = _choices(stations, "不选")
        self.fields["organisation"].choices = _choices(organisations, "不选")
        self.fields["social_work_station"].choices = [("", "不选")] + [
            (str(s.pk), f"{s.name}（{s.get_level_display()}）") for s in social_work_stations
        ]


class ResponseForm(ChineseForm):
    response = forms.CharField(label="响应情况", max_length=500)
    responded_on = forms.DateField(label="响应日期", widget=DATE)


class TeamForm(ChineseForm):
    name = forms.CharField(label="队伍名称", max_length=100)
    division_code = forms.ChoiceField(label="服务区域")

    def __init__(self, *args, organisation=None, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        # the organisation's own division and those under it that the user covers
        directory = get_directory()
        codes = [c for c in directory.by_code if c.startswith(organisation.division_code) and actor.covers(c)]
        self.fields["division_code"].choices = [("", "请选择")] + [(c, directory.path_name(c)) for c in sorted(codes)]
        self.fields["division_code"].widget = LongSelect(choices=self.fields["division_code"].choices)
