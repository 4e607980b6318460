"""群众留言 (issue 22 item 5, 12345-style): a real-name citizen writes to the bureau with a topic
and a town (or the district); the message waits on the 待办 of the staff of that topic in that
division, to be answered within a number of working days (the rules parameter
``citizen.message_answer_working_days``, a provisional working default); the answer is on the
citizen's messages page and an SMS tells them it is there. The 殡葬服务咨询 is the same
mechanism with the topic 殡葬 and the district.

Who answers: staff of the town or the district (never a village) holding the topic's line
permission (``TOPIC_PERMS``), within their divisions (``visible_to``: another town's message is
not found). Every write is a named, atomic, audited action; a citizen's as ``Actor.citizen``."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id
from minzheng.cases.calendar import work_calendar
from minzheng.citizen.enums import MessageTopic
from minzheng.citizen.models import CitizenAccount, CitizenMessage
from minzheng.citizen.sms import gateway
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import decrypt_text
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.numbers import placeholder_number
from minzheng.divisions.directory import get_directory
from minzheng.rules import load_parameters

log = logging.getLogger(__name__)

ANSWER_DAYS = "citizen.message_answer_working_days"
# Topics only the district handles (the marriage registry is a district unit): sent there
# whichever town the citizen chose.
DISTRICT_ONLY = {MessageTopic.MARRIAGE}
ANSWER_LEVELS = ("town", "district")


@dataclass(frozen=True)
class MessageLimits:
    """Abuse limits (security working defaults, not policy figures), as ``signin.LIMITS``."""

    per_account_day: int = 5
    min_chars: int = 5
    max_chars: int = 1000
    answer_max_chars: int = 2000


LIMITS = MessageLimits()


def topic_perms() -> dict[str, object]:
    """The permission that makes a member of staff the addressee of a topic (the lines' own)."""
    return {
        MessageTopic.ASSISTANCE: Perm.REVIEW_APPLICATION,
        MessageTopic.ELDERCARE: Perm.MANAGE_ELDERCARE,
        MessageTopic.CHILDREN: Perm.REVIEW_RECOGNITION,
        MessageTopic.FUNERAL: Perm.MANAGE_FUNERALS,
        MessageTopic.MARRIAGE: Perm.REGISTER_MARRIAGE,
        MessageTopic.VOLUNTEER: Perm.MANAGE_VOLUNTEERS,
        MessageTopic.OTHER: Perm.REVIEW_APPLICATION,
    }


def topics_of(actor: Actor) -> list[str]:
    """The topics this member of staff answers (none below the town level)."""
    if actor.level not in ANSWER_LEVELS:
        return []
    return [topic for topic, perm in topic_perms().items() if actor.has(perm)]


def answer_working_days(on: dt.date) -> tuple[int, bool]:
    """(working days to answer, provisional) for a message sent on ``on``."""
    found = load_parameters().value_at(ANSWER_DAYS, on)
    return int(found.value), bool(found.provisional)


def division_choices() -> list[tuple[str, str]]:
    """The district and its towns, as the citizen chooses where the message goes."""
    towns = sorted(get_directory().towns(), key=lambda d: d.code)
    return [(district_code(), "涪陵区民政局（区级）")] + [(t.code, t.name) for t in towns]


# ----------------------------------------------------------------------------------------------
# The citizen's side
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_send_message(actor: Actor, account: CitizenAccount, *, topic: str, division_code: str, text: str) -> CitizenMessage:
    """A real-name citizen's message (``actor`` is ``Actor.citizen`` of ``account``)."""
    if actor.role != "citizen" or account.person_id is None:
        raise PermissionDenied()
    errors: dict[str, str] = {}
    if topic not in MessageTopic.values:
        errors["topic"] = "请选择留言事项"
    divisions = dict(division_choices())
    if division_code not in divisions:
        errors["division_code"] = "请选择留言送达的乡镇（街道）或区民政局"
    body = (text or "").strip()
    if len(body) < LIMITS.min_chars:
        errors["text"] = f"请写明您要反映或咨询的问题（至少{LIMITS.min_chars}个字）"
    elif len(body) > LIMITS.max_chars:
        errors["text"] = f"留言内容不能超过{LIMITS.max_chars}字"
    if errors:
        raise ValidationFailed(errors)
    now = clock.now()
    locked = CitizenAccount.objects.select_for_update().get(pk=account.pk)  # one at a time per account: the count holds
    if CitizenMessage.objects.filter(account=locked, submitted_at__gte=now - dt.timedelta(days=1)).count() >= LIMITS.per_account_day:
        raise ValidationFailed({"text": f"每个账号每天最多留言{LIMITS.per_account_day}条，请明天再试；紧急情况请拨打村（社区）或乡镇（街道）电话"})
    if topic in DISTRICT_ONLY:
        division_code = district_code()
    today = clock.today()
    days, _ = answer_working_days(today)
    message = CitizenMessage.objects.create(
        number=placeholder_number(), account=locked, person_id=locked.person_id, topic=topic,
        division_code=division_code, text=body, submitted_at=now, due_on=work_calendar().add_working_days(today, days),
    )  # fmt: skip
    message.number = f"LY{today:%Y%m%d}{message.pk:05d}"
    CitizenMessage.objects.filter(pk=message.pk).update(number=message.number)
    record_audit_event(
        actor, AuditAction.CREATE, object_type="citizen.message", object_id=message.pk, division_code=division_code,
        summary=f"群众留言 {message.number}：{MessageTopic(topic).label}",
    )  # fmt: skip
    return message


def messages_of_account(account: CitizenAccount) -> QuerySet[CitizenMessage]:
    return CitizenMessage.objects.filter(account=account).order_by("-submitted_at", "-id")


# ----------------------------------------------------------------------------------------------
# The staff's side
# ----------------------------------------------------------------------------------------------


def messages_to_answer_for(actor: Actor) -> QuerySet[CitizenMessage]:
    """Unanswered messages of the actor's topics in the actor's divisions, by deadline."""
    topics = topics_of(actor)
    if not topics:
        return CitizenMessage.objects.none()
    return CitizenMessage.objects.visible_to(actor).filter(topic__in=topics, answered_at__isnull=True).order_by("due_on", "pk")


def messages_for(actor: Actor, *, answered: bool | None = None) -> QuerySet[CitizenMessage]:
    topics = topics_of(actor)
    if not topics:
        return CitizenMessage.objects.none()
    qs = CitizenMessage.objects.visible_to(actor).filter(topic__in=topics).select_related("person")
    if answered is not None:
        qs = qs.filter(answered_at__isnull=not answered)
    return qs.order_by("answered_at", "due_on", "pk") if answered is False else qs.order_by("-submitted_at", "-pk")


def access_message_by_id(actor: Actor, message_id: object) -> CitizenMessage:
    """One message: 403 for staff who answer no topic (a village worker), 404 outside the
    actor's divisions or topics (missing and not theirs alike). Each view is audited."""
    topics = topics_of(actor)
    if not topics:
        raise PermissionDenied()
    message = access_by_id(CitizenMessage.objects.filter(topic__in=topics).select_related("person"), actor, message_id)
    record_audit_event(
        actor, AuditAction.VIEW, object_type="citizen.message", object_id=message.pk, division_code=message.division_code,
        summary=f"查看群众留言 {message.number}",
    )  # fmt: skip
    return message


@transaction.atomic
def do_answer_message(actor: Actor, message_id: object, *, answer: str) -> CitizenMessage:
    """The town or district answers; the citizen is told by SMS once the answer is committed."""
    topics = topics_of(actor)
    if not topics:
        raise PermissionDenied()
    message = access_by_id(CitizenMessage.objects.filter(topic__in=topics).select_related("account"), actor, message_id, for_update=True)
    if message.answered_at is not None:
        raise DomainError("该留言已答复", code="answered")
    body = (answer or "").strip()
    if len(body) < LIMITS.min_chars:
        raise ValidationFailed({"answer": f"请填写答复内容（至少{LIMITS.min_chars}个字）"})
    if len(body) > LIMITS.answer_max_chars:
        raise ValidationFailed({"answer": f"答复内容不能超过{LIMITS.answer_max_chars}字"})
    message.answer, message.answered_by_name, message.answered_at = body, actor.display_name or actor.username, clock.now()
    message.save(update_fields=["answer", "answered_by_name", "answered_at"])
    record_audit_event(
        actor, AuditAction.UPDATE, object_type="citizen.message", object_id=message.pk, division_code=message.division_code,
        summary=f"答复群众留言 {message.number}",
    )  # fmt: skip
    phone_encrypted, number = message.account.phone_encrypted, message.number
    transaction.on_commit(lambda: _tell_citizen(phone_encrypted, number))
    return message


def _tell_citizen(phone_encrypted: str, number: str) -> None:
    try:
        gateway().send(decrypt_text(phone_encrypted), f"【涪陵民政】您的留言{number}已答复。详情请登录涪陵民政网上办“我的留言”查看。")
    except Exception:  # noqa: BLE001 - a failed SMS never undoes the answer; it is logged
        log.exception("留言答复短信发送失败（%s）", number)
