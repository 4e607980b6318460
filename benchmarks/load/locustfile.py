"""Load test: the daily mix of the staff screens (issue 20 point 9).

    benchmarks/load.sh [--db var/bench/load.sqlite3] [--users 50] [--rate 5] [--time 10m]

or by hand against a running demo (loopback only):

    .venv/bin/locust -f benchmarks/load/locustfile.py --headless -u 50 -r 5 -t 10m \
        --host http://127.0.0.1:8000 --csv benchmarks/out/load

Each simulated user logs in once as a demo account (password ``minzheng-demo``) and then works
like its role does on a normal day, with a think time of 1–5 s between requests. Users are spread
over the roles by weight (how many of each a district has on line at once):

    role             account(s)                               user weight
    village worker   village_500102006001, village_500102119001,   6
                     cun_xieli_500102006001, cun_xieli_500102119001
    town officer     town_500102006, town_500102119                3
    district staff   district_staff                                1

Task weights inside a role (the share of its requests):

    village worker  待办 (workbench /) 3, person search 4, person page 3, open an application 2,
                    save a person's facts (the edit form sent back as loaded) 1, 救助待办 1
    town officer    待办 2, 救助待办 3, application list 2, open an application 3,
                    person search 2, save a person's facts 1
    district staff  待办 1, person search 3, application list 2, open an application 2,
                    alerts list 2, 救助待办 1

The write (保存 on /persons/<id>/edit/) is valid and repeatable: it posts the person's own form
back with its current values and version, 工资性收入 moved by one fen (up from an even number of
fen, down from an odd one), through do_update_person (validation, optimistic lock, UPDATE,
audit) — a real write every time that never exhausts or drifts the data, whatever the duration. Every answer other than 200 (and
the 302 after a save or login) is counted as a failure, named by its page.
"""

from __future__ import annotations

import random
import re
from decimal import Decimal
from html.parser import HTMLParser

from locust import HttpUser, between

PASSWORD = "minzheng-demo"
SEARCH_TERMS = ("王", "李", "张", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "马")
PERSON_LINK = re.compile(r'href="/persons/(\d+)/"')
APPLICATION_LINK = re.compile(r'href="/assistance/applications/(\d+)/"')


class _Form(HTMLParser):
    """The fields of the page's form whose action is ``action`` (or its first POST form), as a
    browser would send them: inputs with their value, checked boxes, the selected option, text."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self._in = False
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._in = True
            self.forms.append([])
        if not self._in:
            return
        fields = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name and not a.get("disabled"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((name, a.get("value") or "on"))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value") or ""
            if self._first_option is None:
                self._first_option = value
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            self.forms[-1].append((self._select, self._select_value if self._select_value is not None else (self._first_option or "")))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.forms[-1].append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self._in = False


def form_fields(html: str, *, containing: str) -> list[tuple[str, str]] | None:
    """The POST form on the page that has a field named ``containing``."""
    parser = _Form()
    parser.feed(html)
    return next((f for f in parser.forms if any(n == containing for n, _ in f)), None)


def _nudge(value: str) -> str:
    """工资性收入 moved by one fen, up from an even and down from an odd number of fen: every
    save is a real write (UPDATE, version + 1, audit) and the value never drifts."""
    fen = round(Decimal(value or "0") * 100)
    fen += 1 if fen % 2 == 0 else -1
    return str((Decimal(fen) / 100).quantize(Decimal("0.01")))


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return m.group(1) if m else ""


class Staff(HttpUser):
    abstract = True
    wait_time = between(1, 5)
    accounts: tuple[str, ...] = ()

    def on_start(self):
        self.persons: list[str] = []
        self.applications: list[str] = []
        username = random.choice(self.accounts)
        page = self.client.get("/login/", name="/login/ [GET]")
        with self.client.post(
            "/login/", data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf_of(page.text)},
            headers={"Referer": f"{self.host}/login/"}, name="/login/ [POST]", allow_redirects=False, catch_response=True,
        ) as r:  # fmt: skip
            if r.status_code != 302:
                r.failure(f"login of {username} answered {r.status_code}")
        self.get("/", "/ (待办)")
        self.get("/assistance/applications/", "/assistance/applications/", remember=True)

    # --- helpers --------------------------------------------------------------------------------

    def get(self, url: str, name: str, *, remember: bool = False) -> str:
        with self.client.get(url, name=name, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
                return ""
            if remember:
                self.persons = PERSON_LINK.findall(r.text)[:50] or self.persons
                self.applications = APPLICATION_LINK.findall(r.text)[:50] or self.applications
            return r.text

    # --- the daily mix --------------------------------------------------------------------------

    def workbench(self):
        self.get("/", "/ (待办)")

    def assistance_todo(self):
        self.get("/assistance/", "/assistance/ (救助待办)", remember=True)

    def search(self):
        self.get(f"/persons/?q={random.choice(SEARCH_TERMS)}", "/persons/?q=", remember=True)

    def person_page(self):
        if not self.persons:
            return self.search()
        self.get(f"/persons/{random.choice(self.persons)}/", "/persons/<id>/")

    def application_list(self):
        self.get("/assistance/applications/", "/assistance/applications/", remember=True)

    def application_page(self):
        if not self.applications:
            return self.application_list()
        self.get(f"/assistance/applications/{random.choice(self.applications)}/", "/assistance/applications/<id>/")

    def alerts(self):
        self.get("/discovery/alerts/", "/discovery/alerts/")

    def save_person(self):
        """Open a person's edit form and send it back as loaded (a valid, repeatable write)."""
        if not self.persons:
            return self.search()
        person = random.choice(self.persons)
        url = f"/persons/{person}/edit/"
        html = self.get(url, "/persons/<id>/edit/ [GET]")
        fields = form_fields(html, containing="version") if html else None
        if not fields:
            return
        fields = [(n, _nudge(v) if n == "income_wage" else v) for n, v in fields]
        with self.client.post(
            url, data=fields, headers={"Referer": f"{self.host}{url}"}, name="/persons/<id>/edit/ [POST 保存]",
            allow_redirects=False, catch_response=True,
        ) as r:  # fmt: skip
            if r.status_code == 409:  # another user saved the same person first: the lock worked
                r.success()
            elif r.status_code != 302:
                r.failure(f"{r.status_code}")


class VillageWorker(Staff):
    weight = 6
    accounts = ("village_500102006001", "village_500102119001", "cun_xieli_500102006001", "cun_xieli_500102119001")
    tasks = {  # noqa: RUF012 — locust reads the class attribute
        Staff.workbench: 3, Staff.search: 4, Staff.person_page: 3, Staff.application_page: 2,
        Staff.save_person: 1, Staff.assistance_todo: 1,
    }  # fmt: skip


class TownOfficer(Staff):
    weight = 3
    accounts = ("town_500102006", "town_500102119")
    tasks = {  # noqa: RUF012 — locust reads the class attribute
        Staff.workbench: 2, Staff.assistance_todo: 3, Staff.application_list: 2, Staff.application_page: 3,
        Staff.search: 2, Staff.save_person: 1,
    }  # fmt: skip


class DistrictStaff(Staff):
    weight = 1
    accounts = ("district_staff",)
    tasks = {  # noqa: RUF012 — locust reads the class attribute
        Staff.workbench: 1, Staff.search: 3, Staff.application_list: 2, Staff.application_page: 2,
        Staff.alerts: 2, Staff.assistance_todo: 1,
    }  # fmt: skip
