from __future__ import annotations

from django import forms

from minzheng.divisions.directory import get_directory
from minzheng.registry.enums import DisabilityCategory, HukouType, SelfCare, WorkCapacity


def village_choices(actor) -> list[tuple[str, str]]:
    directory = get_directory()
    return [("", "请选择")] + [
        (v.code, directory.path_name(v.code)) for v in directory.villages() if actor.covers(v.code)
    ]


class PersonForm(forms.Form):
    id_number = forms.CharField(label="身份证号码", max_length=18, help_text="18位，或旧式15位（将自动升位）")
    name = forms.CharField(label="姓名", max_length=50)
    division_code = forms.ChoiceField(label="居住地村（社区）")
    hukou_type = forms.ChoiceField(label="户口性质", choices=HukouType.choices)
    phone = forms.CharField(label="联系电话", max_length=12, required=False)
    disability_category = forms.ChoiceField(
        label="残疾类别", choices=[("", "无")] + list(DisabilityCategory.choices), required=False
    )
    disability_grade = forms.TypedChoiceField(
        label="残疾等级", choices=[(0, "无"), (1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")], coerce=int, initial=0
    )
    serious_illness = forms.BooleanField(label="重病", required=False)
    work_capacity = forms.ChoiceField(label="劳动能力", choices=WorkCapacity.choices)
    self_care = forms.ChoiceField(label="生活自理能力", choices=SelfCare.choices)
    student = forms.BooleanField(label="在校学生", required=False)

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division_code"].choices = village_choices(actor)
        for f in self.fields.values():
            f.error_messages["required"] = "该输入项为必填项"
            f.error_messages["invalid_choice"] = "请选择有效的选项"
