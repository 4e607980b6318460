"""Every write of active discovery (besides the feed imports): named, atomic, audited.

Tasks: ``do_record_task_outcome`` (visited / application started / not needed + reason),
``do_escalate_overdue_tasks`` (bulk, run daily). The 三留守 registry:
``do_register_left_behind``, ``do_end_left_behind``, ``do_record_visit``.

Deaths follow ADR 0004 (docs/adr/0004-death-reports.md): a death row of the department feed is a
registry death report (``registry.actions.do_report_death``); the payments are suspended and a
死亡核实 task is opened here by the lines' death handlers (``discovery.deaths``). The village
decides on the task with the registry's ``do_confirm_death_report`` / ``do_refute_death_report``,
which close the task. Nobody is recorded as deceased before that check.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.models import StaffAssignment
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id
from minzheng.core import clock
from minzheng.core.ages import age_on
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.core.photos import MAX_PHOTOS, PhotoRejected, clean_photo
from minzheng.discovery.enums import (
    OUTCOMES_BY_TASK,
    AlertStatus,
    EscalationReason,
    LeftBehindCategory,
    LeftBehindEndReason,
    RiskLevel,
    TaskKind,
    TaskOutcome,
    TaskStatus,
)
from minzheng.discovery.models import Alert, LeftBehind, Task, Visit, VisitPhoto
from minzheng.discovery.params import param, visit_interval_days
from minzheng.divisions.directory import get_directory
from minzheng.registry.models import Person

# Field work (outcomes, visits) is the 入户调查 permission; the registry of 三留守 people is
# registry editing.
WORK = Perm.INVESTIGATE
REGISTER = Perm.EDIT_REGISTRY
NOTE_MAX = Task._meta.get_field("outcome_note").max_length


def _fresh_task(actor: Actor, task: Task | int, expected_version: int | None) -> Task:
    pk = task.pk if isinstance(task, Task) else task
    current = access_by_id(Task.objects.select_related("alert"), actor, pk, for_update=True)
    if expected_version is not None and current.version != expected_version:
        raise DomainError("该任务已被其他用户处理，请刷新后重试", code="stale")
    if current.status != TaskStatus.OPEN:
        raise DomainError("该任务已办结", code="closed")
    return current


def _close(actor: Actor, task: Task, outcome: str, note: str) -> Task:
    now = timezone.now()
    Task.objects.filter(pk=task.pk).update(
        status=TaskStatus.DONE,
        outcome=outcome,
        outcome_note=note[:NOTE_MAX],
        outcome_by_id=actor.user_id,
        outcome_by_name=actor.display_name,
        outcome_at=now,
        version=F("version") + 1,
    )
    Alert.objects.filter(pk=task.alert_id).update(status=AlertStatus.CLOSED, closed_at=now)
    task.refresh_from_db()
    record_audit_event(
        actor,
        AuditAction.TRANSITION,
        object_type="discovery_task",
        object_id=task.pk,
        division_code=task.division_code,
        summary=f"办结预警任务：{TaskOutcome(outcome).label}",
        changed_fields={"status": [TaskStatus.OPEN.value, TaskStatus.DONE.value], "outcome": ["", outcome]},
    )
    return task


@transaction.atomic
def do_record_task_outcome(
    actor: Actor, task: Task | int, *, outcome: str, note: str = "", expected_version: int | None = None
) -> Task:
    actor.require(WORK)
    current = _fresh_task(actor, task, expected_version)
    note = (note or "").strip()
    errors = {}
    if outcome not in OUTCOMES_BY_TASK.get(current.kind, ()):
        errors["outcome"] = "请选择办理结果"
    elif outcome == TaskOutcome.NOT_NEEDED and not note:
        errors["note"] = "请填写无需救助（或信息有误）的原因"
    if len(note) > NOTE_MAX:
        errors["note"] = f"情况说明不能超过{NOTE_MAX}个字"
    if errors:
        raise ValidationFailed(errors)
    return _close(actor, current, outcome, note)


@transaction.atomic
def do_escalate_overdue_tasks(actor: Actor, *, today: dt.date | None = None) -> dict:
    """Every open task past its due date (plus the parameter's grace days) goes up to the town:
    one UPDATE for all of them, one audit event with the counts per town."""
    if not actor.is_system:
        actor.require(Perm.RUN_SCREENING)
    today = today or clock.today()
    grace = param("tasks.escalate_after_days", today)
    cutoff = today - dt.timedelta(days=int(grace.value))
    overdue = Task.objects.visible_to(actor).filter(status=TaskStatus.OPEN, escalated_at__isnull=True, due_on__lt=cutoff)
    by_town = Counter(code[:9] for code in overdue.values_list("division_code", flat=True))
    count = overdue.update(
        escalated_at=timezone.now(), escalation_reason=EscalationReason.OVERDUE, version=F("version") + 1
    )
    directory = get_directory()
    record_audit_event(
        actor,
        AuditAction.SYSTEM if actor.is_system else AuditAction.UPDATE,
        object_type="discovery_escalation",
        division_code=min(actor.scope_prefixes, key=len) if actor.scope_prefixes else "",
        summary=f"超期预警任务上报乡镇（街道）{count}件",
        extra={"by_town": {f"{code} {directory.name(code)}": n for code, n in sorted(by_town.items())}, "cutoff": cutoff.isoformat()},
    )
    return {"escalated": count, "by_town": dict(by_town), "cutoff": cutoff.isoformat()}


# ---------------------------------------------------------------------------------------------
# 三留守 registry and visits
# ---------------------------------------------------------------------------------------------


def _check_category(person: Person, category: str, on: dt.date, errors: dict) -> None:
    age = age_on(person.birth_date, on)
    if category == LeftBehindCategory.CHILD and age >= 16:
        errors["category"] = "农村留守儿童应未满16周岁"
    elif category == LeftBehindCategory.ELDERLY and age < 60:
        errors["category"] = "农村留守老年人应年满60周岁"
    elif category == LeftBehindCategory.WOMAN and (person.sex != "F" or age < 18):
        errors["category"] = "农村留守妇女应为年满18周岁的女性"


def _check_responsible(user_id: int | None, division_code: str, errors: dict) -> None:
    if not user_id:
        return
    codes = StaffAssignment.objects.filter(user_id=user_id, user__is_active=True).values_list("division_code", flat=True)
    if not any(division_code.startswith(code) for code in codes):
        errors["responsible"] = "走访责任人应为本村（社区）或上级的工作人员"


@transaction.atomic
def do_register_left_behind(
    actor: Actor,
    person: Person | int,
    *,
    category: str,
    risk_level: str = RiskLevel.MEDIUM,
    guardian: str = "",
    situation: str = "",
    responsible_user_id: int | None = None,
    registered_on: dt.date | None = None,
) -> LeftBehind:
    actor.require(REGISTER)
    pk = person.pk if isinstance(person, Person) else person
    person = access_by_id(Person.objects.all(), actor, pk)
    today = clock.today()
    registered_on = registered_on or today
    guardian, situation = (guardian or "").strip(), (situation or "").strip()
    errors: dict[str, str] = {}
    if person.is_deceased:
        errors["person"] = "该人员已死亡"
    if category not in LeftBehindCategory.values:
        errors["category"] = "请选择类别"
    else:
        _check_category(person, category, registered_on, errors)
    if risk_level not in RiskLevel.values:
        errors["risk_level"] = "请选择风险等级"
    if registered_on > today:
        errors["registered_on"] = "登记日期不能晚于今天"
    if len(guardian) > 100:
        errors["guardian"] = "监护人/联系人不能超过100个字"
    if len(situation) > 300:
        errors["situation"] = "基本情况不能超过300个字"
    if category == LeftBehindCategory.CHILD and not guardian:
        errors["guardian"] = "留守儿童须填写监护人及关系"
    _check_responsible(responsible_user_id, person.division_code, errors)
    if not errors and LeftBehind.objects.filter(person=person, category=category, active=True).exists():
        errors["category"] = "该人员已在三留守名册中（同一类别）"
    if errors:
        raise ValidationFailed(errors)
    entry = LeftBehind.objects.create(
        person=person,
        category=category,
        risk_level=risk_level,
        division_code=person.division_code,
        guardian=guardian,
        situation=situation,
        responsible_id=responsible_user_id,
        registered_on=registered_on,
        next_visit_due=registered_on + dt.timedelta(days=visit_interval_days(risk_level, registered_on)),
    )
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="left_behind",
        object_id=entry.pk,
        division_code=entry.division_code,
        summary=f"登记{LeftBehindCategory(category).label} {person.name}（{person.id_number_masked}），{RiskLevel(risk_level).label}",
    )
    return entry


@transaction.atomic
def do_end_left_behind(actor: Actor, entry: LeftBehind | int, *, reason: str, on: dt.date | None = None) -> LeftBehind:
    actor.require(REGISTER)
    pk = entry.pk if isinstance(entry, LeftBehind) else entry
    current = access_by_id(LeftBehind.objects.select_related("person"), actor, pk, for_update=True)
    on = on or clock.today()
    if not current.active:
        raise DomainError("该人员已退出三留守名册", code="ended")
    if reason not in LeftBehindEndReason.values:
        raise ValidationFailed({"reason": "请选择退出原因"})
    if on > clock.today() or on < current.registered_on:
        raise ValidationFailed({"on": "退出日期不合理"})
    LeftBehind.objects.filter(pk=current.pk).update(active=False, ended_on=on, end_reason=reason, version=F("version") + 1)
    current.refresh_from_db()
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="left_behind",
        object_id=current.pk,
        division_code=current.division_code,
        summary=f"三留守人员退出名册：{current.person.name}（{LeftBehindEndReason(reason).label}）",
        changed_fields={"active": [True, False]},
    )
    return current


@transaction.atomic
def do_record_visit(
    actor: Actor,
    entry: LeftBehind | int,
    *,
    visited_at: dt.datetime | None,
    place: str,
    findings: str,
    needs_follow_up: bool = False,
    follow_up: str = "",
    risk_level_after: str | None = None,
    photos: list[tuple[str, bytes]] = (),
) -> Visit:
    """A visit to a person on the 三留守 registry. The next visit is due after the interval of
    the risk level found; open 走访 tasks of the person are done by this visit."""
    actor.require(WORK)
    pk = entry.pk if isinstance(entry, LeftBehind) else entry
    current = access_by_id(LeftBehind.objects.select_related("person"), actor, pk, for_update=True)
    now = timezone.now()
    place, findings, follow_up = (place or "").strip(), (findings or "").strip(), (follow_up or "").strip()
    risk = risk_level_after or current.risk_level
    errors: dict[str, str] = {}
    if not current.active:
        errors["visited_at"] = "该人员已退出三留守名册"
    if visited_at is None:
        errors["visited_at"] = "请填写走访时间"
    elif visited_at > now + dt.timedelta(minutes=10):
        errors["visited_at"] = "走访时间不能晚于现在"
    elif timezone.localtime(visited_at).date() < current.registered_on:
        errors["visited_at"] = "走访时间不能早于登记日期"
    if not place:
        errors["place"] = "请填写走访地点"
    elif len(place) > 100:
        errors["place"] = "走访地点不能超过100个字"
    if not findings:
        errors["findings"] = "请填写走访情况"
    elif len(findings) > 2000:
        errors["findings"] = "走访情况不能超过2000个字"
    if needs_follow_up and not follow_up:
        errors["follow_up"] = "需要跟进时请填写跟进措施"
    if len(follow_up) > 300:
        errors["follow_up"] = "跟进措施不能超过300个字"
    if risk not in RiskLevel.values:
        errors["risk_level_after"] = "请选择风险等级"
    photos = list(photos)
    cleaned = []
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = f"每次最多上传{MAX_PHOTOS}张照片"
    else:
        for name, content in photos:
            try:
                cleaned.append(clean_photo(name, content))
            except PhotoRejected as e:
                errors["photos"] = str(e)
                break
    if errors:
        raise ValidationFailed(errors)
    visit = Visit.objects.create(
        left_behind=current,
        division_code=current.division_code,
        visited_at=visited_at,
        place=place,
        findings=findings,
        needs_follow_up=needs_follow_up,
        follow_up=follow_up,
        risk_level_after=risk,
        visitor_id=actor.user_id,
        visitor_name=actor.display_name,
    )
    for photo in cleaned:
        VisitPhoto.store(photo, division_code=visit.division_code, visit=visit)
    day = timezone.localtime(visited_at).date()
    last = max(day, current.last_visited_on) if current.last_visited_on else day
    LeftBehind.objects.filter(pk=current.pk).update(
        last_visited_on=last,
        risk_level=risk,
        next_visit_due=last + dt.timedelta(days=visit_interval_days(risk, last)),
        version=F("version") + 1,
    )
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="left_behind_visit",
        object_id=visit.pk,
        division_code=visit.division_code,
        summary=f"走访{current.get_category_display()} {current.person.name}，照片{len(cleaned)}张",
        changed_fields={"risk_level": [current.risk_level, risk]} if risk != current.risk_level else {},
    )
    open_visits = Task.objects.visible_to(actor).filter(
        status=TaskStatus.OPEN, kind=TaskKind.VISIT, alert__person_id=current.person_id
    ).select_for_update()
    for task in open_visits:
        _close(actor, task, TaskOutcome.VISITED, f"已走访（走访记录{visit.pk}）")
    return visit


__all__ = [
    "do_end_left_behind",
    "do_escalate_overdue_tasks",
    "do_record_task_outcome",
    "do_record_visit",
    "do_register_left_behind",
]
