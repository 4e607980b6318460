from __future__ import annotations

from decimal import Decimal

from django import forms

from minzheng.divisions.directory import get_directory
from minzheng.registry.enums import (
    ChildStatus,
    DisabilityCategory,
    HukouType,
    MembershipChangeReason,
    Relation,
    SelfCare,
    WorkCapacity,
)
from minzheng.registry.picker import PersonPickerField


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


# ---------------------------------------------------------------------------------------------
# Households and facts (the actions re-validate everything; these forms only parse)
# ---------------------------------------------------------------------------------------------

ZONE_CHOICES = [("urban", "城镇"), ("rural", "农村")]
MEMBER_RELATIONS = [("", "请选择")] + [(r.value, r.label) for r in Relation if r != Relation.HEAD]
JOIN_REASON_CHOICES = [
    (r.value, r.label)
    for r in (MembershipChangeReason.MOVED_IN, MembershipChangeReason.BIRTH, MembershipChangeReason.MARRIAGE, MembershipChangeReason.CORRECTION)
]


class ChineseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.error_messages["required"] = f.error_messages.get("required") if isinstance(f, PersonPickerField) else "该输入项为必填项"
            f.error_messages["invalid_choice"] = "请选择有效的选项"
            if isinstance(f, forms.DateField):
                f.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                f.error_messages["invalid"] = "日期格式应为 年-月-日"
            if isinstance(f, forms.DecimalField):
                f.error_messages["invalid"] = "请输入金额（元，最多两位小数）"
                f.error_messages["min_value"] = "金额不能为负数"
                f.error_messages["max_decimal_places"] = "金额最多两位小数"

    def add_errors(self, errors: dict[str, str]) -> None:
        for field, message in errors.items():
            self.add_error(field if field in self.fields else None, message)


class HouseholdForm(ChineseForm):
    head = PersonPickerField(label="户主", help_text="须为本辖区已登记、尚未入户的人员；新人员请先在“新增人员”中登记")
    address = forms.CharField(label="住址", max_length=200)
    zone = forms.ChoiceField(label="城乡类别", choices=ZONE_CHOICES, help_text="默认取户主所在村（社区）的城乡属性")
    since = forms.DateField(label="立户日期")


class AddMemberForm(ChineseForm):
    person = PersonPickerField(label="已登记人员", required=False)
    id_number = forms.CharField(label="身份证号码", max_length=18, required=False, help_text="尚未登记的人员：填写完整号码和姓名，将同时登记")
    name = forms.CharField(label="姓名", max_length=50, required=False)
    hukou_type = forms.ChoiceField(label="户口性质", choices=HukouType.choices, required=False)
    relation = forms.ChoiceField(label="与户主关系", choices=MEMBER_RELATIONS)
    reason = forms.ChoiceField(label="加入原因", choices=JOIN_REASON_CHOICES)
    since = forms.DateField(label="加入日期")

    def clean(self):
        data = super().clean()
        if not data.get("person") and not (data.get("id_number") or "").strip() and "person" not in self.errors:
            self.add_error("person", "请选择已登记人员，或填写新人员的身份证号码和姓名")
        if data.get("person") and (data.get("id_number") or "").strip():
            self.add_error("id_number", "已选择登记人员时不必再填写身份证号码")
        if not data.get("person") and (data.get("id_number") or "").strip() and not (data.get("name") or "").strip():
            self.add_error("name", "请填写新人员的姓名")
        return data


class LeaveForm(ChineseForm):
    kind = forms.ChoiceField(label="变动类型", choices=[("moved_out", "迁出（离开本户）"), ("death", "死亡")])
    on = forms.DateField(label="变动日期", help_text="迁出日期或死亡日期")
    note = forms.CharField(label="情况说明", max_length=500, required=False)


class MoveForm(ChineseForm):
    household = forms.TypedChoiceField(label="迁入家庭", coerce=int, choices=())
    relation = forms.ChoiceField(label="与新户主关系", choices=MEMBER_RELATIONS)
    on = forms.DateField(label="迁入日期")

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household"].choices = [("", "请选择")] + [(h.pk, h.label) for h in households]


class SplitForm(ChineseForm):
    head = forms.TypedChoiceField(label="新户户主", coerce=int, choices=())
    address = forms.CharField(label="新户住址", max_length=200, required=False, help_text="不填则沿用原户住址")
    on = forms.DateField(label="分户日期")

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        self.fields["head"].choices = [("", "请选择")] + [(p.pk, p.name) for p in self.members]
        for p in self.members:
            self.fields[f"relation_{p.pk}"] = forms.ChoiceField(
                label=f"{p.name}：随迁时与新户主关系", choices=[("", "不随迁")] + MEMBER_RELATIONS[1:], required=False
            )

    def moving_members(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data[f"relation_{p.pk}"] for p in self.members if self.cleaned_data.get(f"relation_{p.pk}")}


class HeadForm(ChineseForm):
    new_head = forms.TypedChoiceField(label="新户主", coerce=int, choices=())
    old_head_relation = forms.ChoiceField(label="原户主与新户主关系", choices=MEMBER_RELATIONS, required=False, help_text="原户主已死亡或迁出时不填")
    on = forms.DateField(label="变更日期")

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_head"].choices = [("", "请选择")] + [(p.pk, p.name) for p in members]


GRADE_CHOICES = [(0, "无"), (1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")]
YUAN = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0"), "initial": Decimal("0")}


class PersonFactsForm(ChineseForm):
    """Every fact of a person the rules engine reads (registry.facts.member_facts)."""

    name = forms.CharField(label="姓名", max_length=50)
    hukou_type = forms.ChoiceField(label="户口性质", choices=HukouType.choices)
    disability_category = forms.ChoiceField(label="残疾类别", choices=[("", "无")] + list(DisabilityCategory.choices), required=False)
    disability_grade = forms.TypedChoiceField(label="残疾等级", choices=GRADE_CHOICES, coerce=int)
    serious_illness = forms.BooleanField(label="患重特大疾病", required=False)
    work_capacity = forms.ChoiceField(label="劳动能力", choices=WorkCapacity.choices)
    self_care = forms.ChoiceField(label="生活自理能力", choices=SelfCare.choices)
    student = forms.BooleanField(label="在校学生", required=False)
    child_status = forms.ChoiceField(label="儿童类别", choices=[("", "不属于")] + list(ChildStatus.choices), required=False)
    has_capable_supporter = forms.BooleanField(label="有履行能力的法定赡养、抚养、扶养义务人", required=False)
    in_institution = forms.BooleanField(label="在机构集中供养或养育", required=False)
    income_wage = forms.DecimalField(label="工资性收入（元/月）", **YUAN)
    income_business = forms.DecimalField(label="经营净收入（元/月）", **YUAN)
    income_property = forms.DecimalField(label="财产净收入（元/月）", **YUAN)
    income_transfer = forms.DecimalField(label="转移净收入（元/月）", **YUAN)

    INCOMES = ("income_wage", "income_business", "income_property", "income_transfer")

    @classmethod
    def initial_for(cls, person) -> dict:
        initial = {name: getattr(person, name) for name in cls.base_fields if name not in cls.INCOMES}
        for name in cls.INCOMES:
            initial[name] = (Decimal(getattr(person, f"{name}_fen")) / 100).quantize(Decimal("0.01"))
        return initial

    def changes(self) -> dict:
        """The form's values as the action's field names (money in fen)."""
        data = dict(self.cleaned_data)
        for name in self.INCOMES:
            data[f"{name}_fen"] = int(data.pop(name) * 100)
        return data


class JoinForm(ChineseForm):
    head = PersonPickerField(label="户主", help_text="按户主的姓名或身份证号码后4位查找家庭")
    relation = forms.ChoiceField(label="与户主关系", choices=MEMBER_RELATIONS)
    reason = forms.ChoiceField(label="加入原因", choices=JOIN_REASON_CHOICES)
    since = forms.DateField(label="加入日期")


class DeathForm(ChineseForm):
    death_date = forms.DateField(label="死亡日期")
    note = forms.CharField(label="情况说明", max_length=500, required=False, help_text="如：家属告知，已入户核实")
