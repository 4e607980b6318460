"""The demo family a tester binds to, created once; the stand-in's message shown on the code
page only while the stand-in is the gateway."""

from __future__ import annotations

import pytest
from django.test import override_settings

from minzheng.citizen import demo
from minzheng.citizen.tests.test_signin import PHONE
from minzheng.registry.models import Household, Person

pytestmark = pytest.mark.django_db


class SilentGateway:
    """A gateway that sends (nowhere, in the test) and shows nothing: a real platform's shape."""

    def send(self, phone: str, text: str) -> None:
        SilentGateway.sent.append(text)

    sent: list[str] = []


def test_the_demo_family_is_created_once():
    first = demo.seed_demo(seed=1, scale=0.01)
    assert first == {"演示家庭": "已生成", "网上办实名认证": "姓名 陈晓梅，身份证号码 500102198507150044（任意手机号登录，验证码显示在页面上）"}
    second = demo.seed_demo(seed=1, scale=0.01)
    assert second["演示家庭"] == "已存在，未改动"
    assert Person.objects.count() == 3 and Household.objects.count() == 1


def test_the_code_page_shows_the_message_only_with_the_stand_in(client):
    client.post("/citizen/signin/", {"phone": PHONE})
    assert "演示环境未接入短信平台" in client.get("/citizen/signin/code/").content.decode()
    with override_settings(MINZHENG_SMS_GATEWAY="minzheng.citizen.tests.test_demo.SilentGateway"):
        refused = client.post("/citizen/signin/resend/")
        assert refused.status_code == 429 and "验证码已发送，请61秒后再重新获取" in refused.content.decode()
        page = client.get("/citizen/signin/code/").content.decode()
    assert "演示环境未接入短信平台" not in page and "验证码为" not in page
