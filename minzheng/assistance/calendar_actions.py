"""Edits of the working-day calendar (district only, audited)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.assistance.enums import Level
from minzheng.assistance.models import CalendarDay
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import NotFound, PermissionDenied, ValidationFailed


def _require(actor: Actor) -> None:
    actor.require(Perm.APPROVE_APPLICATION)
    if actor.level != Level.DISTRICT:
        raise PermissionDenied("工作日历须由区民政局维护")


@transaction.atomic
def do_set_calendar_day(actor: Actor, *, date: dt.date, is_workday: bool, name: str = "") -> CalendarDay:
    """A holiday on a weekday, or a weekend day worked (调休). Existing deadlines keep their
    dates; new acceptances count with the new calendar."""
    _require(actor)
    if date is None:
        raise ValidationFailed({"date": "请填写日期"})
    if is_workday and date.weekday() < 5:
        raise ValidationFailed({"is_workday": "周一至周五本来就是工作日，只有周末才需要设置调休上班"})
    if not is_workday and date.weekday() >= 5:
        raise ValidationFailed({"is_workday": "周末本来就不上班，无需设置为节假日"})
    day, created = CalendarDay.objects.update_or_create(date=date, defaults={"is_workday": is_workday, "name": name.strip()})
    record_audit_event(
        actor, AuditAction.CREATE if created else AuditAction.UPDATE, object_type="calendar_day", object_id=day.pk,
        summary=f"工作日历：{date:%Y-%m-%d} 设为{'调休上班日' if is_workday else '节假日'}{(' ' + name) if name else ''}",
    )
    return day


@transaction.atomic
def do_delete_calendar_day(actor: Actor, day_id: int) -> None:
    _require(actor)
    day = CalendarDay.objects.filter(pk=day_id).first()
    if day is None:
        raise NotFound()
    record_audit_event(actor, AuditAction.DELETE, object_type="calendar_day", object_id=day.pk, summary=f"工作日历：删除 {day.date:%Y-%m-%d} {day.name}")
    day.delete()
