"""The 政策参数 page and the why panel as users read them: 说明 instead of keys, citations as
文号 and title with the link behind, 参数待确认 once per page with the provisional values."""

from __future__ import annotations

import re

import pytest

from minzheng.core.citations import parse_citation
from minzheng.rules import load_parameters

pytestmark = pytest.mark.django_db


def test_every_parameter_reference_reads_without_internals():
    parameters = load_parameters()
    for name in parameters.names():
        for entry in parameters.history(name):
            text = parse_citation(entry.reference).text
            assert not re.search(r"http|\.md|domain/|Working", text), (name, text)


def test_parameter_page_shows_descriptions_citations_and_one_provisional_list(client, make_user):
    client.force_login(make_user("district_staff", "500102"))
    page = client.get("/screening/parameters/", {"on": "2026-12"}).content.decode()
    visible = re.sub(r"<[^>]+>", " ", page)
    assert "dibao.standard.rural" not in visible and "domain/" not in page and ".md" not in visible
    assert "农村居民最低生活保障标准" in page
    assert '<a href="http://www.dazu.gov.cn/' in page and ">渝民规〔2025〕6号</a>" in page
    assert page.count("参数待确认") == 1 + page.count('title="参数待确认"')  # the heading once; rows carry ※ only
    assert 'id="provisional"' in page and "工作默认值（待区民政局确认）" in page
    assert '<input type="month" id="on" name="on" value="2026-12">' in page
