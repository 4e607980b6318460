"""The authorization matrix (issue 20): every object page a user of one town reaches is refused
to the users of another town, for every local role, and every form on those pages writes
nothing for them.

How the matrix is built, so that it keeps up with new screens by itself:

1. a small demo district is seeded with every line's demo data (as `minzheng demo` does); the
   demo lines put their records in both demo towns, 敦仁街道 (500102006) and 珍溪镇 (500102119);
2. the users of 珍溪镇 (its town officer, approver and village workers) walk the site: every
   module of their navigation and the same-site links of those pages, two levels deep. Every
   page they open whose path names an object (a number or a division code in the path) is an
   object of *their* divisions;
3. each of those pages is opened by every local role of 敦仁街道 (village worker, second village
   worker, town officer, approver): the answer must be a refusal (403 or 404), never the page;
4. every form those pages carry (`<form method="post" action=…>` naming an object) is posted,
   empty and with the page's own fields, by the same users: the answer must be a refusal (403,
   404 or 405) and no row of any table changes.

District-wide roles (district staff, leader, administrator, rescue station, marriage registrar)
see the whole district by design and are not in the matrix; their refusals by permission are
tested by each line's grants tests. A page that is district-wide reference data — the same for
every town — is listed in ``SHARED`` with the reason; a new object page that is neither refused
nor listed fails this test. The API is not in this walk (it has no links to follow): each
line's API tests refuse another town's objects by id (e.g. volunteers/tests/test_api_report.py).
"""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from minzheng.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

OWNERS = ("town_500102119", "approver_500102119", "village_500102119001", "cun_xieli_500102119001")
OTHERS = ("village_500102006001", "cun_xieli_500102006001", "town_500102006", "approver_500102006")
HREF = re.compile(r'href="(/[^"#?]*)(?:\?[^"]*)?"')
FORM = re.compile(r'<form[^>]*method="post"[^>]*action="(/[^"#?]*)"', re.IGNORECASE)
SKIP = ("/static/", "/logout/", "/media/", "/api/", "/login/", "/password/", "/tokens/")
FILES = (".xlsx", ".pdf", ".docx", ".csv", ".zip", ".png", ".jpg")
OBJECT = re.compile(r"/(\d+|500102\d{3}(?:\d{3})?)(?:/|$)")
# Pages naming an object that is the same for every town (reference data of the district).
SHARED = {
    re.compile(r"^/planning/"): "规划指标、重点项目和评估报告是全区的（区级数据，各级均可查看全区与各乡镇的完成情况）",
    re.compile(r"^/children/institutions/\d+/$"): "儿童福利机构是全区公共服务设施（在院儿童按辖区列出：children/access.py）",
}


def _shared(path: str) -> str:
    return next((reason for pattern, reason in SHARED.items() if pattern.search(path)), "")


def _walk(client: Client, depth: int = 2, per_page: int = 60) -> tuple[set[str], set[str]]:
    """(object pages answered 200, object form actions) the logged-in user reaches."""
    home = client.get("/")
    assert home.status_code == 200
    start = sorted({m["url"] for m in home.context["nav_modules"]} | {"/"})
    queue = deque((url, 0) for url in start)
    seen: set[str] = set(start)
    pages: set[str] = set()
    actions: set[str] = set()
    while queue:
        url, level = queue.popleft()
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        text = response.content.decode()
        if OBJECT.search(url):
            pages.add(url)
            actions.update(a for a in FORM.findall(text) if OBJECT.search(a))
        if level >= depth:
            continue
        links = sorted({h for h in HREF.findall(text) if not h.startswith(SKIP) and not h.endswith(FILES)})
        for link in links[:per_page]:
            if link not in seen:
                seen.add(link)
                queue.append((link, level + 1))
    return pages, actions


# Written by any request, refused or not: the audit trail (a refusal is recorded), sessions and
# the login guard's records.
BOOKKEEPING = {"core.AuditEvent", "sessions.Session", "axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"}


def _row_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._meta.label not in BOOKKEEPING
    }


def test_every_object_page_of_another_town_is_refused_to_every_local_role(django_db_blocker):
    call_command("demo", "--no-serve", "--scale", "0.002", "--seed", "7", verbosity=0)
    owner = Client()
    pages: set[str] = set()
    actions: set[str] = set()
    for username in OWNERS:
        owner.force_login(User.objects.get(username=username))
        found_pages, found_actions = _walk(owner)
        pages |= found_pages
        actions |= found_actions
        owner.logout()
    checked = sorted(p for p in pages if not _shared(p))
    # the walk really reached the lines' object pages (2026-12-05: ≈ 240 pages checked, 98 forms)
    assert len(checked) > 230 and len(actions) > 80, (len(checked), len(actions))
    leaks, write_leaks = [], []
    other = Client()
    for username in OTHERS:
        other.force_login(User.objects.get(username=username))
        for path in checked:
            status = other.get(path).status_code
            if status not in (403, 404):
                leaks.append((username, path, status))
        before = _row_counts()
        for action in sorted(a for a in actions if not _shared(a)):
            status = other.post(action, {}).status_code
            if status not in (403, 404, 405):
                write_leaks.append((username, action, status))
        assert _row_counts() == before, username  # no refused post wrote anything
        other.logout()
    assert leaks == [], sorted({(u.split("_")[0], re.sub(r"\d+", "N", p), st) for u, p, st in leaks})
    assert write_leaks == []
