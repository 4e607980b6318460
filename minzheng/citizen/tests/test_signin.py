"""Citizens sign in by a one-time code and bind by name and ID number (issue 22 item 2): the
code reaches the phone (the SMS stand-in's outbox, the log masked), limits per number, per
address and per code, expiry, the binding against the registry with its daily limit, audit."""

from __future__ import annotations

import datetime as dt
import logging
import re

import pytest

from minzheng.citizen import signin
from minzheng.citizen.models import BindingAttempt, CitizenAccount, OneTimeCode, SmsOutbox
from minzheng.core.audit import AuditEvent
from minzheng.core.crypto import blind_index
from minzheng.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db
PHONE = "13812345678"
IP = "10.0.0.8"


def last_code(phone: str = PHONE) -> str:
    text = SmsOutbox.objects.filter(phone_index=blind_index(phone)).latest("id").text
    return re.search(r"验证码为(\d{6})", text).group(1)


def test_a_code_is_sent_masked_in_the_log_and_signs_in_once(caplog):
    caplog.set_level(logging.INFO)
    signin.do_request_code(" 138-1234-5678 ", ip_address=IP)
    sent = SmsOutbox.objects.get()
    assert sent.phone_masked == "138****5678"
    assert "5分钟内有效" in sent.text
    assert PHONE not in caplog.text and last_code() not in caplog.text and "138****5678" in caplog.text
    account = signin.do_sign_in(PHONE, last_code(), ip_address=IP)
    assert account.phone_masked == "138****5678" and PHONE not in account.phone_encrypted
    assert AuditEvent.objects.filter(action="login", actor_kind="citizen", object_id=str(account.pk)).count() == 1
    # The code is spent: a second sign-in with it is refused.
    with pytest.raises(ValidationFailed) as e:
        signin.do_sign_in(PHONE, last_code(), ip_address=IP)
    assert e.value.errors == {"code": "验证码已失效，请重新获取"}


def test_a_bad_number_is_refused_by_name_and_nothing_is_sent():
    for bad in ("1381234567", "23812345678", "138123456789", "abc", ""):
        with pytest.raises(ValidationFailed) as e:
            signin.do_request_code(bad, ip_address=IP)
        assert e.value.errors == {"phone": "请输入11位手机号码"}
    assert not SmsOutbox.objects.exists() and not OneTimeCode.objects.exists()


def test_limits_per_number_and_per_address(travel):
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    travel(start)
    signin.do_request_code(PHONE, ip_address=IP)
    with pytest.raises(signin.RateLimited) as e:
        signin.do_request_code(PHONE, ip_address=IP)
    assert e.value.errors == {"phone": "验证码已发送，请61秒后再重新获取"}
    for minute in (2, 4, 6, 8):
        travel(start + dt.timedelta(minutes=minute))
        signin.do_request_code(PHONE, ip_address=IP)
    travel(start + dt.timedelta(minutes=10))
    with pytest.raises(signin.RateLimited) as e:
        signin.do_request_code(PHONE, ip_address=IP)
    assert e.value.errors == {"phone": "该号码获取验证码过于频繁，请一小时后再试"}
    assert SmsOutbox.objects.count() == 5
    # Another number from the same address: the address's limit (20 an hour) counts every number.
    for n in range(15):
        signin.do_request_code(f"139000000{n:02d}", ip_address=IP)
    with pytest.raises(signin.RateLimited) as e:
        signin.do_request_code("13900000099", ip_address=IP)
    assert e.value.errors == {"phone": "当前网络获取验证码过于频繁，请稍后再试"}
    signin.do_request_code("13900000099", ip_address="10.0.0.9")
    travel(start + dt.timedelta(minutes=70))
    signin.do_request_code(PHONE, ip_address=IP)  # an hour later the number may ask again


def test_five_wrong_codes_kill_the_code_even_the_right_one_after():
    signin.do_request_code(PHONE, ip_address=IP)
    right = last_code()
    wrong = "000000" if right != "000000" else "111111"
    messages = []
    for _ in range(5):
        with pytest.raises(ValidationFailed) as e:
            signin.do_sign_in(PHONE, wrong, ip_address=IP)
        messages.append(e.value.errors["code"])
    assert messages == [
        "验证码不正确，还可以再试4次", "验证码不正确，还可以再试3次", "验证码不正确，还可以再试2次",
        "验证码不正确，还可以再试1次", "验证码输入错误次数过多，请重新获取",
    ]  # fmt: skip
    with pytest.raises(signin.RateLimited):
        signin.do_sign_in(PHONE, right, ip_address=IP)
    assert not CitizenAccount.objects.exists()
    assert AuditEvent.objects.filter(action="login_failed", actor_kind="citizen").count() == 5


def test_an_expired_code_is_refused(travel):
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    travel(start)
    signin.do_request_code(PHONE, ip_address=IP)
    travel(start + dt.timedelta(minutes=5, seconds=1))
    with pytest.raises(ValidationFailed) as e:
        signin.do_sign_in(PHONE, last_code(), ip_address=IP)
    assert e.value.errors == {"code": "验证码已失效，请重新获取"}


@pytest.fixture
def account():
    signin.do_request_code(PHONE, ip_address=IP)
    return signin.do_sign_in(PHONE, last_code(), ip_address=IP)


def test_binding_checks_name_and_id_number_against_the_registry(account, make_person, id_number):
    number = id_number("19800305", "412")
    person = make_person("500102006001", "刘秀兰", id_number=number)
    for name, typed in (("刘秀", number), ("刘秀兰", id_number("19800305", "414"))):
        with pytest.raises(ValidationFailed) as e:
            signin.do_bind_real_name(account, name=name, id_number=typed, ip_address=IP)
        # Neither which part was wrong nor whether the number exists.
        assert e.value.errors == {"id_number": signin.BINDING_REFUSED}
    with pytest.raises(ValidationFailed) as e:
        signin.do_bind_real_name(account, name="", id_number="12345", ip_address=IP)
    assert set(e.value.errors) == {"name", "id_number"}
    account.refresh_from_db()
    assert account.person_id is None
    bound = signin.do_bind_real_name(account, name="刘秀兰", id_number=number.lower(), ip_address=IP)
    assert bound.person == person and bound.bound_at is not None
    assert list(BindingAttempt.objects.values_list("succeeded", flat=True).order_by("id")) == [False, False, True]
    event = AuditEvent.objects.get(action="update", object_type="citizen.account")
    assert event.division_code == "500102006001" and number not in event.summary


def test_binding_is_limited_to_five_tries_a_day(account, make_person, id_number, travel):
    make_person("500102006001", "刘秀兰", id_number=id_number("19800305", "412"))
    start = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)
    travel(start)
    for _ in range(5):
        with pytest.raises(ValidationFailed):
            signin.do_bind_real_name(account, name="刘秀", id_number=id_number("19800305", "412"), ip_address=IP)
    with pytest.raises(signin.RateLimited) as e:
        signin.do_bind_real_name(account, name="刘秀兰", id_number=id_number("19800305", "412"), ip_address=IP)
    assert e.value.errors == {"id_number": "实名认证尝试次数过多，请明天再试，或到所在村（社区）办理"}
    travel(start + dt.timedelta(days=1, minutes=1))
    assert signin.do_bind_real_name(account, name="刘秀兰", id_number=id_number("19800305", "412"), ip_address=IP).person_id


def test_one_person_one_account(account, make_person, id_number):
    number = id_number("19800305", "412")
    make_person("500102006001", "刘秀兰", id_number=number)
    signin.do_bind_real_name(account, name="刘秀兰", id_number=number, ip_address=IP)
    signin.do_request_code("13900001111", ip_address=IP)
    other = signin.do_sign_in("13900001111", last_code("13900001111"), ip_address=IP)
    with pytest.raises(ValidationFailed) as e:
        signin.do_bind_real_name(other, name="刘秀兰", id_number=number, ip_address=IP)
    assert e.value.errors == {"id_number": "该身份已绑定其他手机号。如需更换手机号，请到所在村（社区）办理"}
