"""Citizens on the 网上办 site (issue 22 item 7): many phones at once against the demo.

    benchmarks/load/run_citizens.sh DB [USERS=500] [MINUTES=5]

Each simulated citizen is one synthetic household head of the demo database (their name and ID
number read by ``prepare_citizens.py`` into a file under benchmarks/out, never printed), signs
in and repeats, pausing 3–10 s between steps (a person reading a phone):

| weight | step |
| --- | --- |
| 4 | 我的 (`/citizen/`): the household, members masked (each view audited) |
| 3 | 我的申请 (`/citizen/cases/`) and, when there is one, the case page |
| 3 | 公示 (`/citizen/notices/`) and one notice |
| 1 | 申请救助 (`/citizen/apply/`): the form |
| once | a write: applies for 临时救助 for the household (the clear refusal "已有正在办理…" when
|      | the household already has one is the platform working, not an error) |

Sign-in: through the single sign-on stand-in (渝快办-style, real-name at once), since every
locust user comes from 127.0.0.1 and the SMS code path is limited to 20 codes an address an hour;
the first 10 users sign in with an SMS code instead (the code the stand-in shows on the page),
so both paths carry load. Every answer other than 200/302 counts as an error. Loopback only.
"""

from __future__ import annotations

import csv
import itertools
import os
import random
import re
import threading
from pathlib import Path

from locust import HttpUser, between, task

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CASE = re.compile(r'href="/citizen/cases/(\d+)/"')
NOTICE = re.compile(r'href="/citizen/notices/(\d+)/"')
CODE = re.compile(r"验证码为(\d{6})")
PEOPLE_FILE = Path(os.environ.get("MINZHENG_LOAD_CITIZENS", Path(__file__).resolve().parents[1] / "out" / "citizens.csv"))
SMS_USERS = 10

_lock = threading.Lock()
_people = None
_counter = itertools.count()


def next_person() -> tuple[int, dict]:
    global _people
    with _lock:
        if _people is None:
            with PEOPLE_FILE.open(encoding="utf-8") as f:
                _people = list(csv.DictReader(f))
        n = next(_counter)
        return n, _people[n % len(_people)]


class Citizen(HttpUser):
    wait_time = between(3, 10)

    def _csrf(self, text: str) -> str:
        found = CSRF.search(text)
        return found.group(1) if found else ""

    def _post(self, url: str, data: dict, page_text: str, name: str, **kwargs):
        return self.client.post(url, {**data, "csrfmiddlewaretoken": self._csrf(page_text)}, headers={"Referer": f"{self.host}{url}"},
                                name=name, **kwargs)  # fmt: skip

    def on_start(self) -> None:
        n, self.person = next_person()
        self.phone = f"139{n:08d}"
        if n < SMS_USERS:
            self._sign_in_by_code()
        else:
            self._sign_in_by_sso()
        self.applied = False

    def _sign_in_by_sso(self) -> None:
        page = self.client.get("/citizen/sso/", name="统一认证 /citizen/sso/ → 认证页")
        url = page.url.replace(self.host, "")
        done = self._post(url, {"name": self.person["name"], "id_number": self.person["id_number"], "phone": self.phone}, page.text,
                          "统一认证 POST → 回调 → 我的")  # fmt: skip
        if done.status_code != 200 or not done.url.endswith("/citizen/"):
            done.failure = True

    def _sign_in_by_code(self) -> None:
        page = self.client.get("/citizen/signin/", name="登录页 /citizen/signin/")
        sent = self._post("/citizen/signin/", {"phone": self.phone}, page.text, "获取验证码 POST /citizen/signin/")
        code = CODE.search(sent.text)
        if code is None:
            sent.failure = True
            return
        done = self._post("/citizen/signin/code/", {"code": code.group(1)}, sent.text, "验证码登录 POST /citizen/signin/code/")
        if "/citizen/bind/" in done.url:
            done = self._post("/citizen/bind/", {"name": self.person["name"], "id_number": self.person["id_number"]}, done.text,
                              "实名认证 POST /citizen/bind/")  # fmt: skip

    @task(4)
    def home(self) -> None:
        self.client.get("/citizen/", name="我的 /citizen/")

    @task(3)
    def cases(self) -> None:
        page = self.client.get("/citizen/cases/", name="我的申请 /citizen/cases/")
        found = CASE.findall(page.text)
        if found:
            self.client.get(f"/citizen/cases/{random.choice(found)}/", name="申请进度 /citizen/cases/[id]/")

    @task(3)
    def notices(self) -> None:
        page = self.client.get("/citizen/notices/", name="公示 /citizen/notices/")
        found = NOTICE.findall(page.text)
        if found:
            self.client.get(f"/citizen/notices/{random.choice(found)}/", name="公示详情 /citizen/notices/[id]/")

    @task(1)
    def apply(self) -> None:
        form = self.client.get("/citizen/apply/", name="申请救助 /citizen/apply/")
        if self.applied or form.status_code != 200:
            return
        self.applied = True
        data = {"program": "temporary", "reason": "突发疾病住院，家庭支出大（压力测试）", "temporary_type": "expenditure",
                "severity": "general", "requested_months": "1", "authorization_signed": "on"}  # fmt: skip
        with self._post("/citizen/apply/", data, form.text, "网上申请 POST /citizen/apply/", catch_response=True) as answer:
            if answer.status_code == 200 and "正在办理" in answer.text:
                answer.success()  # the household already has an open case: refused by name, nothing written
            elif "/citizen/cases/" not in answer.url:
                answer.failure("申请未成功")
