"""Hostile query values never reach a server error (issue 20).

Walks every URL pattern of the staff site and of the API without a path parameter (the lists,
where query parameters are read; detail pages 404 for a made-up id before reading any), as a district user, once per hostile value with EVERY query parameter the views read
set to that value (and once per parameter alone, for the values that tripped a parser before).
Any 5xx fails. Small data (one household in each of two towns), built once per module.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver
from django.urls.resolvers import URLResolver

PARAMS = (
    "division", "page", "offset", "limit", "period", "on", "date_from", "date_to", "q", "status", "year", "month",
    "version", "program", "kind", "form", "plan", "map", "tier", "source", "subsidy", "mine", "overdue", "mode",
)  # fmt: skip
HOSTILE = ("²", "abc", "999999", "-1", "99999999999999999999", "2025-13-01")
ALONE = ("²", "-1")
SKIP = re.compile(
    r"^(logout/|login/|api/v1/auth/token|api/v1/openapi\.json|api/v1/$|funerals/memorial/)|\.(xlsx|pdf|docx)$|export/$|<str:fmt>"
)
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _routes(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _routes(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern)


def _site_urls(ids: dict) -> list[str]:
    urls = []
    for route in dict.fromkeys(_routes(get_resolver().url_patterns)):
        if SKIP.match(route) or route.startswith("^"):
            continue
        if "<" in route and not route.startswith("divisions/"):
            continue  # list pages and API lists: where the query parameters are read
        def fill(m):
            kind, name = m.group(1), m.group(2)
            if kind == "int":
                return str(ids.get(name, ids["person_id"]))
            return {"fmt": "xlsx", "kind": "dibao", "code": "500102006", "period": "2026-11"}.get(name, "x")

        urls.append("/" + CONVERTER.sub(fill, route))
    return urls


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """A district user, its API token, one household in 敦仁街道 and one in 珍溪镇 — rolled back at the end."""
    from minzheng.accounts.actions import do_create_staff_user
    from minzheng.accounts.actor import Actor
    from minzheng.accounts.roles import Role
    from minzheng.api.auth import issue_token
    from minzheng.core.idnumber import check_digit
    from minzheng.registry.actions import PersonInput, do_create_household, do_register_person

    system = Actor.system("测试数据准备")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            user = do_create_staff_user(
                system, username="hostile_district", password="test-pass-12345", role=Role.DISTRICT_STAFF,
                division_codes=["500102"], must_change_password=False, validate=False,
            )  # fmt: skip
            households = []
            for n, code in enumerate(("500102006001", "500102119001")):
                first17 = f"50010219520120{780 + 2 * n:03d}"
                head = do_register_person(system, PersonInput(id_number=first17 + check_digit(first17), name="张三丰", division_code=code))
                households.append(do_create_household(system, head=head))
            token, _ = issue_token(user)
            yield {"user": user, "token": token, "ids": {"person_id": households[0].head_id, "household_id": households[0].pk}}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _get(client: Client, token: str, url: str, query: dict):
    full = f"{url}?{urlencode(query)}"
    if url.startswith("/api/"):
        return full, client.get(full, HTTP_AUTHORIZATION=f"Bearer {token}")
    return full, client.get(full)


def _walk(world, queries) -> list[tuple[str, int]]:
    client = Client(raise_request_exception=False)
    client.force_login(world["user"])
    failures = []
    for url in _site_urls(world["ids"]):
        for query in queries:
            full, response = _get(client, world["token"], url, query)
            if response.status_code >= 500:
                failures.append(f"{response.status_code} {url} {sorted(query)[:1] if len(query) == 1 else ''}")
    return sorted(set(failures))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "value",
    HOSTILE,
    ids=[f"v{i}" for i in range(len(HOSTILE))],
)
def test_every_page_and_api_list_survives_a_hostile_value_in_every_parameter(world, value):
    assert _walk(world, [{name: value for name in PARAMS}]) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["division", "page", "offset",
     "limit", "period", "on", "date_from", "year", "version"],
)
def test_every_page_and_api_list_survives_a_hostile_value_in_one_parameter(world, name):
    assert _walk(world, [{name: value} for value in ALONE]) == []


@pytest.mark.django_db
def test_offset_and_limit_out_of_range_are_refused_with_the_field_named(world):
    client = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}
    cases = [(url, query, "offset") for url in ("/api/v1/eldercare/facilities", "/api/v1/lowincome/register",
                                                "/api/v1/assistance/enrolments", "/api/v1/sociorgs/organisations")
             for query in ("offset=-1", "offset=99999999999999999999")]  # fmt: skip
    cases += [("/api/v1/eldercare/facilities", "limit=0", "limit"), ("/api/v1/sociorgs/organisations", "limit=501", "limit")]
    for url, query, field in cases:
        response = client.get(f"{url}?{query}", **auth)
        assert (response.status_code, [e["field"] for e in response.json()["errors"]]) == (422, [field]), (url, query)
    assert client.get("/api/v1/eldercare/facilities?offset=0&limit=500", **auth).status_code == 200
