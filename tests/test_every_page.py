"""Every screen a demo user can reach answers without a server error.

Builds a small demo district with every service line's seeder (as `minzheng demo` does), then,
for each demo account, opens every module in the navigation and every same-site link on those
pages (one level deep). A 500 anywhere fails; 403/404 are legitimate answers for links that
lead outside a user's scope.
"""

import re

import pytest
from django.core.management import call_command

from minzheng.accounts.actions import demo_accounts
from minzheng.accounts.models import User

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

HREF = re.compile(r'href="(/[^"#?]*)(?:\?[^"]*)?"')
SKIP = ("/static/", "/logout/", "/media/", "/api/")
FILE_SUFFIXES = (".xlsx", ".pdf", ".docx", ".csv")


def test_every_reachable_page_renders(client, django_db_blocker):
    call_command("demo", "--no-serve", "--scale", "0.002", "--seed", "7", verbosity=0)
    failures = []
    visited_total = 0
    for username, *_ in demo_accounts():
        client.force_login(User.objects.get(username=username))
        home = client.get("/")
        assert home.status_code == 200, username
        modules = {m["url"] for m in home.context["nav_modules"]}
        seen = set()
        for url in sorted(modules):
            response = client.get(url)
            seen.add(url)
            if response.status_code >= 500:
                failures.append((username, url, response.status_code))
                continue
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            links = sorted({h for h in HREF.findall(response.content.decode()) if not h.startswith(SKIP)})
            for link in links[:40]:
                if link in seen:
                    continue
                seen.add(link)
                r = client.get(link)
                if r.status_code >= 500:
                    failures.append((username, link, r.status_code))
        visited_total += len(seen)
        client.logout()
    assert failures == []
    assert visited_total > 100
