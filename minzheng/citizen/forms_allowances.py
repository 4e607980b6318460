"""Forms of the children's and disability allowances online (issue 22 item 3): the questions the
village worker asks, the family's members from the registry (masked). They parse and show
errors; the rules are the lines' actions'."""

from __future__ import annotations

from django import forms

from minzheng.children.enums import GROUNDS_OF, RECOGNITION_DOCUMENTS, Category
from minzheng.disability.enums import Subsidy
from minzheng.registry.enums import DisabilityCategory

REQUIRED = {"required": "此项为必填项"}
NOT_OURS = "只能为本人或本户家庭成员申请"
DATE = {"invalid": "请输入有效的日期，如 2026-03-05"}


class DisabilityApplyForm(forms.Form):
    person_id = forms.TypedChoiceField(label="为谁申请", coerce=int, widget=forms.RadioSelect,
                                       error_messages={"required": "请选择为谁申请", "invalid_choice": NOT_OURS})  # fmt: skip
    subsidy = forms.ChoiceField(label="申请事项", choices=Subsidy.choices, widget=forms.RadioSelect, error_messages={"required": "请选择补贴项目"})
    certificate_number = forms.CharField(label="残疾人证号（可不填，受理时核验原件）", max_length=20, required=False,
                                         widget=forms.TextInput(attrs={"placeholder": "第二代残疾人证，20位", "autocomplete": "off"}))  # fmt: skip
    certificate_category = forms.ChoiceField(label="残疾类别", choices=[("", "请选择")] + DisabilityCategory.choices, required=False)
    certificate_grade = forms.TypedChoiceField(label="残疾等级", coerce=int, empty_value=None, required=False,
                                               choices=[("", "请选择"), (1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")])  # fmt: skip
    certificate_issued_on = forms.DateField(label="发证日期", required=False, error_messages=DATE, widget=forms.DateInput(attrs={"type": "date"}))
    situation = forms.CharField(label="基本情况（可不填）", max_length=2000, required=False,
                                widget=forms.Textarea(attrs={"rows": 3, "placeholder": "生活、护理、家庭收入等情况"}))  # fmt: skip

    def __init__(self, *args, members: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_id"].choices = members


class ChildApplyForm(forms.Form):
    person_id = forms.TypedChoiceField(label="为哪个孩子申请", coerce=int, widget=forms.RadioSelect,
                                       error_messages={"required": "请选择为哪个孩子申请", "invalid_choice": "只能为本户家庭中的儿童申请"})  # fmt: skip
    category = forms.ChoiceField(label="申请事项", widget=forms.RadioSelect, error_messages={"required": "请选择儿童类别"},
                                 choices=[(Category.ORPHAN, "孤儿基本生活费"), (Category.DE_FACTO_UNSUPPORTED, "事实无人抚养儿童基本生活费")])  # fmt: skip
    grounds = forms.MultipleChoiceField(label="孩子父母的情况（可多选）", widget=forms.CheckboxSelectMultiple,
                                        error_messages={"required": "请至少选择一项认定情形"},
                                        choices=[(g.value, g.label) for c in (Category.ORPHAN, Category.DE_FACTO_UNSUPPORTED) for g in GROUNDS_OF[c]])  # fmt: skip
    guardian_relation = forms.CharField(label="您与孩子的关系", max_length=20, error_messages={"required": "请填写您与儿童的关系"},
                                        widget=forms.TextInput(attrs={"placeholder": "如：祖父、外祖母、叔叔"}))  # fmt: skip
    situation = forms.CharField(label="基本情况（可不填）", max_length=2000, required=False,
                                widget=forms.Textarea(attrs={"rows": 3, "placeholder": "孩子的生活、上学，父母的情况等"}))  # fmt: skip

    def __init__(self, *args, children: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_id"].choices = children


class DisabilityPhotoForm(forms.Form):
    file = forms.FileField(label="残疾人证照片（拍照或选择JPG、PNG图片，不超过5MB）", error_messages={"required": "请选择照片"},
                           widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))  # fmt: skip


class ChildPhotoForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=[("", "请选择")] + [(d.value, d.label) for d in RECOGNITION_DOCUMENTS],
                             error_messages={"required": "请选择材料类型"})  # fmt: skip
    file = forms.FileField(label="拍照或选择图片（JPG、PNG，不超过5MB）", error_messages={"required": "请选择照片"},
                           widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))  # fmt: skip
