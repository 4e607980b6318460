"""The daily mix of the bureau's staff against a running platform (issue 20 item 9).

    benchmarks/load/run.sh DB [USERS] [MINUTES]     # starts gunicorn on loopback, runs locust headless

Each simulated user logs in as one of the demo accounts (village workers, town officers,
approvers, district staff, the leader — in the proportions of the staff) and repeats, with a
pause of 1–5 s between steps (a person reading the screen):

| weight | step |
| --- | --- |
| 4 | 待办: the workbench (`/`) |
| 4 | person search: `/persons/?q=<surname>` |
| 3 | a person's page from the search (its view is audited) |
| 2 | the applications list and an application's page (case page) |
| 1 | the enrolment list and an enrolment's page |
| 1 | the module's home of the role (assistance / eldercare / volunteers / planning) |
| 1 | a write (village worker): a volunteer need raised from a person's page after a “三留守”
|   | visit — a real audited action that adds a row each time, so it can be repeated |

Every answer other than 200/302 counts as an error (locust's failure count), except the
clear refusal of a need for a person recorded as deceased (422 naming it; nothing written). Only loopback
addresses are allowed as host (run.sh refuses any other).
"""

from __future__ import annotations

import random
import re

from locust import HttpUser, between, task

PASSWORD = "minzheng-demo"
ACCOUNTS = (
    ["village_500102006001", "village_500102119001", "cun_xieli_500102006001", "cun_xieli_500102119001"] * 5
    + ["town_500102006", "town_500102119", "approver_500102006", "approver_500102119"] * 3
    + ["district_staff"] * 3
    + ["district_leader"]
)
SURNAMES = "王李张刘陈杨黄赵周吴"
PERSON = re.compile(r'href="/persons/(\d+)/"')
APPLICATION = re.compile(r'href="/assistance/applications/(\d+)/"')
ENROLMENT = re.compile(r'href="/assistance/enrolments/(\d+)/"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
HOMES = {"village": "/assistance/", "cun": "/assistance/", "town": "/eldercare/", "approver": "/assistance/",
         "district": "/planning/"}  # fmt: skip


class Staff(HttpUser):
    wait_time = between(1, 5)

    def on_start(self) -> None:
        self.username = random.choice(ACCOUNTS)
        page = self.client.get("/login/", name="/login/")
        token = CSRF.search(page.text).group(1)
        answer = self.client.post("/login/", {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token},
                                  headers={"Referer": f"{self.host}/login/"}, name="/login/ (POST)")  # fmt: skip
        if answer.status_code != 200 or "/login/" in answer.url:
            answer.failure = True
        self.people: list[str] = []

    def _csrf(self, text: str) -> str:
        found = CSRF.search(text)
        return found.group(1) if found else self.client.cookies.get("csrftoken", "")

    @task(4)
    def workbench(self) -> None:
        self.client.get("/", name="待办 /")

    @task(4)
    def search(self) -> None:
        page = self.client.get(f"/persons/?q={random.choice(SURNAMES)}", name="人员查询 /persons/?q=")
        found = PERSON.findall(page.text)
        if found:
            self.people = found[:20]

    @task(3)
    def person(self) -> None:
        if self.people:
            self.client.get(f"/persons/{random.choice(self.people)}/", name="人员页 /persons/[id]/")

    @task(2)
    def application(self) -> None:
        page = self.client.get("/assistance/applications/", name="申请列表 /assistance/applications/")
        found = APPLICATION.findall(page.text)
        if found:
            self.client.get(f"/assistance/applications/{random.choice(found)}/", name="申请页 /assistance/applications/[id]/")

    @task(1)
    def enrolment(self) -> None:
        page = self.client.get("/assistance/enrolments/", name="在保名册 /assistance/enrolments/")
        found = ENROLMENT.findall(page.text)
        if found:
            self.client.get(f"/assistance/enrolments/{random.choice(found)}/", name="保障对象页 /assistance/enrolments/[id]/")

    @task(1)
    def home(self) -> None:
        role = self.username.split("_")[0]
        url = "/" if self.username == "district_leader" else HOMES.get(role, "/")
        self.client.get(url, name=f"模块首页 {url}")

    @task(1)
    def raise_need(self) -> None:
        """A write at the village: the form from a person found by the search, then the need."""
        if not self.username.startswith(("village_", "cun_")) or not self.people:
            return
        person = random.choice(self.people)
        form = self.client.get(f"/volunteers/requests/new/{person}/", name="需求登记页 /volunteers/requests/new/[id]/")
        if form.status_code != 200:
            return
        with self.client.post(f"/volunteers/requests/new/{person}/", {"source": "visit", "need": "上门陪伴（压力测试）",
                                                                       "csrfmiddlewaretoken": self._csrf(form.text)},
                              headers={"Referer": f"{self.host}/volunteers/requests/new/{person}/"},
                              name="提出需求 POST /volunteers/requests/new/[id]/", catch_response=True) as answer:  # fmt: skip
            # A person the search found may have died: the clear refusal (422, named on the form,
            # nothing written) is the platform working, not an error.
            if answer.status_code == 422 and "该人员已登记死亡" in answer.text:
                answer.success()
