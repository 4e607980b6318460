"""The person picker: a form field that chooses a person of the registry within the user's
scope, by name, pinyin initials, the full ID number or its last four characters.

On screen it is a search box (HTMX: ``registry:person-pick`` returns a short list with masked
numbers) and a hidden input with the chosen person's id; choosing one
(``registry:person-pick-choose``) swaps the box for the chosen person and a 更换 button. No
script of its own: it works wherever htmx is loaded.

    class MyForm(forms.Form):
        applicant = PersonPickerField(label="申请人")

    form = MyForm(request.POST or None)
    bind_person_pickers(form, request.actor)     # every picker of the form checks this scope

``cleaned_data["applicant"]`` is then a ``Person`` the actor may see (another village's id,
a made-up id or a deceased person's is refused with a Chinese message next to the field).
"""

from __future__ import annotations

from django import forms
from django.urls import reverse

from minzheng.accounts.actor import Actor
from minzheng.core.errors import NotFound
from minzheng.divisions.directory import get_directory
from minzheng.registry.access import access_person_by_id
from minzheng.registry.models import Person

NOT_FOUND = "请从列表中选择本辖区内的在册人员"


def person_summary(person: Person) -> dict:
    return {
        "id": person.pk,
        "name": person.name,
        "masked": person.id_number_masked,
        "sex": person.get_sex_display(),
        "birth_year": person.birth_date.year,
        "place": get_directory().name(person.division_code) if person.division_code else "",
        "in_household": bool(person.household_id),
    }


class PersonPickerWidget(forms.Widget):
    template_name = "registry/_person_picker.html"

    def __init__(self, attrs=None, *, placeholder: str = "姓名、拼音首字母或身份证号码后4位"):
        super().__init__(attrs)
        self.actor: Actor | None = None
        self.placeholder = placeholder

    def value_from_datadict(self, data, files, name):
        return (data.get(name) or "").strip()

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def id_for_label(self, id_):
        return f"{id_}_q" if id_ else id_

    def chosen(self, value) -> Person | None:
        if not value or self.actor is None or not str(value).isdigit():
            return None
        try:
            person = access_person_by_id(self.actor, int(value), audit=False)
        except NotFound:
            return None
        return None if person.is_deceased else person

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget_id = widget["attrs"].get("id") or f"id_{name}"
        person = value if isinstance(value, Person) else self.chosen(value)
        widget.update(
            {
                "id": widget_id,
                "person": person_summary(person) if person else None,
                "search_url": reverse("registry:person-pick") + f"?field={name}&id={widget_id}",
                "placeholder": self.placeholder,
            }
        )
        return context


class PersonPickerField(forms.Field):
    widget = PersonPickerWidget
    default_error_messages = {"required": "请选择人员", "invalid": NOT_FOUND}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor: Actor | None = None

    def prepare_value(self, value):
        return value.pk if isinstance(value, Person) else value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Person):
            return value
        if not str(value).isdigit() or self.actor is None:
            raise forms.ValidationError(NOT_FOUND, code="invalid")
        try:
            person = access_person_by_id(self.actor, int(value), audit=False)
        except NotFound:
            raise forms.ValidationError(NOT_FOUND, code="invalid") from None
        if person.is_deceased:
            raise forms.ValidationError(f"{person.name}已登记死亡，不能选择", code="invalid")
        return person


def bind_person_pickers(form: forms.BaseForm, actor: Actor) -> forms.BaseForm:
    """Give every picker of ``form`` the user whose scope it searches and accepts."""
    for field in form.fields.values():
        if isinstance(field, PersonPickerField):
            field.actor = actor
            field.widget.actor = actor
    return form
