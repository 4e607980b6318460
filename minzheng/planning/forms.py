"""Forms of plan monitoring: they parse input; the actions validate and decide."""

from __future__ import annotations

from django import forms

from minzheng.core.district import district_code
from minzheng.divisions.directory import get_directory
from minzheng.planning.enums import ReportKind
from minzheng.planning.reports import SECTIONS


def division_choices(actor) -> list[tuple[str, str]]:
    directory = get_directory()
    out = []
    if actor.covers(district_code()):
        out.append((district_code(), "全区（涪陵区）"))
    out += [(t.code, t.name) for t in sorted(directory.towns(), key=lambda t: t.code) if actor.covers(t.code)]
    return out


class ValueEntryForm(forms.Form):
    indicator = forms.ChoiceField(label="指标")
    year = forms.TypedChoiceField(label="年度", coerce=int)
    month = forms.TypedChoiceField(
        label="月份", coerce=int, required=False, empty_value=0,
        choices=[("", "年度值（年末或全年）")] + [(m, f"{m}月") for m in range(1, 13)],
    )
    division_code = forms.ChoiceField(label="区划")
    value = forms.CharField(label="数值", required=False, help_text="比率类指标可只填分子、分母，由系统计算")
    numerator = forms.CharField(label="分子", required=False)
    denominator = forms.CharField(label="分母", required=False)
    as_of = forms.DateField(label="数据截至日期", widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.CharField(label="佐证说明", widget=forms.Textarea(attrs={"rows": 3}),
                               help_text="数据来源、统计口径、文件名称等")
    attachment = forms.FileField(label="佐证材料（PDF/JPG/PNG，≤5MB）", required=False)

    def __init__(self, *args, actor, plan, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", "请选择")] + [(i.code, f"{i.code} {i.name}（{i.unit}）") for i in indicators]
        self.fields["year"].choices = [(y, f"{y}年") for y in plan.years]
        self.fields["division_code"].choices = division_choices(actor)


class LockForm(forms.Form):
    year = forms.IntegerField(label="年度")
    locks_on = forms.DateField(label="锁定日期（此日之后冻结）", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", required=False)


class ReferenceForm(forms.Form):
    year = forms.IntegerField(label="年度")
    value = forms.CharField(label="数值（%）")
    evidence = forms.CharField(label="来源")


class ProgressForm(forms.Form):
    reported_on = forms.DateField(label="报告日期", widget=forms.DateInput(attrs={"type": "date"}))
    percent_complete = forms.CharField(label="完成进度（%）")
    spent_wan = forms.CharField(label="累计完成投资（万元）")
    milestones = forms.CharField(label="形象进度/节点", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    issues = forms.CharField(label="存在问题", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NarrativeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        for key, title, _hint in SECTIONS[kind]:
            self.fields[key] = forms.CharField(
                label=title, required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=5000,
            )


REPORT_KINDS = [(k.value, k.label) for k in ReportKind]
