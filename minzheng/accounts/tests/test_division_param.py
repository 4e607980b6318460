"""Issue 20: the one division parameter parser; junk is refused with the field, never a 500 and
never "everything"."""

from __future__ import annotations

import pytest

from minzheng.accounts.scoping import parse_division_param, prefix_q, prefix_upper_bound
from minzheng.api.auth import issue_token
from minzheng.core.errors import ValidationFailed
from minzheng.registry.models import Person


@pytest.mark.parametrize("raw", ["²", "Ö", "abc", "9", "5001²", "1234567890123", "50 01"])
def test_junk_is_refused_naming_the_field(raw):
    with pytest.raises(ValidationFailed) as e:
        parse_division_param(raw)
    assert e.value.errors == {"division": "区划代码应为2至12位数字"}


@pytest.mark.parametrize("raw,code", [(None, None), ("", None), ("  ", None), (" 500102006 ", "500102006"), ("99", "99")])
def test_codes_and_absence(raw, code):
    assert parse_division_param(raw) == code


def test_upper_bound_refuses_unicode_digits_and_nines_select_their_codes():
    assert prefix_upper_bound("500102006") == "500102007"
    assert prefix_upper_bound("50010209") == "5001021"
    with pytest.raises(ValueError):
        prefix_upper_bound("²")
    assert str(prefix_q("999")) == "(AND: ('division_code__gte', '999'))"


@pytest.mark.django_db
def test_within_refuses_junk_and_answers_nothing_for_all_nines(make_person, make_user, actor_of):
    make_person("500102006001", "张一")
    actor = actor_of(make_user("district_staff", "500102"))
    assert list(Person.objects.within(actor, "99").values_list("name", flat=True)) == []
    assert list(Person.objects.within(actor, "999999999999").values_list("name", flat=True)) == []
    assert list(Person.objects.within(actor, "500102006").values_list("name", flat=True)) == ["张一"]
    with pytest.raises(ValidationFailed):
        Person.objects.within(actor, "abc")


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "Ö", "abc", "9"])
@pytest.mark.parametrize(
    "url",
    ["/api/v1/persons", "/api/v1/assistance/todo", "/api/v1/assistance/enrolments", "/api/v1/discovery/alerts",
     "/api/v1/discovery/tasks", "/api/v1/eldercare/facilities", "/api/v1/eldercare/indicators",
     "/api/v1/death-reports"],
)  # fmt: skip
def test_api_lists_answer_422_naming_division(client, make_user, url, value):

    token, _ = issue_token(make_user("district_staff", "500102"))
    r = client.get(url, {"division": value}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (r.status_code, r.json()) == (
        422, {"detail": "输入有误", "errors": [{"field": "division", "message": "区划代码应为2至12位数字"}]}
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/persons/", "/assistance/", "/assistance/applications/", "/discovery/alerts/", "/eldercare/facilities/", "/eldercare/elders/"]
)
def test_pages_answer_400_with_the_reason(client, make_user, url):
    client.force_login(make_user("district_staff", "500102"))
    for value in ("²", "Ö", "abc", "9"):
        r = client.get(url, {"division": value})
        assert r.status_code == 400, (url, value)
        assert "区划代码应为2至12位数字" in r.content.decode()
    for value in ("99", "999999"):
        assert client.get(url, {"division": value}).status_code == 200, (url, value)


@pytest.mark.django_db
@pytest.mark.parametrize("url,field,value", [
    ("/api/v1/rules/parameters", "on", "abc"),
    ("/api/v1/rules/parameters", "on", "2025-13"),
])  # fmt: skip
def test_a_malformed_month_is_refused_not_answered_for_another_month(client, make_user, url, field, value):

    token, _ = issue_token(make_user("district_staff", "500102"))
    r = client.get(url, {field: value}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (r.status_code, r.json()) == (
        422, {"detail": "输入有误", "errors": [{"field": field, "message": "月份格式应为“年-月”（如 2026-03），月份须在 01–12 之间"}]}
    )


@pytest.mark.django_db
def test_explain_refuses_period_2025_13(client, make_user, make_household):

    household = make_household("500102006001")
    token, _ = issue_token(make_user("district_staff", "500102"))
    r = client.get(f"/api/v1/rules/households/{household.pk}/explain", {"period": "2025-13"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert (r.status_code, r.json()["errors"]) == (422, [{"field": "period", "message": "月份格式应为“年-月”（如 2026-03），月份须在 01–12 之间"}])


@pytest.mark.django_db
def test_the_parameter_page_refuses_on_abc(client, make_user):
    client.force_login(make_user("district_staff", "500102"))
    r = client.get("/screening/parameters/", {"on": "abc"})
    assert r.status_code == 400 and "月份格式应为“年-月”（如 2026-03），月份须在 01–12 之间" in r.content.decode()
