"""The one helper that puts an action's refusal onto a form, and the posted case version."""

from __future__ import annotations

from django import forms
from django.test import RequestFactory

from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.web.form_errors import apply_domain_error, posted_version


class _Form(forms.Form):
    name = forms.CharField(label="姓名", required=False)
    day = forms.DateField(label="日期", required=False)


def _bound() -> _Form:
    form = _Form({})
    assert form.is_valid()
    return form


def test_field_messages_go_next_to_their_field_and_the_rest_to_the_top():
    form = _bound()
    apply_domain_error(form, ValidationFailed({"name": "请填写姓名", "on": "日期不能晚于今天", "other": "缺少材料"}), {"on": "day"})
    assert form.errors == {"name": ["请填写姓名"], "day": ["日期不能晚于今天"], "__all__": ["缺少材料"]}


def test_a_refusal_without_fields_goes_to_the_top():
    form = _bound()
    apply_domain_error(form, DomainError("该记录已被其他用户处理，请刷新后重试"))
    assert form.non_field_errors() == ["该记录已被其他用户处理，请刷新后重试"]


def test_the_posted_version_is_a_number_or_the_missing_value_never_an_error():
    rf = RequestFactory()
    assert posted_version(rf.post("/", {"version": "7"})) == 7
    assert posted_version(rf.post("/", {"version": "abc"})) == -1
    assert posted_version(rf.post("/", {})) == -1
    assert posted_version(rf.post("/", {"version": ""}), missing=0) == 0
