"""Fixtures of the screening tests: poor households in two towns, officers of each level,
a finished screening run, and bearer-token API clients."""

from __future__ import annotations

import json

import pytest

from minzheng.accounts.actor import Actor
from minzheng.api.auth import issue_token
from minzheng.divisions.directory import get_directory
from minzheng.screening.runs import do_run_screening

DUNREN_COMMUNITY = "500102006001"  # 敦仁街道
DUNREN_OTHER = "500102006003"
ZHENXI = "500102119"  # 珍溪镇
PERIOD = "2026-11"


class ApiClient:
    def __init__(self, client, token: str):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path, **params):
        return self.client.get(path, params, **self.headers)

    def post(self, path, payload=None, *, raw: str | bytes | None = None):
        body = raw if raw is not None else json.dumps(payload)
        return self.client.post(path, data=body, content_type="application/json", **self.headers)


@pytest.fixture
def api_as(client):
    def make(user) -> ApiClient:
        token, _ = issue_token(user)
        return ApiClient(client, token)

    return make


@pytest.fixture
def zhenxi_village():
    """A rural village (村) of 珍溪镇."""
    return next(v.code for v in get_directory().villages(ZHENXI) if v.zone == "rural")


@pytest.fixture
def poor_households(db, make_household, zhenxi_village):
    """Two households with no income (dibao-eligible): one in 敦仁街道's first community, one
    in a village of 珍溪镇; and a third in another 敦仁 community."""
    a = make_household(DUNREN_COMMUNITY, names=("张大爷", "张大妈"))
    b = make_household(zhenxi_village, names=("李老汉", "李大娘"))
    c = make_household(DUNREN_OTHER, names=("王一", "王二"))
    return a, b, c


@pytest.fixture
def screened(poor_households):
    return do_run_screening(Actor.system("测试筛查"), period=PERIOD)


@pytest.fixture
def district_staff(make_user):
    return make_user("district_staff", "500102")


@pytest.fixture
def village_worker(make_user):
    return make_user("village_worker", DUNREN_COMMUNITY)


@pytest.fixture
def zhenxi_officer(make_user):
    return make_user("town_officer", ZHENXI)
