"""Sending SMS: an interface, and the stand-in the demo and tests use.

The district's SMS platform (or 渝快办's) is configured as ``MINZHENG_SMS_GATEWAY`` (a dotted
path to a class with ``send(phone, text)``). The stand-in ``OutboxGateway`` stores the message in
``SmsOutbox`` and logs that it was sent with the number masked — never the number or the text,
which holds the code."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from minzheng.citizen.models import SmsOutbox
from minzheng.core import clock
from minzheng.core.crypto import blind_index
from minzheng.core.masking import mask_phone

log = logging.getLogger(__name__)


class SmsGateway(Protocol):
    def send(self, phone: str, text: str) -> None: ...


class OutboxGateway:
    """The stand-in: the message goes to the outbox table, not to a phone. ``demo``: the site
    shows the message on the code page, since no phone receives it."""

    demo = True

    def send(self, phone: str, text: str) -> None:
        SmsOutbox.objects.create(phone_index=blind_index(phone), phone_masked=mask_phone(phone), text=text, sent_at=clock.now())
        log.info("短信（演示网关）已发送至 %s", mask_phone(phone))


def gateway() -> SmsGateway:
    return import_string(getattr(settings, "MINZHENG_SMS_GATEWAY", "minzheng.citizen.sms.OutboxGateway"))()


def demo_message(phone: str) -> str:
    """The last message "sent" to ``phone`` when the stand-in is in use, else ""."""
    if not getattr(gateway(), "demo", False):
        return ""
    row = SmsOutbox.objects.filter(phone_index=blind_index(phone)).order_by("-id").values_list("text", flat=True).first()
    return row or ""
