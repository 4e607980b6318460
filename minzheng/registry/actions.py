"""Every write to the registry: named, atomic, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F

from minzheng.accounts.actor import Actor
from minzheng.accounts.permissions import Perm
from minzheng.accounts.scoping import access_by_id, check_division_in_scope
from minzheng.core import clock
from minzheng.core.audit import AuditAction, diff_fields, record_audit_event
from minzheng.core.crypto import blind_index, decrypt_text, encrypt_text
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.core.idnumber import InvalidIdNumber, mask_id_number, parse_id_number
from minzheng.core.masking import mask_phone
from minzheng.core.pinyin import name_pinyin
from minzheng.divisions.directory import get_directory
from minzheng.divisions.models import Level
from minzheng.registry.deaths import run_handlers
from minzheng.registry.enums import (
    DeathReportStatus,
    DeathSource,
    DisabilityCategory,
    HukouType,
    MembershipChangeReason,
    Relation,
    SelfCare,
    WorkCapacity,
)
from minzheng.registry.models import DeathReport, Household, HouseholdMembership, Person

NAME_MAX = Person._meta.get_field("name").max_length
ADDRESS_MAX = Household._meta.get_field("address").max_length


@dataclass
class PersonInput:
    id_number: str
    name: str
    division_code: str
    hukou_division_code: str = ""
    hukou_type: str = HukouType.RESIDENT
    phone: str = ""
    disability_category: str = ""
    disability_grade: int = 0
    disability_certificate: str = ""
    serious_illness: bool = False
    work_capacity: str = WorkCapacity.FULL
    self_care: str = SelfCare.ABLE
    student: bool = False
    extra: dict = field(default_factory=dict)


def _require_village(code: str, field_name: str, errors: dict[str, str]) -> None:
    info = get_directory().get(code)
    if info is None:
        errors[field_name] = f"区划代码“{code}”不存在"
    elif info.level != Level.VILLAGE:
        errors[field_name] = "请选择到村（社区）一级"


def validate_person_input(data: PersonInput) -> tuple[dict[str, str], object | None]:
    errors: dict[str, str] = {}
    parsed = None
    try:
        parsed = parse_id_number(data.id_number)
    except InvalidIdNumber as e:
        errors["id_number"] = e.message
    name = (data.name or "").strip()
    if not name:
        errors["name"] = "请填写姓名"
    elif len(name) > NAME_MAX:
        errors["name"] = f"姓名不能超过{NAME_MAX}个字符"
    _require_village(data.division_code, "division_code", errors)
    hukou = data.hukou_division_code or data.division_code
    if not (hukou.isdigit() and len(hukou) in (6, 9, 12)):
        errors["hukou_division_code"] = "户籍地区划代码应为6、9或12位数字"
    elif hukou.startswith(district_code()) and get_directory().get(hukou) is None:
        errors["hukou_division_code"] = f"区划代码“{hukou}”不存在"
    if data.hukou_type not in HukouType.values:
        errors["hukou_type"] = "户口性质不正确"
    if data.phone and not (data.phone.isdigit() and 7 <= len(data.phone) <= 12):
        errors["phone"] = "联系电话应为7至12位数字"
    grade = data.disability_grade or 0
    if grade not in (0, 1, 2, 3, 4):
        errors["disability_grade"] = "残疾等级应为1至4级"
    if grade and data.disability_category not in DisabilityCategory.values:
        errors["disability_category"] = "请选择残疾类别"
    if not grade and data.disability_category:
        errors["disability_grade"] = "已填写残疾类别，请同时填写残疾等级"
    if len(data.disability_certificate) > 40:
        errors["disability_certificate"] = "残疾人证号不能超过40个字符"
    if data.work_capacity not in WorkCapacity.values:
        errors["work_capacity"] = "劳动能力选项不正确"
    if data.self_care not in SelfCare.values:
        errors["self_care"] = "生活自理能力选项不正确"
    return errors, parsed


@transaction.atomic
def do_register_person(actor: Actor, data: PersonInput) -> Person:
    actor.require(Perm.EDIT_REGISTRY)
    errors, parsed = validate_person_input(data)
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, data.division_code)
    index = blind_index(parsed.value)
    if Person.objects.filter(id_number_index=index).exists():
        raise ValidationFailed({"id_number": "该身份证号码已登记，不能重复建档"})
    full, initials = name_pinyin(data.name.strip())
    person = Person(
        id_number_encrypted=encrypt_text(parsed.value),
        id_number_index=index,
        id_number_masked=mask_id_number(parsed.value),
        name=data.name.strip(),
        name_pinyin=full,
        name_initials=initials,
        sex=parsed.sex,
        birth_date=parsed.birth_date,
        phone_encrypted=encrypt_text(data.phone) if data.phone else "",
        phone_masked=mask_phone(data.phone),
        division_code=data.division_code,
        hukou_division_code=data.hukou_division_code or data.division_code,
        hukou_type=data.hukou_type,
        disability_category=data.disability_category if data.disability_grade else "",
        disability_grade=data.disability_grade or 0,
        disability_certificate_encrypted=encrypt_text(data.disability_certificate)
        if data.disability_certificate
        else "",
        serious_illness=data.serious_illness,
        work_capacity=data.work_capacity,
        self_care=data.self_care,
        student=data.student,
    )
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # Two registrations of the same number at once: the unique index decides.
        raise ValidationFailed({"id_number": "该身份证号码已登记，不能重复建档"}) from None
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="person",
        object_id=person.pk,
        division_code=person.division_code,
        summary=f"新增人员 {person.name}（{person.id_number_masked}）",
    )
    return person


EDITABLE_PERSON_FIELDS = (
    "name",
    "division_code",
    "hukou_type",
    "disability_category",
    "disability_grade",
    "serious_illness",
    "work_capacity",
    "self_care",
    "student",
)


@transaction.atomic
def do_update_person(actor: Actor, person: Person, *, expected_version: int, changes: dict) -> Person:
    """Optimistic locking: the update applies only if nobody changed the row since it was read."""
    actor.require(Perm.EDIT_REGISTRY)
    unknown = set(changes) - set(EDITABLE_PERSON_FIELDS)
    if unknown:
        raise ValidationFailed({f: "该字段不可修改" for f in sorted(unknown)})
    before = {f: getattr(person, f) for f in changes}
    merged = PersonInput(
        id_number="",  # not re-validated here
        name=changes.get("name", person.name),
        division_code=changes.get("division_code", person.division_code),
        hukou_division_code=person.hukou_division_code,
        hukou_type=changes.get("hukou_type", person.hukou_type),
        disability_category=changes.get("disability_category", person.disability_category),
        disability_grade=changes.get("disability_grade", person.disability_grade),
        work_capacity=changes.get("work_capacity", person.work_capacity),
        self_care=changes.get("self_care", person.self_care),
    )
    errors, _ = validate_person_input(merged)
    errors.pop("id_number", None)
    if errors:
        raise ValidationFailed(errors)
    if "division_code" in changes:
        check_division_in_scope(actor, changes["division_code"])
    if "name" in changes:
        changes = {**changes, "name": changes["name"].strip()}
        changes["name_pinyin"], changes["name_initials"] = name_pinyin(changes["name"])
    updated = Person.objects.filter(pk=person.pk, version=expected_version).update(
        **changes, version=F("version") + 1
    )
    if updated == 0:
        raise DomainError("该记录已被其他用户修改，请刷新后重试", code="stale")
    person.refresh_from_db()
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="person",
        object_id=person.pk,
        division_code=person.division_code,
        summary=f"修改人员 {person.name}",
        changed_fields=diff_fields(before, {f: getattr(person, f) for f in before}),
    )
    return person


@transaction.atomic
def do_create_household(
    actor: Actor, *, head: Person, address: str = "", zone: str | None = None, since: dt.date | None = None
) -> Household:
    actor.require(Perm.EDIT_REGISTRY)
    if len(address) > ADDRESS_MAX:
        raise ValidationFailed({"address": f"住址不能超过{ADDRESS_MAX}个字符"})
    check_division_in_scope(actor, head.division_code)
    if HouseholdMembership.objects.filter(person=head, valid_to__isnull=True).exists():
        raise ValidationFailed({"head": "该人员已在其他家庭中，请先办理迁出或分户"})
    division = get_directory().get(head.division_code)
    household = Household.objects.create(
        division_code=head.division_code,
        address=address,
        zone=zone or (division.zone if division and division.zone else "rural"),
        head=head,
        member_count=1,
    )
    HouseholdMembership.objects.create(
        household=household,
        person=head,
        division_code=household.division_code,
        relation=Relation.HEAD,
        valid_from=since or clock.today(),
        reason_joined=MembershipChangeReason.ESTABLISHED,
    )
    Person.objects.filter(pk=head.pk).update(household=household)
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="household",
        object_id=household.pk,
        division_code=household.division_code,
        summary=f"立户，户主 {head.name}",
    )
    return household


@transaction.atomic
def do_add_household_member(
    actor: Actor,
    household: Household,
    person: Person,
    *,
    relation: str,
    reason: str = MembershipChangeReason.MOVED_IN,
    since: dt.date | None = None,
) -> HouseholdMembership:
    actor.require(Perm.EDIT_REGISTRY)
    check_division_in_scope(actor, household.division_code)
    if relation not in Relation.values or relation == Relation.HEAD:
        raise ValidationFailed({"relation": "与户主关系不正确"})
    if HouseholdMembership.objects.filter(person=person, valid_to__isnull=True).exists():
        raise ValidationFailed({"person": "该人员已在其他家庭中，请先办理迁出"})
    membership = HouseholdMembership.objects.create(
        household=household,
        person=person,
        division_code=household.division_code,
        relation=relation,
        valid_from=since or clock.today(),
        reason_joined=reason,
    )
    Household.objects.filter(pk=household.pk).update(member_count=F("member_count") + 1, version=F("version") + 1)
    Person.objects.filter(pk=person.pk).update(household=household)
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="household",
        object_id=household.pk,
        division_code=household.division_code,
        summary=f"增加成员 {person.name}（{Relation(relation).label}）",
        changed_fields={"members": ["", person.id_number_masked]},
    )
    return membership


@transaction.atomic
def do_remove_household_member(
    actor: Actor, household: Household, person: Person, *, reason: str, on: dt.date | None = None
) -> None:
    actor.require(Perm.EDIT_REGISTRY)
    check_division_in_scope(actor, household.division_code)
    closed = HouseholdMembership.objects.filter(household=household, person=person, valid_to__isnull=True).update(
        valid_to=on or clock.today(), reason_left=reason
    )
    if not closed:
        raise ValidationFailed({"person": "该人员不是本家庭的现有成员"})
    Household.objects.filter(pk=household.pk).update(member_count=F("member_count") - 1, version=F("version") + 1)
    Person.objects.filter(pk=person.pk).update(household=None)
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="household",
        object_id=household.pk,
        division_code=household.division_code,
        summary=f"减少成员 {person.name}（{MembershipChangeReason(reason).label}）",
        changed_fields={"members": [person.id_number_masked, ""]},
    )


@transaction.atomic
def do_record_death(actor: Actor, person: Person, *, death_date: dt.date) -> Person:
    actor.require(Perm.EDIT_REGISTRY)
    check_division_in_scope(actor, person.division_code)
    if death_date > clock.today() or death_date < person.birth_date:
        raise ValidationFailed({"death_date": "死亡日期不合理"})
    Person.objects.filter(pk=person.pk).update(
        is_deceased=True, death_date=death_date, version=F("version") + 1
    )
    if person.household_id:
        do_remove_household_member(
            actor, person.household, person, reason=MembershipChangeReason.DEATH, on=death_date
        )
    person.refresh_from_db()
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="person",
        object_id=person.pk,
        division_code=person.division_code,
        summary=f"登记死亡 {person.name}",
        changed_fields={"is_deceased": [False, True], "death_date": [None, death_date.isoformat()]},
    )
    return person


# ---------------------------------------------------------------------------------------------
# Death reports (ADR 0004): a department's record waits for the village's check
# ---------------------------------------------------------------------------------------------

REFERENCE_MAX = DeathReport._meta.get_field("reference").max_length
DECISION_REASON_MAX = DeathReport._meta.get_field("reason").max_length


@dataclass
class DeathReportOutcome:
    report: DeathReport | None
    created: bool
    note: str = ""  # why nothing new was created


def _may_report(actor: Actor) -> None:
    # The feed is imported by district staff (RUN_SCREENING); a registry editor may enter one.
    if not (actor.is_system or actor.has(Perm.RUN_SCREENING) or actor.has(Perm.EDIT_REGISTRY)):
        actor.require(Perm.EDIT_REGISTRY)


@transaction.atomic
def do_report_death(
    actor: Actor, *, person: Person, death_date: dt.date | None, source: str, reference: str
) -> DeathReportOutcome:
    """A department reports a death: a pending report, and every line's ``on_report`` (payments
    suspended, a village task opened). The person is NOT marked deceased here.

    Not duplicated: while a report of the person is pending, or once the death is recorded, a
    new report changes nothing; a report already refuted is not raised again by the same
    department with the same date (a re-sent wrong record)."""
    _may_report(actor)
    errors: dict[str, str] = {}
    reference = (reference or "").strip()
    if source not in DeathSource.values:
        errors["source"] = "信息来源不正确（应为公安户籍注销、卫健死亡医学证明或殡葬火化）"
    if death_date is None:
        errors["death_date"] = "请填写死亡日期"
    elif death_date > clock.today() or death_date < person.birth_date:
        errors["death_date"] = "死亡日期不合理"
    if not reference:
        errors["reference"] = "请填写信息出处（如导入批次和行号）"
    elif len(reference) > REFERENCE_MAX:
        errors["reference"] = f"信息出处不能超过{REFERENCE_MAX}个字"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, person.division_code)
    person = Person.objects.select_for_update().get(pk=person.pk)  # one report at a time per person
    if person.is_deceased:
        return DeathReportOutcome(None, False, "人员库已登记死亡")
    pending = DeathReport.objects.filter(person=person, status=DeathReportStatus.PENDING).first()
    if pending is not None:
        return DeathReportOutcome(pending, False, "该人员已有待核实的死亡信息")
    refuted = DeathReport.objects.filter(
        person=person, status=DeathReportStatus.REFUTED, death_date=death_date, source=source
    ).first()
    if refuted is not None:
        return DeathReportOutcome(refuted, False, "同一部门的同一死亡信息已核实有误")
    report = DeathReport.objects.create(
        person=person,
        division_code=person.division_code,
        death_date=death_date,
        source=source,
        reference=reference,
        reported_by_id=actor.user_id,
        reported_by_name=actor.display_name,
    )
    report.person = person
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="death_report",
        object_id=report.pk,
        division_code=report.division_code,
        summary=f"部门报告死亡（{DeathSource(source).label}，{death_date:%Y-%m-%d}）：{person.name}（{person.id_number_masked}），待村（社区）核实",
        extra={"reference": reference},
    )
    effects = run_handlers("on_report", actor, report)
    DeathReport.objects.filter(pk=report.pk).update(effects={"report": effects})
    report.refresh_from_db()
    return DeathReportOutcome(report, True)


def _fresh_report(actor: Actor, report: DeathReport | int, expected_version: int | None) -> DeathReport:
    actor.require(Perm.EDIT_REGISTRY)
    pk = report.pk if isinstance(report, DeathReport) else report
    current = access_by_id(DeathReport.objects.select_related("person"), actor, pk, for_update=True)
    if current.status != DeathReportStatus.PENDING:
        raise DomainError(f"该死亡信息已处理（{current.get_status_display()}），不能再次核实", code="wrong_state")
    if expected_version is not None and current.version != expected_version:
        raise DomainError("该死亡信息已被其他用户处理，请刷新后重试", code="stale")
    return current


def _decide(actor: Actor, report: DeathReport, status: str, reason: str, step: str, key: str) -> DeathReport:
    rows = DeathReport.objects.filter(pk=report.pk, version=report.version).update(
        status=status,
        decided_by_id=actor.user_id,
        decided_by_name=actor.display_name,
        decided_at=clock.now(),
        reason=reason,
        version=F("version") + 1,
    )
    if rows != 1:
        raise DomainError("该死亡信息已被其他用户处理，请刷新后重试", code="stale")
    report.refresh_from_db()
    effects = run_handlers(step, actor, report)
    DeathReport.objects.filter(pk=report.pk).update(effects={**report.effects, key: effects})
    report.refresh_from_db()
    return report


@transaction.atomic
def do_confirm_death_report(
    actor: Actor, report: DeathReport | int, *, expected_version: int | None = None, note: str = ""
) -> DeathReport:
    """The village (or town) has checked: the death is recorded in the registry
    (``do_record_death``) and every line's ``on_confirm`` runs (enrolments end with the month of
    death; months withheld after it are never paid)."""
    current = _fresh_report(actor, report, expected_version)
    note = (note or "").strip()
    if len(note) > DECISION_REASON_MAX:
        raise ValidationFailed({"note": f"情况说明不能超过{DECISION_REASON_MAX}个字"})
    person = current.person
    if not person.is_deceased:
        person = do_record_death(actor, person, death_date=current.death_date)
    current = _decide(actor, current, DeathReportStatus.CONFIRMED, note, "on_confirm", "confirm")
    record_audit_event(
        actor,
        AuditAction.TRANSITION,
        object_type="death_report",
        object_id=current.pk,
        division_code=current.division_code,
        summary=f"核实死亡属实：{person.name}（{person.id_number_masked}），{current.death_date:%Y-%m-%d}",
        changed_fields={"status": [DeathReportStatus.PENDING.value, DeathReportStatus.CONFIRMED.value]},
    )
    return current


@transaction.atomic
def do_refute_death_report(
    actor: Actor, report: DeathReport | int, *, reason: str, expected_version: int | None = None
) -> DeathReport:
    """The village (or town) found the report wrong (the person is alive, or it is someone
    else): the registry is untouched and every line's ``on_refute`` runs (suspensions lifted,
    the withheld months paid in the next payroll)."""
    current = _fresh_report(actor, report, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": "请填写核实有误的情况说明（如：本人健在，已入户见到本人）"})
    if len(reason) > DECISION_REASON_MAX:
        raise ValidationFailed({"reason": f"情况说明不能超过{DECISION_REASON_MAX}个字"})
    current = _decide(actor, current, DeathReportStatus.REFUTED, reason, "on_refute", "refute")
    record_audit_event(
        actor,
        AuditAction.TRANSITION,
        object_type="death_report",
        object_id=current.pk,
        division_code=current.division_code,
        summary=f"死亡信息核实有误：{current.person.name}（{current.person.id_number_masked}）：{reason[:80]}",
        changed_fields={"status": [DeathReportStatus.PENDING.value, DeathReportStatus.REFUTED.value]},
    )
    return current


def reveal_id_number(actor: Actor, person: Person) -> str:
    """The full number, for a permitted user only; every reveal is audited."""
    actor.require(Perm.REVEAL_ID_NUMBER)
    value = decrypt_text(person.id_number_encrypted)
    record_audit_event(
        actor,
        AuditAction.REVEAL,
        object_type="person",
        object_id=person.pk,
        division_code=person.division_code,
        summary=f"查看完整身份证号码 {person.id_number_masked}",
    )
    return value
