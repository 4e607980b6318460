"""Forms of the community-governance screens (Chinese labels; the actions' {field: message}
errors land on the same fields)."""

from __future__ import annotations

from django import forms

from minzheng.communities.enums import (
    CharterKind,
    DisclosureCategory,
    FacilityStatus,
    MatterCategory,
    Ownership,
    Post,
    SiteEvaluation,
    SiteLevel,
    WorkerPost,
)
from minzheng.divisions.directory import get_directory
from minzheng.web.fields import LongSelect
from minzheng.registry.forms import ChineseForm


class FacilityForm(ChineseForm):
    name = forms.CharField(label="设施名称", max_length=100)
    area_m2 = forms.CharField(label="建筑面积（平方米）", max_length=20)
    rooms = forms.IntegerField(label="功能室数", required=False)
    functions = forms.CharField(label="功能", max_length=300, required=False, help_text="如：党群服务、便民服务、养老服务站、儿童之家")
    hours = forms.CharField(label="开放时间", max_length=100, required=False)
    ownership = forms.ChoiceField(label="产权", choices=[("", "请选择")] + list(Ownership.choices))
    status = forms.ChoiceField(label="状态", choices=FacilityStatus.choices)
    lon = forms.CharField(label="经度（东经，度）", max_length=20, required=False, help_text="可不填；在地图上显示须填写经纬度，如 107.39")
    lat = forms.CharField(label="纬度（北纬，度）", max_length=20, required=False, help_text="如 29.70")


class DisclosureForm(ChineseForm):
    year = forms.IntegerField(label="年度")
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=[(1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")])
    category = forms.ChoiceField(label="类别", choices=DisclosureCategory.choices)
    title = forms.CharField(label="公开事项", max_length=200)
    published_on = forms.DateField(label="公开日期")


class MatterForm(ChineseForm):
    title = forms.CharField(label="事项", max_length=200)
    category = forms.ChoiceField(label="分类（三事分流）", choices=[("", "请选择")] + list(MatterCategory.choices))
    handled_by = forms.CharField(label="具体承办人（单位）", max_length=100, required=False)
    consultation_id = forms.ChoiceField(label="提出于协商会议", required=False)

    def __init__(self, *args, consultations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consultation_id"].choices = [("", "不是协商会议提出")] + [
            (str(c.pk), f"{c.held_on:%Y-%m-%d} {c.topic}") for c in consultations
        ]


class CloseMatterForm(ChineseForm):
    outcome = forms.CharField(label="办理结果", max_length=200)


class MemberForm(ChineseForm):
    name = forms.CharField(label="姓名", max_length=50)
    post = forms.ChoiceField(label="职务", choices=[("", "请选择")] + list(Post.choices))
    term_start = forms.DateField(label="任期开始日期", widget=forms.DateInput(attrs={"type": "date"}))
    term_end = forms.DateField(label="任期届满日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                               help_text="不填则按五年一届计算")  # fmt: skip
    is_woman = forms.BooleanField(label="女性成员", required=False)
    party_secretary = forms.BooleanField(label="党组织书记兼任", required=False)


class ConsultationForm(ChineseForm):
    held_on = forms.DateField(label="会议日期", widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.CharField(label="协商议题", max_length=200)
    participants = forms.IntegerField(label="参加人数", min_value=0, required=False)
    outcome = forms.CharField(label="协商结果", max_length=500, required=False)

    def clean_participants(self) -> int:
        return self.cleaned_data.get("participants") or 0


class WorkerForm(ChineseForm):
    name = forms.CharField(label="姓名", max_length=50)
    post = forms.ChoiceField(label="岗位（三岗）", choices=[("", "请选择")] + list(WorkerPost.choices))
    grade = forms.IntegerField(label="等级（十八级）", required=False, min_value=1, max_value=18)
    started_on = forms.DateField(label="入职日期", widget=forms.DateInput(attrs={"type": "date"}))
    certified_social_worker = forms.BooleanField(label="持社会工作者职业资格证书", required=False)
    certificate_no = forms.CharField(label="证书编号", max_length=40, required=False)


class TrainingForm(ChineseForm):
    course = forms.CharField(label="培训内容", max_length=100)
    held_on = forms.DateField(label="培训日期", widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label="学时", min_value=0, max_digits=5, decimal_places=1)


class CharterForm(ChineseForm):
    kind = forms.ChoiceField(label="类别", choices=CharterKind.choices)
    approved_on = forms.DateField(label="通过日期")
    approved_by = forms.CharField(label="通过会议", max_length=100, required=False)
    text = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class ElectionForm(ChineseForm):
    term_start = forms.DateField(label="届期开始日期")
    voting_date = forms.DateField(label="选举日期")
    registered_voters = forms.IntegerField(label="登记选民数")
    candidates = forms.CharField(label="候选人（每行一人：姓名 职务，职务为主任、副主任或委员）", widget=forms.Textarea(attrs={"rows": 4}))


class AnswerForm(ChineseForm):
    candidate = forms.ChoiceField(label="候选人")
    department = forms.CharField(label="联审部门", max_length=40)
    passed = forms.TypedChoiceField(label="审查结论", coerce=lambda v: v == "1", choices=[("1", "通过"), ("0", "不通过")])
    note = forms.CharField(label="意见", max_length=200, required=False)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidate"].choices = [("", "请选择")] + [(str(c.pk), c.name) for c in candidates]


POST_BY_LABEL = {label: value for value, label in Post.choices}


class SiteForm(ChineseForm):
    """认定示范点: a village or community, its level, the year it was named, theme and evaluation."""

    division_code = forms.ChoiceField(label="村（社区）")
    level = forms.ChoiceField(label="级别", choices=[("", "请选择")] + list(SiteLevel.choices))
    year = forms.IntegerField(label="命名年度")
    theme = forms.CharField(label="示范主题", max_length=100)
    evaluation = forms.ChoiceField(label="评估结果", choices=SiteEvaluation.choices, initial=SiteEvaluation.PENDING)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        directory = get_directory()
        choices = [("", "请选择")] + [(v.code, directory.path_name(v.code)) for v in directory.villages()]
        self.fields["division_code"].choices = choices
        self.fields["division_code"].widget = LongSelect(choices=choices)
