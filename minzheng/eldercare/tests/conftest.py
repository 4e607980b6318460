"""Fixtures of the elderly-care tests: two towns far apart, officers of each, bearer clients."""

from __future__ import annotations

import json

import pytest

from minzheng.api.auth import issue_token
from minzheng.divisions.directory import get_directory
from minzheng.core import clock

ZHENXI = "500102119"  # 珍溪镇
DUNREN = "500102006"  # 敦仁街道
ZHENXI_VILLAGE = "500102119001"  # 兴盛社区
DUNREN_COMMUNITY = "500102006001"


@pytest.fixture
def zhenxi_village():
    villages = get_directory().villages(ZHENXI)
    return villages[0].code


@pytest.fixture
def district_staff(make_user):
    return make_user("district_staff", "500102")


@pytest.fixture
def dunren_officer(make_user):
    return make_user("town_officer", DUNREN)


@pytest.fixture
def zhenxi_officer(make_user):
    return make_user("town_officer", ZHENXI)


@pytest.fixture
def elder(make_person):
    """An 80-year-old in 敦仁街道 大东门社区."""

    def make(division_code: str = DUNREN_COMMUNITY, name: str = "王秀英", age: int = 82, **kw):
        birth = clock.today().replace(year=clock.today().year - age, month=1, day=15)
        return make_person(division_code, name, birth=birth.strftime("%Y%m%d"), **kw)

    return make


class ApiClient:
    def __init__(self, client, token: str):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    def get(self, path, **params):
        return self.client.get(path, params, **self.headers)

    def post(self, path, payload):
        return self.client.post(path, data=json.dumps(payload), content_type="application/json", **self.headers)


@pytest.fixture
def api_as(client):
    def make(user) -> ApiClient:
        token, _ = issue_token(user)
        return ApiClient(client, token)

    return make


@pytest.fixture
def login_as(client):
    def make(user):
        client.force_login(user)
        return client

    return make
