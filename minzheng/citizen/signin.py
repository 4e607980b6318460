"""Signing in on the citizens' site: a one-time code to a mobile number, then the real-name
binding (name + ID number, checked against the registry). Each step is a named, audited action;
each is limited per number, per address and per account so that nobody can flood a phone with
codes, guess a code, or try ID numbers one after another.

The limits are security working defaults (not policy figures), in ``LIMITS``."""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F

from minzheng.accounts.actor import Actor
from minzheng.citizen.models import BindingAttempt, CitizenAccount, OneTimeCode
from minzheng.citizen.sms import gateway
from minzheng.citizen.sso import SsoIdentity
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import blind_index, encrypt_text
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.core.idnumber import InvalidIdNumber, parse_id_number
from minzheng.core.masking import mask_phone
from minzheng.registry.selectors import find_person_by_id_number


@dataclass(frozen=True)
class Limits:
    code_valid: dt.timedelta = dt.timedelta(minutes=5)
    resend_after: dt.timedelta = dt.timedelta(seconds=60)
    codes_per_number_hour: int = 5
    codes_per_address_hour: int = 20
    tries_per_code: int = 5
    bindings_per_day: int = 5


LIMITS = Limits()
MOBILE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)
BINDING_REFUSED = "姓名与身份证号码不一致，或未在本区人口信息中登记。如有疑问请到所在村（社区）咨询"


class RateLimited(ValidationFailed):
    """Too many requests: shown next to the field like any refusal; nothing is sent or checked."""

    code = "rate_limited"


def normalise_phone(raw: object) -> str:
    """An 11-digit mainland mobile number, or ValidationFailed naming ``phone``."""
    text = re.sub(r"[\s-]", "", str(raw or ""))
    if text.startswith("+86"):
        text = text[3:]
    if not MOBILE.fullmatch(text):
        raise ValidationFailed({"phone": "请输入11位手机号码"})
    return text


def _code_hash(phone_index: str, code: str) -> str:
    return blind_index(f"{phone_index}:{code}")


def do_request_code(phone: object, *, ip_address: str | None) -> None:
    """Send a sign-in code to ``phone`` unless a limit is reached (RateLimited, nothing sent)."""
    number = normalise_phone(phone)
    index = blind_index(number)
    now = clock.now()
    hour_ago = now - dt.timedelta(hours=1)
    with transaction.atomic():
        recent = OneTimeCode.objects.select_for_update().filter(phone_index=index, created_at__gte=hour_ago)
        last = recent.order_by("-created_at").first()
        if last is not None and now - last.created_at < LIMITS.resend_after:
            wait = int((LIMITS.resend_after - (now - last.created_at)).total_seconds()) + 1
            raise RateLimited({"phone": f"验证码已发送，请{wait}秒后再重新获取"})
        if recent.count() >= LIMITS.codes_per_number_hour:
            raise RateLimited({"phone": "该号码获取验证码过于频繁，请一小时后再试"})
        if ip_address and OneTimeCode.objects.filter(ip_address=ip_address, created_at__gte=hour_ago).count() >= LIMITS.codes_per_address_hour:
            raise RateLimited({"phone": "当前网络获取验证码过于频繁，请稍后再试"})
        code = f"{secrets.randbelow(10**6):06d}"
        OneTimeCode.objects.create(
            phone_index=index, code_hash=_code_hash(index, code), ip_address=ip_address, created_at=now,
            expires_at=now + LIMITS.code_valid,
        )  # fmt: skip
        minutes = int(LIMITS.code_valid.total_seconds() // 60)
        gateway().send(number, f"【涪陵民政】您的登录验证码为{code}，{minutes}分钟内有效。如非本人操作，请忽略本短信。")


def do_sign_in(phone: object, code: object, *, ip_address: str | None) -> CitizenAccount:
    """The account of ``phone`` (created at the first sign-in) when ``code`` is its latest
    unexpired code; every wrong try is counted, and after ``tries_per_code`` the code is dead."""
    number = normalise_phone(phone)
    index = blind_index(number)
    typed = re.sub(r"\s", "", str(code or ""))
    now = clock.now()
    pending = OneTimeCode.objects.filter(phone_index=index, used_at__isnull=True).order_by("-created_at").first()
    if pending is None or pending.expires_at <= now:
        raise ValidationFailed({"code": "验证码已失效，请重新获取"})
    if pending.attempts >= LIMITS.tries_per_code:
        raise RateLimited({"code": "验证码输入错误次数过多，请重新获取"})
    # Counted before the comparison, outside any transaction that a refusal would undo.
    OneTimeCode.objects.filter(pk=pending.pk).update(attempts=F("attempts") + 1)
    if not hmac.compare_digest(pending.code_hash, _code_hash(index, typed)):
        left = LIMITS.tries_per_code - pending.attempts - 1
        record_audit_event(Actor.citizen(None, ip_address), AuditAction.LOGIN_FAILED, object_type="citizen.account",
                           summary=f"群众登录验证码错误：{mask_phone(number)}")  # fmt: skip
        raise ValidationFailed({"code": f"验证码不正确，还可以再试{left}次" if left > 0 else "验证码输入错误次数过多，请重新获取"})
    with transaction.atomic():
        used = OneTimeCode.objects.filter(pk=pending.pk, used_at__isnull=True).update(used_at=now)
        if not used:
            raise ValidationFailed({"code": "验证码已使用，请重新获取"})
        account, created = CitizenAccount.objects.get_or_create(
            phone_index=index, defaults={"phone_encrypted": encrypt_text(number), "phone_masked": mask_phone(number)}
        )
        CitizenAccount.objects.filter(pk=account.pk).update(last_login_at=now)
        record_audit_event(
            Actor.citizen(account.pk, ip_address), AuditAction.LOGIN, object_type="citizen.account", object_id=account.pk,
            summary=f"群众{'注册并' if created else ''}登录：{account.phone_masked}",
        )  # fmt: skip
    return account


def do_bind_real_name(account: CitizenAccount, *, name: object, id_number: object, ip_address: str | None) -> CitizenAccount:
    """Bind the account to the registry's person with this ID number and name. A mismatch says
    neither which part was wrong nor whether the number exists; tries are limited per day."""
    actor = Actor.citizen(account.pk, ip_address)
    if account.person_id is not None:
        raise DomainError("本账号已完成实名认证", code="already_bound")
    now = clock.now()
    since = now - dt.timedelta(days=1)
    if BindingAttempt.objects.filter(account=account, at__gte=since).count() >= LIMITS.bindings_per_day:
        raise RateLimited({"id_number": "实名认证尝试次数过多，请明天再试，或到所在村（社区）办理"})
    errors: dict[str, str] = {}
    typed_name = str(name or "").strip()
    if not typed_name:
        errors["name"] = "请填写姓名"
    try:
        number = parse_id_number(str(id_number or "")).value
    except InvalidIdNumber as e:
        errors["id_number"] = e.message
        number = ""
    if errors:
        raise ValidationFailed(errors)
    person = _registry_person(typed_name, number)
    matches = person is not None
    with transaction.atomic():
        BindingAttempt.objects.create(account=account, at=now, succeeded=matches)
        if not matches:
            record_audit_event(actor, AuditAction.LOGIN_FAILED, object_type="citizen.account", object_id=account.pk,
                               summary="群众实名认证未通过")  # fmt: skip
    if not matches:
        raise ValidationFailed({"id_number": BINDING_REFUSED})
    return _bind(actor, account, person, now=now, how="群众实名认证")


def _registry_person(name: str, id_number: str):
    """The living person of the registry with exactly this ID number and name, else None."""
    person = find_person_by_id_number(Actor.system("网上办：实名认证核对人口信息"), id_number)
    return person if person is not None and person.name == name and not person.is_deceased else None


@transaction.atomic
def _bind(actor: Actor, account: CitizenAccount, person, *, now, how: str) -> CitizenAccount:
    current = CitizenAccount.objects.select_for_update().get(pk=account.pk)
    if CitizenAccount.objects.filter(person=person).exclude(pk=current.pk).exists():
        raise ValidationFailed({"id_number": "该身份已绑定其他手机号。如需更换手机号，请到所在村（社区）办理"})
    current.person, current.bound_at = person, now
    current.save(update_fields=["person", "bound_at"])
    record_audit_event(
        actor, AuditAction.UPDATE, object_type="citizen.account", object_id=current.pk,
        division_code=person.division_code, summary=f"{how}：{current.phone_masked} 绑定 {person.id_number_masked}",
    )  # fmt: skip
    return current


def do_sign_in_by_sso(identity: SsoIdentity, *, provider_label: str, ip_address: str | None) -> CitizenAccount:
    """Signed in by the outside provider (渝快办-style), which has checked the person's real
    name: the account of their mobile number, created at the first sign-in, and bound at once
    when the registry holds that living person under that name — otherwise they bind as anyone
    does. An account already bound to somebody else is refused, not re-bound."""
    number = normalise_phone(identity.phone)
    index = blind_index(number)
    now = clock.now()
    try:
        id_number = parse_id_number(identity.id_number).value
    except InvalidIdNumber:
        id_number = ""
    with transaction.atomic():
        account, created = CitizenAccount.objects.get_or_create(
            phone_index=index, defaults={"phone_encrypted": encrypt_text(number), "phone_masked": mask_phone(number)}
        )
        actor = Actor.citizen(account.pk, ip_address)
        person = _registry_person(identity.name.strip(), id_number) if id_number else None
        if account.person_id is not None and (person is None or account.person_id != person.pk):
            record_audit_event(actor, AuditAction.LOGIN_FAILED, object_type="citizen.account", object_id=account.pk,
                               summary=f"群众通过{provider_label}登录被拒：手机号已绑定他人")  # fmt: skip
            raise ValidationFailed({"phone": "该手机号已实名绑定其他人员，请用短信验证码登录，或到所在村（社区）办理"})
        CitizenAccount.objects.filter(pk=account.pk).update(last_login_at=now)
        record_audit_event(
            actor, AuditAction.LOGIN, object_type="citizen.account", object_id=account.pk,
            summary=f"群众{'注册并' if created else ''}通过{provider_label}登录：{account.phone_masked}",
        )  # fmt: skip
        if account.person_id is None and person is not None:
            account = _bind(actor, account, person, now=now, how=f"{provider_label}实名认证")
    return account
