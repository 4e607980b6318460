"""Bad input never reaches a 500 on the citizens' site (issue 22 item 7): every route, signed in
and not, with hostile ids in the path, hostile query values, and hostile bodies posted to every
form; each answer is a page (200/302/400/404/405/422/429), never a server error."""

from __future__ import annotations

import pytest
from django.urls import URLPattern

from minzheng.citizen import urls as citizen_urls
from minzheng.citizen.tests.test_apply import signed_in

pytestmark = pytest.mark.django_db
HOSTILE = ("²", "abc", "-1", "99999999999999999999", "\x00", "'; drop table x; --", "<script>alert(1)</script>", "９" * 400)
IDS = ("0", "99999999999999999999", "2147483648")


def _paths() -> list[str]:
    paths = []
    for pattern in citizen_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        if "<int:" in route:
            paths += ["/citizen/" + route.split("<int:")[0] + n + route.split(">", 1)[1] for n in IDS]
        else:
            paths.append("/citizen/" + route)
    return paths


def _fields() -> set[str]:
    return {"phone", "code", "name", "id_number", "program", "reason", "temporary_type", "severity", "requested_months",
            "bank_name", "bank_account", "authorization_signed", "kind", "entry", "text", "answer", "state", "town"}  # fmt: skip


def _walk(client) -> list[tuple[str, str, int]]:
    errors = []
    for path in _paths():
        for value in HOSTILE:
            query = {name: value for name in _fields()}
            for method in ("get", "post"):
                answer = getattr(client, method)(path, query)
                if answer.status_code >= 500:
                    errors.append((method, path, value, answer.status_code))
    return errors


def test_nobody_signed_in_gets_no_server_error(client):
    assert _walk(client) == []


def test_a_signed_in_citizen_gets_no_server_error(client, make_household):
    signed_in(client, make_household("500102006001", names=("刘建国",)), "13812345678")
    assert _walk(client) == []
