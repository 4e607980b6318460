"""Every write of referrals and rehabilitation files: named, atomic, audited actions.

A refusal names the field in Chinese (``ValidationFailed``) and writes nothing: a referral to
nowhere (no receiving unit, an unknown or disabled one, one of another kind), without a kind,
without a reason or with a deadline in the past is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction

from minzheng.accounts.actor import Actor
from minzheng.cases.actions import Step, do_transition, record_event
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import encrypt_text
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.core.masking import mask_phone
from minzheng.referrals.enums import DiagnosisCategory, ReferralKind, ReferralOutcome, ReferralStatus, RehabStatus
from minzheng.referrals.models import ReceivingUnit, Referral, RehabFile, RehabService
from minzheng.referrals.permissions import ReferralPerm
from minzheng.referrals.workflow import REFERRAL
from minzheng.registry.access import access_household_by_id, access_person_by_id
from minzheng.registry.selectors import current_members

MAX_REASON = 1000


def _text(value: object) -> str:
    return str(value or "").strip()


def _required_text(errors: dict, field: str, value: object, *, missing: str, label: str, max_len: int) -> None:
    """「请填写…」 when blank, 「…不能超过N个字」 when too long (into ``errors``)."""
    text = _text(value)
    if not text:
        errors[field] = missing
    elif len(text) > max_len:
        errors[field] = f"{label}不能超过{max_len}个字"


# ----------------------------------------------------------------------------------------------
# Receiving units (district reference data)
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_add_receiving_unit(actor: Actor, *, kind: str, name: str, contact: str = "", provisional: bool = False) -> ReceivingUnit:
    actor.require(ReferralPerm.MANAGE_RECEIVING_UNITS)
    errors = {}
    if kind not in ReferralKind.values:
        errors["kind"] = "请选择转介类别"
    name = _text(name)
    _required_text(errors, "name", name, missing="请填写接收单位名称", label="接收单位名称", max_len=80)
    if len(_text(contact)) > 80:
        errors["contact"] = "联系科室或电话不能超过80个字"
    if not errors and ReceivingUnit.objects.filter(kind=kind, name=name).exists():
        errors["name"] = "该类别下已有同名接收单位"
    if errors:
        raise ValidationFailed(errors)
    unit = ReceivingUnit.objects.create(kind=kind, name=name, contact=_text(contact), provisional=provisional)
    record_audit_event(
        actor, AuditAction.CREATE, object_type="referral_unit", object_id=unit.pk, division_code=district_code(),
        summary=f"新增转介接收单位：{unit.get_kind_display()} · {unit.name}",
    )
    return unit


@transaction.atomic
def do_set_receiving_unit(actor: Actor, unit_id: object, *, active: bool | None = None, confirmed: bool = False) -> ReceivingUnit:
    """Disable or re-enable a unit, or confirm a working default (no longer 参数待确认)."""
    actor.require(ReferralPerm.MANAGE_RECEIVING_UNITS)
    unit = ReceivingUnit.objects.select_for_update().filter(pk=unit_id).first() if str(unit_id).isdigit() else None
    if unit is None:
        raise ValidationFailed({"unit": "接收单位不存在"})
    changes = []
    if active is not None and unit.active != active:
        unit.active = active
        changes.append("启用" if active else "停用")
    if confirmed and unit.provisional:
        unit.provisional = False
        changes.append("确认")
    if changes:
        unit.save(update_fields=["active", "provisional"])
        record_audit_event(
            actor, AuditAction.UPDATE, object_type="referral_unit", object_id=unit.pk, division_code=district_code(),
            summary=f"{'、'.join(changes)}转介接收单位：{unit.name}",
        )
    return unit


# ----------------------------------------------------------------------------------------------
# Referrals
# ----------------------------------------------------------------------------------------------


def _number(today: dt.date) -> str:
    return f"ZJ{today:%Y%m%d}{uuid.uuid4().hex[:6].upper()}"


@transaction.atomic
def do_refer(
    actor: Actor,
    *,
    household_id: object,
    kind: str,
    receiving_unit_id: object,
    reason: str,
    deadline_on: dt.date | None,
    person_id: object = None,
) -> Referral:
    """Refer a household (or one of its current members) to a receiving unit."""
    actor.require(ReferralPerm.REFER)
    household = access_household_by_id(actor, household_id, audit=False)  # NotFound outside the actor's divisions
    today = clock.today()
    errors: dict[str, str] = {}
    if kind not in ReferralKind.values:
        errors["kind"] = "请选择转介类别（医疗、教育、住房、就业救助或其他部门）"
    unit = None
    if receiving_unit_id in (None, ""):
        errors["receiving_unit"] = "请选择接收单位"
    else:
        unit = ReceivingUnit.objects.filter(pk=receiving_unit_id).first() if str(receiving_unit_id).isdigit() else None
        if unit is None or not unit.active:
            errors["receiving_unit"] = "接收单位不存在或已停用，请从名录中选择"
        elif "kind" not in errors and unit.kind != kind:
            errors["receiving_unit"] = f"“{unit.name}”不受理{ReferralKind(kind).label}转介，请重新选择"
    reason = _text(reason)
    _required_text(errors, "reason", reason, missing="请填写转介事由", label="转介事由", max_len=MAX_REASON)
    if not isinstance(deadline_on, dt.date):
        errors["deadline_on"] = "请填写反馈期限"
    elif deadline_on < today:
        errors["deadline_on"] = f"反馈期限不能早于今天（{today:%Y-%m-%d}）"
    person = None
    if person_id not in (None, ""):
        members = {m.person_id: m.person for m in current_members(household).select_related("person")}
        person = members.get(int(person_id)) if str(person_id).isdigit() else None
        if person is None:
            errors["person"] = "该人员不是本户现有成员"
    if errors:
        raise ValidationFailed(errors)
    referral = Referral.objects.create(
        number=_number(today),
        household=household,
        person=person,
        division_code=household.division_code,
        kind=kind,
        receiving_unit=unit,
        reason=reason,
        status=ReferralStatus.REFERRED,
        step_started_on=today,
        clock_started_on=today,
        deadline_on=deadline_on,
        created_by_id=actor.user_id,
    )
    record_event(actor, REFERRAL, referral, action="create", label="转介", from_status="", to_status=ReferralStatus.REFERRED,
                 reason=f"{referral.get_kind_display()} → {unit.name}，反馈期限 {deadline_on:%Y-%m-%d}")
    record_audit_event(
        actor, AuditAction.CREATE, object_type="referral", object_id=referral.pk, division_code=referral.division_code,
        summary=f"专项救助转介 {referral.number}：{referral.get_kind_display()} → {unit.name}",
        extra={"household_id": household.pk, "person_id": person.pk if person else None, "deadline_on": deadline_on.isoformat()},
    )
    return referral


@transaction.atomic
def do_receive_referral(actor: Actor, referral: Referral, *, expected_version: int, receiver_name: str = "", received_on: dt.date | None = None) -> Referral:
    def prepare(current: Referral, transition) -> Step:
        day = received_on or clock.today()
        if day > clock.today() or day < current.created_at.date() - dt.timedelta(days=1):
            raise ValidationFailed({"received_on": "接收日期应在转介之后、不晚于今天"})
        name = _text(receiver_name)
        if len(name) > 50:
            raise ValidationFailed({"receiver_name": "接收人不能超过50个字"})
        return Step(updates={"received_on": day, "receiver_name": name}, reason=f"{current.receiving_unit.name}{'，' + name if name else ''}")

    return do_transition(actor, REFERRAL, referral, "receive", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_record_feedback(actor: Actor, referral: Referral, *, expected_version: int, outcome: str, feedback: str) -> Referral:
    def prepare(current: Referral, transition) -> Step:
        errors = {}
        if outcome not in ReferralOutcome.values:
            errors["outcome"] = "请选择办理结果"
        text = _text(feedback)
        _required_text(errors, "feedback", text, missing="请填写接收单位的反馈意见", label="反馈意见", max_len=MAX_REASON)
        if errors:
            raise ValidationFailed(errors)
        return Step(
            updates={"outcome": outcome, "feedback": text, "fed_back_on": clock.today()},
            reason=f"{ReferralOutcome(outcome).label}：{text}",
            extra={"outcome": outcome},
        )

    return do_transition(actor, REFERRAL, referral, "feedback", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_withdraw_referral(actor: Actor, referral: Referral, *, expected_version: int, reason: str) -> Referral:
    return do_transition(actor, REFERRAL, referral, "withdraw", expected_version=expected_version, reason=_text(reason))


# ----------------------------------------------------------------------------------------------
# 精神障碍社区康复 files
# ----------------------------------------------------------------------------------------------


def _rehab_errors(*, diagnosis: str, guardian_name: str, guardian_relation: str, guardian_phone: str, institution: str) -> dict:
    errors = {}
    if diagnosis not in DiagnosisCategory.values:
        errors["diagnosis"] = "请选择诊断类别"
    _required_text(errors, "guardian_name", guardian_name, missing="请填写监护人姓名", label="监护人姓名", max_len=50)
    _required_text(errors, "guardian_relation", guardian_relation, missing="请填写监护人与本人关系", label="关系", max_len=20)
    phone = _text(guardian_phone)
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        errors["guardian_phone"] = "监护人电话应为7至12位数字"
    _required_text(errors, "institution", institution, missing="请填写康复机构", label="康复机构", max_len=80)
    return errors


@transaction.atomic
def do_open_rehab_file(
    actor: Actor, *, person_id: object, diagnosis: str, guardian_name: str, guardian_relation: str,
    institution: str, guardian_phone: str = "",
) -> RehabFile:
    """One file per person: the diagnosis category (encrypted), the guardian, the institution."""
    actor.require(ReferralPerm.REHAB)
    person = access_person_by_id(actor, person_id, audit=False)  # NotFound outside the actor's divisions
    errors = _rehab_errors(diagnosis=diagnosis, guardian_name=guardian_name, guardian_relation=guardian_relation,
                           guardian_phone=guardian_phone, institution=institution)
    if person.is_deceased:
        errors["person"] = "该人员已登记死亡"
    if RehabFile.objects.filter(person=person).exists():
        errors["person"] = "该人员已有社区康复档案"
    if errors:
        raise ValidationFailed(errors)
    phone = _text(guardian_phone)
    try:
        with transaction.atomic():
            file = RehabFile.objects.create(
                person=person,
                division_code=person.division_code,
                diagnosis_encrypted=encrypt_text(diagnosis),
                guardian_name=_text(guardian_name),
                guardian_relation=_text(guardian_relation),
                guardian_phone_encrypted=encrypt_text(phone) if phone else "",
                guardian_phone_masked=mask_phone(phone),
                institution=_text(institution),
                started_on=clock.today(),
                created_by_id=actor.user_id,
            )
    except IntegrityError:
        raise ValidationFailed({"person": "该人员已有社区康复档案"}) from None
    record_audit_event(
        actor, AuditAction.CREATE, object_type="rehab_file", object_id=file.pk, division_code=file.division_code,
        summary=f"建立精神障碍社区康复档案 {file.pk}（{person.id_number_masked}）",
    )
    return file


@transaction.atomic
def do_record_rehab_service(actor: Actor, file: RehabFile, *, served_on: dt.date | None, content: str, provider: str) -> RehabService:
    actor.require(ReferralPerm.REHAB)
    errors = {}
    if file.status != RehabStatus.ACTIVE:
        raise DomainError("该康复档案已结束，不能再登记服务")
    if not isinstance(served_on, dt.date):
        errors["served_on"] = "请填写服务日期"
    elif served_on > clock.today():
        errors["served_on"] = "服务日期不能晚于今天"
    elif served_on < file.started_on - dt.timedelta(days=366):
        errors["served_on"] = "服务日期不能早于建档前一年"
    _required_text(errors, "content", content, missing="请填写服务内容", label="服务内容", max_len=200)
    _required_text(errors, "provider", provider, missing="请填写服务提供方", label="服务提供方", max_len=80)
    if errors:
        raise ValidationFailed(errors)
    service = RehabService.objects.create(
        file=file, division_code=file.division_code, served_on=served_on, content=_text(content),
        provider=_text(provider), created_by_id=actor.user_id,
    )
    record_audit_event(
        actor, AuditAction.CREATE, object_type="rehab_service", object_id=service.pk, division_code=file.division_code,
        summary=f"登记社区康复服务：档案 {file.pk}，{served_on:%Y-%m-%d}",
    )
    return service


@transaction.atomic
def do_close_rehab_file(actor: Actor, file: RehabFile, *, reason: str) -> RehabFile:
    actor.require(ReferralPerm.REHAB)
    if file.status != RehabStatus.ACTIVE:
        raise DomainError("该康复档案已结束")
    reason = _text(reason)
    if not reason:
        raise ValidationFailed({"reason": "请填写结束原因"})
    RehabFile.objects.filter(pk=file.pk).update(
        status=RehabStatus.CLOSED, closed_on=clock.today(), closed_reason=reason[:200], version=file.version + 1
    )
    file.refresh_from_db()
    record_audit_event(
        actor, AuditAction.UPDATE, object_type="rehab_file", object_id=file.pk, division_code=file.division_code,
        summary=f"结束社区康复档案 {file.pk}", extra={"reason": reason[:200]},
    )
    return file
