"""Every write of the marriage registry: named, atomic, audited actions. A case's status moves
only through ``cases.actions.do_transition`` (workflow.py); in-state changes (the marriage ended
by a divorce or a judgment, 送达, 归档) through ``lock_case`` + ``update_case``.

Every write is the registry's: ``MarriagePerm.REGISTER_MARRIAGE`` at the district level (the
婚姻登记员). A refusal writes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id
from minzheng.cases.actions import Step, do_transition, lock_case, record_event, update_case
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import blind_index, decrypt_text, encrypt_text
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from minzheng.core.idnumber import InvalidIdNumber, mask_id_number, parse_id_number
from minzheng.core.masking import mask_name
from minzheng.core.numbers import placeholder_number
from minzheng.marriage import services
from minzheng.marriage.enums import (
    JUDGMENT_END,
    AmendmentKind,
    AmendmentStatus,
    AppointmentKind,
    AppointmentStatus,
    CancellationBasis,
    CertificateKind,
    CorrectionField,
    CounsellingOutcome,
    DivorceStatus,
    DocumentKind,
    EndKind,
    JudgmentKind,
    MarriageStatus,
    Party,
    PriorStatus,
    SessionKind,
)
from minzheng.marriage.models import (
    Amendment,
    AmendmentDocument,
    Appointment,
    CounsellingReferral,
    CounsellingSession,
    Divorce,
    Marriage,
    Office,
    Slot,
)
from minzheng.marriage.permissions import MarriagePerm
from minzheng.marriage.workflow import AMENDMENT, DIVORCE, MARRIAGE
from minzheng.registry.access import access_person_by_id
from minzheng.registry.actions import do_request_household_join
from minzheng.registry.enums import JoinRequestSource, MembershipChangeReason
from minzheng.registry.models import HouseholdJoinRequest
from minzheng.registry.selectors import current_household_of

NOT_FOUND = "请从列表中选择在册人员"


def require_registrar(actor: Actor) -> None:
    actor.require(MarriagePerm.REGISTER_MARRIAGE)
    if actor.level != "district":
        raise PermissionDenied("婚姻登记须由区婚姻登记处办理")


def _audit(actor: Actor, object_type: str, pk, action: str, summary: str, **extra) -> None:
    record_audit_event(
        actor, action, object_type=object_type, object_id=pk, division_code=district_code(), summary=summary, extra=extra or None,
    )  # fmt: skip


def _text(value: str | None, key: str, message: str, errors: dict, limit: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        errors[key] = message
    return text[:limit]


# ----------------------------------------------------------------------------------------------
# 预约: offices, slots, appointments
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_create_office(actor: Actor, *, name: str, address: str = "") -> Office:
    require_registrar(actor)
    errors: dict[str, str] = {}
    name = _text(name, "name", "请填写登记处名称", errors, 100)
    if errors:
        raise ValidationFailed(errors)
    office = Office.objects.create(name=name, address=(address or "").strip()[:200], division_code=district_code())
    _audit(actor, "marriage.office", office.pk, AuditAction.CREATE, f"新增婚姻登记处：{office.name}")
    return office


@transaction.atomic
def do_open_slots(actor: Actor, office: Office, *, day: dt.date | None, times: list[tuple[dt.time, dt.time]], capacity: int | None) -> list[Slot]:
    """Open the day's slots of an office (each ``(start, end)`` with the same capacity); a slot
    already open at that time is refused."""
    require_registrar(actor)
    office = access_by_id(Office.objects.all(), actor, office.pk)
    errors: dict[str, str] = {}
    if day is None:
        errors["day"] = "请填写日期"
    elif day < clock.today():
        errors["day"] = "不能为已过去的日期开放预约"
    if capacity is None or not 1 <= int(capacity) <= 200:
        errors["capacity"] = "每个时段可预约对数应为1至200"
    if not times:
        errors["times"] = "请至少填写一个时段"
    elif any(end <= start for start, end in times):
        errors["times"] = "时段的结束时间应晚于开始时间"
    if not errors and Slot.objects.filter(office=office, day=day, starts_at__in=[s for s, _ in times]).exists():
        errors["times"] = "该日期已开放相同开始时间的时段"
    if errors:
        raise ValidationFailed(errors)
    slots = [Slot.objects.create(office=office, division_code=office.division_code, day=day, starts_at=s, ends_at=e, capacity=int(capacity)) for s, e in times]
    _audit(actor, "marriage.office", office.pk, AuditAction.UPDATE, f"开放预约：{office.name} {day:%Y-%m-%d} 共{len(slots)}个时段，每段{capacity}对")
    return slots


@transaction.atomic
def do_book_appointment(actor: Actor, slot: Slot, *, kind: str, man_name: str, woman_name: str, phone: str = "") -> Appointment:
    """Book a couple into a slot. The seat is taken by one conditional UPDATE (``booked <
    capacity``), and the database's check constraint refuses an overbooked slot anyway."""
    require_registrar(actor)
    errors: dict[str, str] = {}
    if kind not in AppointmentKind.values:
        errors["kind"] = "请选择办理事项"
    man = _text(man_name, "man_name", "请填写男方姓名", errors, 50)
    woman = _text(woman_name, "woman_name", "请填写女方姓名", errors, 50)
    digits = "".join(c for c in (phone or "") if c.isdigit())
    if phone and len(digits) != 11:
        errors["phone"] = "请填写11位手机号码"
    current = access_by_id(Slot.objects.select_related("office"), actor, slot.pk)
    if current.day < clock.today():
        errors["slot"] = "该时段已过，不能预约"
    if errors:
        raise ValidationFailed(errors)
    return _take_seat(actor, current, kind=kind, man=man, woman=woman, digits=digits)


def _take_seat(actor: Actor, current: Slot, *, kind: str, man: str, woman: str, digits: str, account_id: int | None = None) -> Appointment:
    if not Slot.objects.filter(pk=current.pk, booked__lt=F("capacity")).update(booked=F("booked") + 1):
        raise ValidationFailed({"slot": "该时段已约满，请选择其他时段"})
    appointment = Appointment.objects.create(
        number=placeholder_number(), slot=current, division_code=current.division_code, kind=kind, man_name=man,
        woman_name=woman, phone_encrypted=encrypt_text(digits) if digits else "",
        phone_masked=f"{digits[:3]}****{digits[-4:]}" if digits else "", booked_on=clock.today(), created_by_id=actor.user_id,
        citizen_account_id=account_id,
    )  # fmt: skip
    appointment.number = f"YY{current.day:%Y%m%d}{appointment.pk:05d}"
    Appointment.objects.filter(pk=appointment.pk).update(number=appointment.number)
    where = "网上预约" if account_id else "婚姻登记预约"
    _audit(actor, "marriage.appointment", appointment.pk, AuditAction.CREATE,
           f"{where} {appointment.number}：{current.office.name} {current.day:%Y-%m-%d} {current.starts_at:%H:%M}")  # fmt: skip
    return appointment


def _slot_open_now(slot: Slot) -> bool:
    now = timezone.localtime(clock.now())
    return slot.day > now.date() or (slot.day == now.date() and slot.starts_at > now.time())


@transaction.atomic
def do_book_appointment_online(
    actor: Actor, slot_id: object, *, kind: str, man_name: str, woman_name: str, account_id: int, phone: str = ""
) -> Appointment:
    """网上预约 by a signed-in, real-name citizen (``Actor.citizen``; the site checks that the
    citizen is one of the two parties): the same seat-taking as at the counter, tied to the
    account; one open appointment an account (a second is refused until the first is used or
    cancelled). It appears in the registry's own appointment and counter lists."""
    if actor.role != "citizen" or not account_id:
        raise PermissionDenied()
    errors: dict[str, str] = {}
    if kind not in AppointmentKind.values:
        errors["kind"] = "请选择办理事项"
    man = _text(man_name, "man_name", "请填写男方姓名", errors, 50)
    woman = _text(woman_name, "woman_name", "请填写女方姓名", errors, 50)
    digits = "".join(c for c in (phone or "") if c.isdigit())
    current = Slot.objects.select_related("office").filter(pk=int(slot_id) if str(slot_id).isdigit() else 0, office__is_active=True).first()
    if current is None:
        errors["slot"] = "请选择预约时段"
    elif not _slot_open_now(current):
        errors["slot"] = "该时段已过，不能预约"
    if errors:
        raise ValidationFailed(errors)
    today = clock.today()
    open_one = (Appointment.objects.select_for_update().select_related("slot")
                .filter(citizen_account_id=account_id, status=AppointmentStatus.BOOKED, slot__day__gte=today).first())  # fmt: skip
    if open_one is not None:
        raise ValidationFailed({"slot": f"您已有一个预约（{open_one.slot.day:%Y年%-m月%-d日} {open_one.slot.starts_at:%H:%M}），请先取消后再重新预约"})
    return _take_seat(actor, current, kind=kind, man=man, woman=woman, digits=digits, account_id=account_id)


@transaction.atomic
def do_cancel_appointment_online(actor: Actor, appointment_id: object, *, account_id: int) -> Appointment:
    """A citizen cancels their own appointment (another account's is not found); the seat is
    freed. Only a booking still to come."""
    if actor.role != "citizen" or not account_id:
        raise PermissionDenied()
    current = (Appointment.objects.select_for_update().select_related("slot")
               .filter(pk=int(appointment_id) if str(appointment_id).isdigit() else 0, citizen_account_id=account_id).first())  # fmt: skip
    if current is None:
        raise NotFound()
    if current.status != AppointmentStatus.BOOKED:
        raise DomainError(f"该预约当前为“{AppointmentStatus(current.status).label}”，不能取消", code="wrong_state")
    if current.slot.day < clock.today():
        raise DomainError("该预约日期已过，不能取消", code="past")
    current.status, current.cancelled_on = AppointmentStatus.CANCELLED, clock.today()
    current.save(update_fields=["status", "cancelled_on"])
    Slot.objects.filter(pk=current.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    _audit(actor, "marriage.appointment", current.pk, AuditAction.UPDATE, f"群众取消网上预约 {current.number}")
    return current


@transaction.atomic
def do_cancel_appointment(actor: Actor, appointment: Appointment) -> Appointment:
    require_registrar(actor)
    current = access_by_id(Appointment.objects.all(), actor, appointment.pk, for_update=True)
    if current.status != AppointmentStatus.BOOKED:
        raise DomainError(f"该预约当前为“{AppointmentStatus(current.status).label}”，不能取消", code="wrong_state")
    current.status, current.cancelled_on = AppointmentStatus.CANCELLED, clock.today()
    current.save(update_fields=["status", "cancelled_on"])
    Slot.objects.filter(pk=current.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    _audit(actor, "marriage.appointment", current.pk, AuditAction.UPDATE, f"取消婚姻登记预约 {current.number}")
    return current


@transaction.atomic
def do_mark_arrived(actor: Actor, appointment: Appointment) -> Appointment:
    require_registrar(actor)
    current = access_by_id(Appointment.objects.select_related("slot"), actor, appointment.pk, for_update=True)
    if current.status != AppointmentStatus.BOOKED:
        raise DomainError(f"该预约当前为“{AppointmentStatus(current.status).label}”，不能登记到场", code="wrong_state")
    if current.slot.day != clock.today():
        raise DomainError("只能在预约当日登记到场", code="wrong_day")
    current.status = AppointmentStatus.ARRIVED
    current.save(update_fields=["status"])
    _audit(actor, "marriage.appointment", current.pk, AuditAction.UPDATE, f"预约到场 {current.number}")
    return current


# ----------------------------------------------------------------------------------------------
# The parties
# ----------------------------------------------------------------------------------------------


@dataclass
class PartyInput:
    """A party from the registry (``person_id``) or entered from the ID card (name + number)."""

    person_id: int | None = None
    name: str = ""
    id_number: str = ""


def _party(actor: Actor, side: str, data: PartyInput, errors: dict) -> dict | None:
    label, sex = ("男方", "M") if side == Party.MAN else ("女方", "F")
    if data.person_id:
        try:
            person = access_person_by_id(actor, data.person_id, audit=False)
        except DomainError:
            errors[f"{side}_person"] = NOT_FOUND
            return None
        if person.is_deceased:
            errors[f"{side}_person"] = f"{person.name}已登记死亡，不能选择"
            return None
        if person.sex != sex:
            errors[f"{side}_person"] = f"{label}应为{'男' if sex == 'M' else '女'}性"
            return None
        number = decrypt_text(person.id_number_encrypted)
        return {
            "person": person, "name": person.name, "id_encrypted": person.id_number_encrypted, "id_index": person.id_number_index,
            "id_masked": person.id_number_masked, "birth_date": person.birth_date,
            "hukou_code": person.hukou_division_code or number[:6],
        }  # fmt: skip
    name = (data.name or "").strip()
    if not name and not (data.id_number or "").strip():
        errors[f"{side}_person"] = f"请选择{label}或填写{label}的姓名和身份证号码"
        return None
    if not name:
        errors[f"{side}_name"] = f"请填写{label}姓名"
    try:
        parsed = parse_id_number(data.id_number)
    except InvalidIdNumber as e:
        errors[f"{side}_id_number"] = e.message
        return None
    if parsed.sex != sex:
        errors[f"{side}_id_number"] = f"身份证号码显示为{'男' if parsed.sex == 'M' else '女'}性，与{label}不符"
        return None
    if not name:
        return None
    return {
        "person": None, "name": name[:50], "id_encrypted": encrypt_text(parsed.value), "id_index": blind_index(parsed.value),
        "id_masked": mask_id_number(parsed.value), "birth_date": parsed.birth_date, "hukou_code": parsed.address_code,
    }  # fmt: skip


def _party_fields(man: dict, woman: dict) -> dict:
    out = {}
    for side, p in (("man", man), ("woman", woman)):
        for key, value in p.items():
            out[f"{side}_{key}"] = value
    out["cross_province"] = services.is_cross_province(man["hukou_code"], woman["hukou_code"])
    return out


def certificate_number(prefix: str, on: dt.date, pk: int) -> str:
    """Working format (参数待确认): prefix (J 结婚, L 离婚, BJ/BL 补发) + district code + year + serial."""
    return f"{prefix}{district_code()}-{on.year}-{pk:06d}"


# ----------------------------------------------------------------------------------------------
# 结婚登记
# ----------------------------------------------------------------------------------------------


@dataclass
class MarriageInput:
    man: PartyInput
    woman: PartyInput
    man_prior: str = PriorStatus.SINGLE
    woman_prior: str = PriorStatus.SINGLE
    both_present: bool = False
    voluntary: bool = False
    declaration_signed: bool = False
    no_prohibited_relation: bool = False
    ceremony: bool = False
    office_id: int | None = None
    appointment_id: int | None = None


@transaction.atomic
def do_apply_marriage(actor: Actor, data: MarriageInput) -> Marriage:
    """初审/受理: both parties identified, the declaration's facts recorded; the conditions are
    evaluated on the detail page and decided by 准予登记 / 不予登记."""
    require_registrar(actor)
    errors: dict[str, str] = {}
    man = _party(actor, Party.MAN, data.man, errors)
    woman = _party(actor, Party.WOMAN, data.woman, errors)
    for key in ("man_prior", "woman_prior"):
        if getattr(data, key) not in PriorStatus.values:
            errors[key] = "请选择婚姻状况"
    office = appointment = None
    if data.office_id:
        try:
            office = access_by_id(Office.objects.all(), actor, data.office_id)
        except DomainError:
            errors["office"] = "请选择登记处"
    if data.appointment_id:
        try:
            appointment = access_by_id(Appointment.objects.all(), actor, data.appointment_id)
        except DomainError:
            errors["appointment"] = "预约不存在"
    if man and woman and man["id_index"] == woman["id_index"]:
        errors["woman_id_number"] = "男方与女方不能是同一人"
    if not errors:
        for side, p in (("man", man), ("woman", woman)):
            if Marriage.objects.filter(status=MarriageStatus.APPLIED).filter(**{f"{side}_id_index": p["id_index"]}).exists():
                errors[f"{side}_person" if p["person"] else f"{side}_id_number"] = f"{p['name']}有尚未办结的结婚登记申请"
    if errors:
        raise ValidationFailed(errors)
    today = clock.today()
    m = Marriage.objects.create(
        number=placeholder_number(), division_code=district_code(), office=office, appointment=appointment,
        man_prior=data.man_prior, woman_prior=data.woman_prior, both_present=bool(data.both_present),
        voluntary=bool(data.voluntary), declaration_signed=bool(data.declaration_signed),
        no_prohibited_relation=bool(data.no_prohibited_relation), ceremony=bool(data.ceremony),
        status=MarriageStatus.APPLIED, applied_on=today, step_started_on=today, created_by_id=actor.user_id,
        **_party_fields(man, woman),
    )  # fmt: skip
    m.number = f"JH{today.year}{m.pk:06d}"
    Marriage.objects.filter(pk=m.pk).update(number=m.number)
    if appointment and appointment.status == AppointmentStatus.BOOKED:
        Appointment.objects.filter(pk=appointment.pk).update(status=AppointmentStatus.ARRIVED)
    record_event(actor, MARRIAGE, m, action="create", label="结婚登记申请", from_status="", to_status=MarriageStatus.APPLIED)
    _audit(actor, MARRIAGE.object_type, m.pk, AuditAction.CREATE,
           f"结婚登记申请 {m.number}（{mask_name(m.man_name)}、{mask_name(m.woman_name)}）", cross_province=m.cross_province)  # fmt: skip
    return m


@transaction.atomic
def do_register_marriage(actor: Actor, marriage: Marriage, *, expected_version: int) -> Marriage:
    """准予登记: every condition met on the day (else refused naming each unmet one); the 结婚证
    number. From this day neither party can be married again here until the marriage ends."""

    def prepare(current: Marriage, transition) -> Step:
        today = clock.today()
        conditions = services.evaluate(current, today)
        if services.unmet(conditions):
            raise ValidationFailed({"conditions": f"不符合结婚条件，不能登记：{services.refusal_text(conditions)}"})
        number = certificate_number("J", today, current.pk)
        return Step(
            updates={"registered_on": today, "certificate_number": number, "decided_by_id": actor.user_id,
                     "conditions": [c.as_dict() for c in conditions]},
            reason=f"结婚证 {number}" + ("（跨省通办）" if current.cross_province else ""),
            extra={"certificate_number": number, "cross_province": current.cross_province},
        )  # fmt: skip

    return do_transition(actor, MARRIAGE, marriage, "register", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_refuse_marriage(actor: Actor, marriage: Marriage, *, expected_version: int, opinion: str = "") -> Marriage:
    """不予登记: the grounds are every unmet condition (and the registrar's opinion); with every
    condition met a written ground is required."""

    def prepare(current: Marriage, transition) -> Step:
        conditions = services.evaluate(current, clock.today())
        failed = services.unmet(conditions)
        text = (opinion or "").strip()
        if not failed and not text:
            raise ValidationFailed({"opinion": "各项结婚条件均符合，不予登记须写明理由"})
        reasons = [{"code": c.code, "label": c.label, "article": c.article, "detail": c.detail} for c in failed]
        if text:
            reasons.append({"code": "opinion", "label": "登记机关意见", "article": "", "detail": text[:500]})
        return Step(
            updates={"refused_on": clock.today(), "refusal_reasons": reasons, "decided_by_id": actor.user_id,
                     "conditions": [c.as_dict() for c in conditions]},
            reason="；".join(f"{r['label']}（{r['detail']}）" for r in reasons), extra={"unmet": [c.code for c in failed]},
        )  # fmt: skip

    return do_transition(actor, MARRIAGE, marriage, "refuse", expected_version=expected_version, prepare=prepare)


def _end_marriage(actor: Actor, marriage_id: int, *, on: dt.date, kind: str, note: str) -> None:
    current = Marriage.objects.select_for_update().get(pk=marriage_id)
    current = lock_case(actor, MARRIAGE, current, current.version)
    update_case(actor, MARRIAGE, current, action="end", label=f"婚姻关系终止：{EndKind(kind).label}", reason=note,
                updates={"ended_on": on, "end_kind": kind, "end_note": note[:200]})  # fmt: skip
    _audit(actor, MARRIAGE.object_type, current.pk, AuditAction.UPDATE, f"结婚登记 {current.number}：{EndKind(kind).label}（{note}）")


# ----------------------------------------------------------------------------------------------
# 协议离婚
# ----------------------------------------------------------------------------------------------


@dataclass
class DivorceInput:
    agreement_children: str
    agreement_property: str
    agreement_debts: str = ""
    marriage_id: int | None = None  # our own registration
    marriage_certificate: str = ""  # a marriage registered elsewhere: the certificate number …
    man: PartyInput | None = None  # … and both parties
    woman: PartyInput | None = None
    office_id: int | None = None
    refer_counselling: bool = False


@transaction.atomic
def do_apply_divorce(actor: Actor, data: DivorceInput) -> Divorce:
    """离婚登记申请: both present the ID and the 结婚证 with the signed 离婚协议 (intent,
    children, property, debts). The parties come from our marriage record or are entered."""
    require_registrar(actor)
    errors: dict[str, str] = {}
    children = _text(data.agreement_children, "agreement_children", "请填写离婚协议中子女抚养的约定（无子女的写明“无子女”）", errors, 4000)
    property_ = _text(data.agreement_property, "agreement_property", "请填写离婚协议中财产处理的约定", errors, 4000)
    marriage = None
    if data.marriage_id:
        try:
            marriage = access_by_id(Marriage.objects.all(), actor, data.marriage_id)
        except DomainError:
            errors["marriage"] = "结婚登记不存在"
        else:
            if not marriage.is_current:
                errors["marriage"] = f"结婚登记 {marriage.number} 不是有效的婚姻登记，不能申请离婚"
            elif Divorce.objects.filter(marriage=marriage, status__in=(DivorceStatus.APPLIED, DivorceStatus.ACCEPTED, DivorceStatus.AWAITING_ISSUE)).exists():
                errors["marriage"] = "该婚姻已有办理中的离婚登记申请"
        man = woman = None
    else:
        certificate = _text(data.marriage_certificate, "marriage_certificate", "请填写结婚证字号", errors, 32)
        man = _party(actor, Party.MAN, data.man or PartyInput(), errors)
        woman = _party(actor, Party.WOMAN, data.woman or PartyInput(), errors)
    office = None
    if data.office_id:
        try:
            office = access_by_id(Office.objects.all(), actor, data.office_id)
        except DomainError:
            errors["office"] = "请选择登记处"
    if errors:
        raise ValidationFailed(errors)
    if marriage is not None:
        fields = {f"{side}_{k}": getattr(marriage, f"{side}_{k}") for side in ("man", "woman")
                  for k in ("person", "name", "id_encrypted", "id_index", "id_masked", "birth_date", "hukou_code")}  # fmt: skip
        fields["cross_province"] = marriage.cross_province
        certificate = marriage.certificate_number
    else:
        fields = _party_fields(man, woman)
    today = clock.today()
    d = Divorce.objects.create(
        number=placeholder_number(), division_code=district_code(), office=office, marriage=marriage,
        marriage_certificate=certificate, agreement_children=children, agreement_property=property_,
        agreement_debts=(data.agreement_debts or "").strip()[:4000], status=DivorceStatus.APPLIED, applied_on=today,
        step_started_on=today, created_by_id=actor.user_id, **fields,
    )  # fmt: skip
    d.number = f"LH{today.year}{d.pk:06d}"
    Divorce.objects.filter(pk=d.pk).update(number=d.number)
    record_event(actor, DIVORCE, d, action="create", label="离婚登记申请", from_status="", to_status=DivorceStatus.APPLIED)
    _audit(actor, DIVORCE.object_type, d.pk, AuditAction.CREATE, f"离婚登记申请 {d.number}（{mask_name(d.man_name)}、{mask_name(d.woman_name)}）")
    if data.refer_counselling:
        do_refer_counselling(actor, d)
    return d


@transaction.atomic
def do_accept_divorce(actor: Actor, divorce: Divorce, *, expected_version: int) -> Divorce:
    """受理 on day D: the 受理回执单; the cooling-off period and the issue deadline computed."""

    def prepare(current: Divorce, transition) -> Step:
        cal = services.divorce_calendar(clock.today())
        return Step(
            updates={"accepted_on": cal.accepted_on, "cooling_end_on": cal.cooling_end_on, "issue_deadline_on": cal.issue_deadline_on},
            reason=f"冷静期至{cal.cooling_end_on:%Y-%m-%d}，双方应于{cal.issue_from:%Y-%m-%d}至{cal.issue_deadline_on:%Y-%m-%d}共同到场申请发给离婚证",
        )  # fmt: skip

    return do_transition(actor, DIVORCE, divorce, "accept", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_not_accept_divorce(actor: Actor, divorce: Divorce, *, expected_version: int, reason: str) -> Divorce:
    def prepare(current: Divorce, transition) -> Step:
        return Step(updates={"refused_on": clock.today(), "refusal_reason": (reason or "").strip()[:2000]})

    return do_transition(actor, DIVORCE, divorce, "not_accept", expected_version=expected_version, reason=reason, prepare=prepare)


@transaction.atomic
def do_withdraw_divorce(actor: Actor, divorce: Divorce, *, expected_version: int, party: str) -> Divorce:
    """撤回: either party, in person, until the cooling-off period's last day (撤回确认单)."""

    def prepare(current: Divorce, transition) -> Step:
        if party not in Party.values:
            raise ValidationFailed({"party": "请选择撤回申请的一方"})
        today = clock.today()
        if today > current.cooling_end_on:
            raise DomainError(f"冷静期已于{current.cooling_end_on:%Y-%m-%d}届满，不能再撤回离婚申请", code="cooling_over")
        return Step(updates={"withdrawn_on": today, "withdrawn_by": party}, reason=f"{Party(party).label}撤回离婚登记申请")

    return do_transition(actor, DIVORCE, divorce, "withdraw", expected_version=expected_version, prepare=prepare)


def _open_issue(actor: Actor, current: Divorce, today: dt.date | None = None) -> Divorce:
    def prepare(c: Divorce, transition) -> Step:
        if (today or clock.today()) <= c.cooling_end_on:
            raise DomainError(f"冷静期至{c.cooling_end_on:%Y-%m-%d}届满，届满后方可办理离婚登记", code="cooling_running")
        return Step(reason=f"冷静期届满，双方应于{c.issue_deadline_on:%Y-%m-%d}前共同到场申请发给离婚证")

    return do_transition(actor, DIVORCE, current, "open_issue", expected_version=current.version, prepare=prepare)


@transaction.atomic
def do_register_divorce(actor: Actor, divorce: Divorce, *, expected_version: int, both_present: bool) -> Divorce:
    """离婚登记 (发给离婚证): both parties in person at the registry that accepted the
    application, after the cooling-off period and by the deadline. A case the daily sweep has not
    yet moved is moved first."""
    require_registrar(actor)
    current = lock_case(actor, DIVORCE, divorce, expected_version)
    today = clock.today()
    if current.status == DivorceStatus.ACCEPTED:
        current = _open_issue(actor, current)

    def prepare(c: Divorce, transition) -> Step:
        if not both_present:
            raise ValidationFailed({"both_present": "离婚登记须双方亲自到场"})
        if today > c.issue_deadline_on:
            raise DomainError(f"已超过申请发给离婚证的期限（{c.issue_deadline_on:%Y-%m-%d}），离婚登记申请视为撤回", code="deadline_passed")
        number = certificate_number("L", today, c.pk)
        return Step(updates={"registered_on": today, "certificate_number": number}, reason=f"离婚证 {number}", extra={"certificate_number": number})

    result = do_transition(actor, DIVORCE, current, "register", expected_version=current.version, prepare=prepare)
    if result.marriage_id:
        _end_marriage(actor, result.marriage_id, on=today, kind=EndKind.DIVORCE, note=f"离婚证 {result.certificate_number}")
    return result


@transaction.atomic
def do_refuse_divorce(actor: Actor, divorce: Divorce, *, expected_version: int, reason: str) -> Divorce:
    require_registrar(actor)
    current = lock_case(actor, DIVORCE, divorce, expected_version)
    if current.status == DivorceStatus.ACCEPTED:
        current = _open_issue(actor, current)

    def prepare(c: Divorce, transition) -> Step:
        return Step(updates={"refused_on": clock.today(), "refusal_reason": (reason or "").strip()[:2000]})

    return do_transition(actor, DIVORCE, current, "refuse", expected_version=current.version, reason=reason, prepare=prepare)


@transaction.atomic
def do_sweep_divorces(actor: Actor, *, today: dt.date | None = None) -> dict:
    """The daily sweep: 冷静期 over → 待双方到场登记; the 30 days after it over with no joint
    appearance → 视为撤回 (程序终止). Run as the system actor from the command."""
    require_registrar(actor)
    day = today or clock.today()
    opened = lapsed = 0
    for d in Divorce.objects.visible_to(actor).filter(status=DivorceStatus.ACCEPTED, cooling_end_on__lt=day).order_by("pk"):
        d = _open_issue(actor, d, day)
        opened += 1
    for d in Divorce.objects.visible_to(actor).filter(status=DivorceStatus.AWAITING_ISSUE, issue_deadline_on__lt=day).order_by("pk"):
        do_transition(actor, DIVORCE, d, "lapse", expected_version=d.version,
                      prepare=lambda c, t: Step(updates={"lapsed_on": day}, reason=f"双方未在{c.issue_deadline_on:%Y-%m-%d}前共同到场申请发给离婚证，视为撤回离婚登记申请"))  # fmt: skip
        lapsed += 1
    return {"opened": opened, "lapsed": lapsed, "day": day.isoformat()}


# ----------------------------------------------------------------------------------------------
# 补领, 更正, 撤销 (冒名顶替), 法院判决
# ----------------------------------------------------------------------------------------------


@dataclass
class AmendmentInput:
    kind: str
    marriage_id: int | None
    applicant: str = ""
    certificate_kind: str = ""
    divorce_id: int | None = None
    basis: str = ""
    authority: str = ""
    document_number: str = ""
    judgment_kind: str = ""
    effective_on: dt.date | None = None
    correction_field: str = ""
    new_value: str = ""
    description: str = ""
    documents: tuple[str, ...] = ()


@transaction.atomic
def do_open_amendment(actor: Actor, data: AmendmentInput) -> Amendment:
    """Open a case against one of our marriage registrations (the archive is ours: a marriage
    registered elsewhere is reissued or corrected where its archive is)."""
    require_registrar(actor)
    errors: dict[str, str] = {}
    if data.kind not in AmendmentKind.values:
        raise ValidationFailed({"kind": "请选择事项"})
    marriage = divorce = None
    try:
        marriage = access_by_id(Marriage.objects.all(), actor, data.marriage_id)
    except DomainError:
        errors["marriage"] = "请选择本处的结婚登记"
    if marriage is not None and marriage.status != MarriageStatus.REGISTERED:
        errors["marriage"] = "该结婚申请未登记，不能办理"
    applicant = _text(data.applicant, "applicant", "请填写申请人或来文单位", errors, 100)
    fields: dict = {}
    if data.kind == AmendmentKind.REISSUE:
        if data.certificate_kind not in CertificateKind.values:
            errors["certificate_kind"] = "请选择补领的证件"
        elif data.certificate_kind == CertificateKind.DIVORCE:
            divorce = marriage and marriage.divorces.filter(status=DivorceStatus.ISSUED).first()
            if divorce is None:
                errors["certificate_kind"] = "该婚姻在本处无离婚登记，不能补领离婚证"
        elif marriage is not None and not marriage.is_current:
            errors["certificate_kind"] = "该婚姻关系已终止，不能补领结婚证"
        fields["certificate_kind"] = data.certificate_kind
    elif data.kind == AmendmentKind.CORRECTION:
        if data.correction_field not in CorrectionField.values:
            errors["correction_field"] = "请选择更正项目"
        new = _text(data.new_value, "new_value", "请填写更正后的内容", errors, 100)
        if data.correction_field == CorrectionField.REGISTERED_ON and new:
            try:
                dt.date.fromisoformat(new)
            except ValueError:
                errors["new_value"] = "登记日期应为YYYY-MM-DD"
        if not errors and marriage is not None:
            old = getattr(marriage, data.correction_field)
            fields.update(correction_field=data.correction_field, old_value=old.isoformat() if isinstance(old, dt.date) else str(old), new_value=new)
            if fields["old_value"] == new:
                errors["new_value"] = "更正后的内容与原登记内容相同"
    elif data.kind == AmendmentKind.CANCELLATION:
        if data.basis not in CancellationBasis.values:
            errors["basis"] = "请选择撤销依据（司法建议书、检察建议书或公安机关证明）"
        fields.update(basis=data.basis, authority=_text(data.authority, "authority", "请填写作出机关", errors, 100),
                      document_number=_text(data.document_number, "document_number", "请填写文书编号", errors, 64))  # fmt: skip
    elif data.kind == AmendmentKind.JUDGMENT:
        if data.judgment_kind not in JudgmentKind.values:
            errors["judgment_kind"] = "请选择判决结果"
        if data.effective_on is None:
            errors["effective_on"] = "请填写判决生效日期"
        elif data.effective_on > clock.today():
            errors["effective_on"] = "判决生效日期不能晚于今天"
        fields.update(judgment_kind=data.judgment_kind, effective_on=data.effective_on,
                      authority=_text(data.authority, "authority", "请填写作出判决的人民法院", errors, 100),
                      document_number=_text(data.document_number, "document_number", "请填写判决书案号", errors, 64))  # fmt: skip
    if data.kind in (AmendmentKind.CANCELLATION, AmendmentKind.JUDGMENT) and marriage is not None and not marriage.is_current and "marriage" not in errors:
        errors["marriage"] = f"该婚姻已于{marriage.ended_on:%Y-%m-%d}终止（{marriage.get_end_kind_display()}）"
    bad_docs = [k for k in data.documents if k not in DocumentKind.values]
    if bad_docs:
        errors["documents"] = "请从列表中选择材料"
    if not errors and Amendment.objects.filter(marriage=marriage, kind=data.kind, status__in=(AmendmentStatus.APPLIED, AmendmentStatus.NOTIFIED)).exists():
        errors["marriage"] = f"该婚姻登记已有办理中的{AmendmentKind(data.kind).label}案件"
    if errors:
        raise ValidationFailed(errors)
    today = clock.today()
    a = Amendment.objects.create(
        number=placeholder_number(), division_code=district_code(), kind=data.kind, marriage=marriage, divorce=divorce,
        applicant=applicant, description=(data.description or "").strip()[:2000], status=AmendmentStatus.APPLIED,
        applied_on=today, step_started_on=today, created_by_id=actor.user_id, **fields,
    )  # fmt: skip
    a.number = f"HA{today.year}{a.pk:06d}"
    Amendment.objects.filter(pk=a.pk).update(number=a.number)
    for kind in dict.fromkeys(data.documents):
        AmendmentDocument.objects.create(amendment=a, division_code=a.division_code, kind=kind, received_on=today, received_by_id=actor.user_id)
    record_event(actor, AMENDMENT, a, action="create", label=AmendmentKind(data.kind).label, from_status="", to_status=AmendmentStatus.APPLIED)
    _audit(actor, AMENDMENT.object_type, a.pk, AuditAction.CREATE, f"{AmendmentKind(data.kind).label} {a.number}（结婚登记 {marriage.number}）")
    return a


@transaction.atomic
def do_add_amendment_document(actor: Actor, amendment: Amendment, *, kind: str, reference: str = "") -> AmendmentDocument:
    require_registrar(actor)
    current = access_by_id(Amendment.objects.all(), actor, amendment.pk, for_update=True)
    if kind not in DocumentKind.values:
        raise ValidationFailed({"kind": "请选择材料"})
    if current.status not in (AmendmentStatus.APPLIED, AmendmentStatus.NOTIFIED, AmendmentStatus.DONE):
        raise DomainError(f"案件当前为“{AmendmentStatus(current.status).label}”，不能收件", code="wrong_state")
    try:
        with transaction.atomic():
            doc = AmendmentDocument.objects.create(amendment=current, division_code=current.division_code, kind=kind,
                                                   reference=(reference or "").strip()[:100], received_on=clock.today(), received_by_id=actor.user_id)  # fmt: skip
    except IntegrityError:
        raise ValidationFailed({"kind": f"{DocumentKind(kind).label}已收件"}) from None
    _audit(actor, AMENDMENT.object_type, current.pk, AuditAction.UPDATE, f"收件：{DocumentKind(kind).label}（{current.number}）")
    return doc


@transaction.atomic
def do_notify_amendment(actor: Actor, amendment: Amendment, *, expected_version: int, reason: str = "") -> Amendment:
    """告知: the parties are told of the intended cancellation and may state their case (撤销 only)."""

    def prepare(current: Amendment, transition) -> Step:
        if current.kind != AmendmentKind.CANCELLATION:
            raise DomainError("只有撤销婚姻登记需告知当事人", code="wrong_kind")
        return Step(updates={"notified_on": clock.today()})

    return do_transition(actor, AMENDMENT, amendment, "notify", expected_version=expected_version, reason=reason, prepare=prepare)


@transaction.atomic
def do_decide_amendment(actor: Actor, amendment: Amendment, *, expected_version: int) -> Amendment:
    """办结 by kind: 补领 → a new certificate number; 更正 → the registration corrected; 撤销 →
    the registration cancelled (after 告知); 判决 → the archive annotated and the marriage ended."""
    require_registrar(actor)
    today = clock.today()

    def prepare(current: Amendment, transition) -> Step:
        if current.kind == AmendmentKind.CANCELLATION and current.status != AmendmentStatus.NOTIFIED:
            raise DomainError("撤销婚姻登记须先告知当事人", code="not_notified")
        if current.kind == AmendmentKind.REISSUE:
            prefix = "BJ" if current.certificate_kind == CertificateKind.MARRIAGE else "BL"
            number = certificate_number(prefix, today, current.pk)
            return Step(updates={"decided_on": today, "new_certificate_number": number}, reason=f"补发{CertificateKind(current.certificate_kind).label} {number}")
        return Step(updates={"decided_on": today}, reason=_effect_text(current))

    result = do_transition(actor, AMENDMENT, amendment, "decide", expected_version=expected_version, prepare=prepare)
    if result.kind == AmendmentKind.CORRECTION:
        m = lock_case(actor, MARRIAGE, result.marriage_id, Marriage.objects.get(pk=result.marriage_id).version)
        value = dt.date.fromisoformat(result.new_value) if result.correction_field == CorrectionField.REGISTERED_ON else result.new_value
        update_case(actor, MARRIAGE, m, action="correct", label="更正婚姻登记", reason=f"{result.get_correction_field_display()}：{result.old_value} → {result.new_value}（{result.number}）",
                    updates={result.correction_field: value})  # fmt: skip
    elif result.kind == AmendmentKind.CANCELLATION:
        _end_marriage(actor, result.marriage_id, on=today, kind=EndKind.CANCELLED, note=f"{result.get_basis_display()} {result.document_number}（{result.number}）")
    elif result.kind == AmendmentKind.JUDGMENT:
        _end_marriage(actor, result.marriage_id, on=result.effective_on, kind=JUDGMENT_END[JudgmentKind(result.judgment_kind)],
                      note=f"{result.authority} {result.document_number}")  # fmt: skip
    return result


def _effect_text(a: Amendment) -> str:
    if a.kind == AmendmentKind.CORRECTION:
        return f"{a.get_correction_field_display()}由“{a.old_value}”更正为“{a.new_value}”"
    if a.kind == AmendmentKind.CANCELLATION:
        return f"撤销婚姻登记（{a.get_basis_display()} {a.document_number}），当事人列入婚姻登记严重失信名单"
    return f"{a.authority} {a.document_number} {a.get_judgment_kind_display()}，判决自{a.effective_on:%Y-%m-%d}生效，已在婚姻登记档案中备注"


@transaction.atomic
def do_refuse_amendment(actor: Actor, amendment: Amendment, *, expected_version: int, reason: str) -> Amendment:
    def prepare(current: Amendment, transition) -> Step:
        return Step(updates={"decided_on": clock.today(), "refusal_reason": (reason or "").strip()[:2000]})

    return do_transition(actor, AMENDMENT, amendment, "refuse", expected_version=expected_version, reason=reason, prepare=prepare)


@transaction.atomic
def do_close_amendment_step(actor: Actor, amendment: Amendment, *, expected_version: int, step: str) -> Amendment:
    """送达 (the decision served) then 归档 (filed in the permanent archive): dated in-state steps."""
    require_registrar(actor)
    current = lock_case(actor, AMENDMENT, amendment, expected_version)
    if current.status not in (AmendmentStatus.DONE, AmendmentStatus.REFUSED):
        raise DomainError("案件尚未作出决定", code="wrong_state")
    today = clock.today()
    if step == "serve":
        if current.served_on:
            raise DomainError("决定已送达", code="done")
        result = update_case(actor, AMENDMENT, current, action="serve", label="送达", updates={"served_on": today})
    elif step == "archive":
        if current.archived_on:
            raise DomainError("案件已归档", code="done")
        if not current.served_on:
            raise DomainError("决定送达后方可归档", code="not_served")
        result = update_case(actor, AMENDMENT, current, action="archive", label="归档", updates={"archived_on": today})
    else:
        raise ValidationFailed({"step": "未知的办理步骤"})
    _audit(actor, AMENDMENT.object_type, current.pk, AuditAction.UPDATE, f"{'送达' if step == 'serve' else '归档'}：{current.number}")
    return result


# ----------------------------------------------------------------------------------------------
# 婚姻家庭辅导
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_refer_counselling(actor: Actor, divorce: Divorce) -> CounsellingReferral:
    require_registrar(actor)
    current = access_by_id(Divorce.objects.all(), actor, divorce.pk)
    if current.status not in (DivorceStatus.APPLIED, DivorceStatus.ACCEPTED):
        raise DomainError("只能在离婚申请或冷静期内转介婚姻家庭辅导", code="wrong_state")
    if CounsellingReferral.objects.filter(divorce=current).exists():
        raise DomainError("该离婚申请已转介婚姻家庭辅导", code="duplicate")
    referral = CounsellingReferral.objects.create(divorce=current, division_code=current.division_code, referred_on=clock.today(), referred_by_id=actor.user_id)
    _audit(actor, "marriage.counselling", referral.pk, AuditAction.CREATE, f"转介婚姻家庭辅导：{current.number}")
    return referral


@transaction.atomic
def do_close_referral(actor: Actor, referral: CounsellingReferral, *, outcome: str, note: str = "") -> CounsellingReferral:
    require_registrar(actor)
    current = access_by_id(CounsellingReferral.objects.all(), actor, referral.pk, for_update=True)
    if outcome not in CounsellingOutcome.values or outcome == CounsellingOutcome.PENDING:
        raise ValidationFailed({"outcome": "请选择辅导结果"})
    if current.outcome != CounsellingOutcome.PENDING:
        raise DomainError("该转介已登记辅导结果", code="done")
    current.outcome, current.closed_on, current.note = outcome, clock.today(), (note or "").strip()[:2000]
    current.save(update_fields=["outcome", "closed_on", "note"])
    _audit(actor, "marriage.counselling", current.pk, AuditAction.UPDATE, f"婚姻家庭辅导结果：{CounsellingOutcome(outcome).label}")
    return current


@transaction.atomic
def do_record_session(actor: Actor, *, held_on: dt.date | None, kind: str, people: int | None, counsellor: str, topic: str = "",
                      referral_id: int | None = None) -> CounsellingSession:  # fmt: skip
    require_registrar(actor)
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = "请填写服务日期"
    elif held_on > clock.today():
        errors["held_on"] = "服务日期不能晚于今天"
    if kind not in SessionKind.values:
        errors["kind"] = "请选择服务类型"
    if people is None or not 1 <= int(people) <= 500:
        errors["people"] = "服务人数应为1至500"
    name = _text(counsellor, "counsellor", "请填写辅导员", errors, 50)
    referral = None
    if referral_id:
        try:
            referral = access_by_id(CounsellingReferral.objects.all(), actor, referral_id)
        except DomainError:
            errors["referral"] = "转介记录不存在"
    if errors:
        raise ValidationFailed(errors)
    session = CounsellingSession.objects.create(
        division_code=district_code(), referral=referral, held_on=held_on, kind=kind, people=int(people), counsellor=name,
        topic=(topic or "").strip()[:200], recorded_by_id=actor.user_id,
    )  # fmt: skip
    _audit(actor, "marriage.counselling", session.pk, AuditAction.CREATE, f"婚姻家庭辅导服务记录：{held_on:%Y-%m-%d} {SessionKind(kind).label} {people}人")
    return session


# ----------------------------------------------------------------------------------------------
# 家庭户变更 at the couple's request (the registry's village does it)
# ----------------------------------------------------------------------------------------------

MOVERS = {"man": "男方迁入女方家庭", "woman": "女方迁入男方家庭"}


@transaction.atomic
def do_request_household_change(actor: Actor, marriage: Marriage, *, expected_version: int, mover: str, relation: str) -> HouseholdJoinRequest:
    """When the couple asks, one spouse joins the other's household (婚入): the registrar records
    the request and the household's village does it in the registry (or declines with a reason).
    Both must be registered persons of the district; the other spouse's current household is the
    target."""
    require_registrar(actor)
    current = lock_case(actor, MARRIAGE, marriage, expected_version)
    if not current.is_current:
        raise DomainError("只有已登记且婚姻关系存续的结婚登记可以申请家庭户变更", code="wrong_state")
    if mover not in MOVERS:
        raise ValidationFailed({"mover": "请选择迁入的一方"})
    moving, other = (current.man_person, current.woman_person) if mover == "man" else (current.woman_person, current.man_person)
    if moving is None:
        raise ValidationFailed({"mover": "迁入的一方不是本区在册人员，家庭户变更请到其户籍地办理"})
    if other is None:
        raise ValidationFailed({"mover": "对方不是本区在册人员，没有可迁入的本区家庭"})
    household = current_household_of(other)
    if household is None:
        raise ValidationFailed({"mover": f"{other.name}未登记在任何家庭中，请先由其所在村（社区）立户"})
    request = do_request_household_join(
        actor, moving, household, relation=relation, reason=MembershipChangeReason.MARRIAGE, source=JoinRequestSource.MARRIAGE,
        source_id=current.pk, source_label=f"结婚登记 {current.number}（结婚证 {current.certificate_number}），双方申请",
    )  # fmt: skip
    record_event(actor, MARRIAGE, current, action="household_change", label="申请家庭户变更", from_status=current.status,
                 to_status=current.status, reason=f"{MOVERS[mover]}（{household.label}），待村（社区）办理")  # fmt: skip
    return request
