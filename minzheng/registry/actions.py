"""Every write to the registry: named, atomic, audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F

from minzheng.accounts.actor import Actor
from minzheng.accounts.names import actor_name_of
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
    ChildStatus,
    DeathReportStatus,
    DeathSource,
    DisabilityCategory,
    HukouType,
    JoinRequestSource,
    JoinRequestStatus,
    MembershipChangeReason,
    Relation,
    SelfCare,
    WorkCapacity,
)
from minzheng.registry.models import (
    DeathReport,
    Household,
    HouseholdJoinRequest,
    HouseholdMembership,
    Person,
)

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
    child_status: str = ""
    in_institution: bool = False
    has_capable_supporter: bool = True
    income_wage_fen: int = 0
    income_business_fen: int = 0
    income_property_fen: int = 0
    income_transfer_fen: int = 0
    extra: dict = field(default_factory=dict)


INCOME_FIELDS = ("income_wage_fen", "income_business_fen", "income_property_fen", "income_transfer_fen")
INCOME_LABELS = {
    "income_wage_fen": "工资性收入",
    "income_business_fen": "经营净收入",
    "income_property_fen": "财产净收入",
    "income_transfer_fen": "转移净收入",
}
# A month's income of one person above 10 million yuan is a typing error, not a fact.
INCOME_MAX_FEN = 1_000_000_000


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
    if data.child_status and data.child_status not in ChildStatus.values:
        errors["child_status"] = "儿童类别选项不正确"
    for name in ("serious_illness", "student", "in_institution", "has_capable_supporter"):
        if not isinstance(getattr(data, name), bool):
            errors[name] = "应为“是”或“否”"
    for name in INCOME_FIELDS:
        value = getattr(data, name)
        if isinstance(value, bool) or not isinstance(value, int):
            errors[name] = f"{INCOME_LABELS[name]}应为金额（元，最多两位小数）"
        elif value < 0:
            errors[name] = f"{INCOME_LABELS[name]}不能为负数"
        elif value > INCOME_MAX_FEN:
            errors[name] = f"{INCOME_LABELS[name]}超过合理范围，请核对"
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
        child_status=data.child_status,
        in_institution=data.in_institution,
        has_capable_supporter=data.has_capable_supporter,
        **{name: getattr(data, name) for name in INCOME_FIELDS},
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
    "child_status",
    "in_institution",
    "has_capable_supporter",
    *INCOME_FIELDS,
)


@transaction.atomic
def do_update_person(actor: Actor, person: Person, *, expected_version: int, changes: dict) -> Person:
    """Optimistic locking: the update applies only if nobody changed the row since it was read."""
    actor.require(Perm.EDIT_REGISTRY)
    unknown = set(changes) - set(EDITABLE_PERSON_FIELDS)
    if unknown:
        raise ValidationFailed({f: "该字段不可修改" for f in sorted(unknown)})
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
        **{
            name: changes.get(name, getattr(person, name))
            for name in ("serious_illness", "student", "child_status", "in_institution", "has_capable_supporter", *INCOME_FIELDS)
        },
    )
    errors, _ = validate_person_input(merged)
    errors.pop("id_number", None)
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, person.division_code)
    if "division_code" in changes:
        check_division_in_scope(actor, changes["division_code"])
    if "name" in changes:
        changes = {**changes, "name": changes["name"].strip()}
    changes = {f: v for f, v in changes.items() if getattr(person, f) != v}
    if not changes:
        if person.version != expected_version:
            raise DomainError("该记录已被其他用户修改，请刷新后重试", code="stale")
        return person  # nothing changed: nothing written, nothing audited
    before = {f: getattr(person, f) for f in changes}
    if "name" in changes:
        changes = dict(changes)
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


# ---------------------------------------------------------------------------------------------
# Households: 立户, members joining and leaving, 分户, a new head — every change dated and
# kept as membership history (rows are closed, never deleted or rewritten).
# ---------------------------------------------------------------------------------------------

ZONES = {"urban": "城镇", "rural": "农村"}


def _check_change_date(on: dt.date | None, errors: dict[str, str], *, field: str = "on", not_before: dt.date | None = None) -> dt.date:
    """The date of a household change: today when not given, never in the future, never
    before the membership it closes began."""
    day = on or clock.today()
    if day > clock.today():
        errors[field] = "变动日期不能晚于今天"
    elif not_before is not None and day < not_before:
        errors[field] = f"变动日期不能早于{not_before:%Y年%-m月%-d日}（加入本户的日期）"
    return day


def _current_membership(person: Person) -> HouseholdMembership | None:
    return HouseholdMembership.objects.select_for_update().filter(person=person, valid_to__isnull=True).first()


def _lock_household(household: Household) -> Household:
    return Household.objects.select_for_update(of=("self",)).select_related("head").get(pk=household.pk)


def _check_person_may_join(actor: Actor, person: Person, errors: dict[str, str], field: str) -> None:
    check_division_in_scope(actor, person.division_code)  # another village's person: NotFound
    if person.is_deceased:
        errors[field] = f"{person.name}已登记死亡，不能加入家庭"


def _open_membership(household: Household, person: Person, relation: str, since: dt.date, reason: str) -> HouseholdMembership:
    membership = HouseholdMembership.objects.create(
        household=household,
        person=person,
        division_code=household.division_code,
        relation=relation,
        valid_from=since,
        reason_joined=reason,
    )
    moved = {"household": household}
    if person.division_code != household.division_code:
        moved["division_code"] = household.division_code  # the member now lives where the household lives
    Person.objects.filter(pk=person.pk).update(**moved, version=F("version") + 1)
    return membership


def _close_membership(membership: HouseholdMembership, on: dt.date, reason: str) -> None:
    HouseholdMembership.objects.filter(pk=membership.pk).update(valid_to=on, reason_left=reason)
    Person.objects.filter(pk=membership.person_id).update(household=None, version=F("version") + 1)


def _recount(household_id: int) -> None:
    count = HouseholdMembership.objects.filter(household_id=household_id, valid_to__isnull=True).count()
    Household.objects.filter(pk=household_id).update(member_count=count, version=F("version") + 1)


def household_label(household: Household) -> str:
    """How a household is named on screens and in the audit log: its head and address."""
    return household.label


@transaction.atomic
def do_create_household(
    actor: Actor, *, head: Person, address: str = "", zone: str | None = None, since: dt.date | None = None
) -> Household:
    """立户: a new household with ``head`` as its first member, in the head's village."""
    actor.require(Perm.EDIT_REGISTRY)
    errors: dict[str, str] = {}
    address = (address or "").strip()
    if len(address) > ADDRESS_MAX:
        errors["address"] = f"住址不能超过{ADDRESS_MAX}个字符"
    if zone and zone not in ZONES:
        errors["zone"] = "城乡类别应为城镇或农村"
    since = _check_change_date(since, errors, field="since")
    _check_person_may_join(actor, head, errors, "head")
    if HouseholdMembership.objects.filter(person=head, valid_to__isnull=True).exists():
        errors["head"] = f"{head.name}已在其他家庭中，请先办理迁出或分户"
    if errors:
        raise ValidationFailed(errors)
    division = get_directory().get(head.division_code)
    household = Household.objects.create(
        division_code=head.division_code,
        address=address,
        zone=zone or (division.zone if division and division.zone else "rural"),
        head=head,
        member_count=1,
    )
    _open_membership(household, head, Relation.HEAD, since, MembershipChangeReason.ESTABLISHED)
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="household",
        object_id=household.pk,
        division_code=household.division_code,
        summary=f"立户，户主 {head.name}（{since:%Y-%m-%d}）",
    )
    return household


JOIN_REASONS = (
    MembershipChangeReason.BIRTH,
    MembershipChangeReason.MARRIAGE,
    MembershipChangeReason.MOVED_IN,
    MembershipChangeReason.CORRECTION,
)


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
    """A person joins a household (出生, 婚入, 迁入) from ``since``."""
    actor.require(Perm.EDIT_REGISTRY)
    check_division_in_scope(actor, household.division_code)
    errors: dict[str, str] = {}
    if relation not in Relation.values or relation == Relation.HEAD:
        errors["relation"] = "请选择与户主关系（户主请通过变更户主办理）"
    if reason not in JOIN_REASONS:
        errors["reason"] = "加入原因不正确"
    since = _check_change_date(since, errors, field="since")
    _check_person_may_join(actor, person, errors, "person")
    if HouseholdMembership.objects.filter(person=person, valid_to__isnull=True).exists():
        errors["person"] = f"{person.name}已在其他家庭中，请先办理迁出，或使用“迁到其他家庭”"
    if errors:
        raise ValidationFailed(errors)
    return _join(actor, household, person, relation=relation, since=since, reason=reason)


def _join(actor: Actor, household: Household, person: Person, *, relation: str, since: dt.date, reason: str) -> HouseholdMembership:
    """A checked join: the membership opened, the household recounted, the audit event."""
    household = _lock_household(household)
    membership = _open_membership(household, person, relation, since, reason)
    _recount(household.pk)
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="household",
        object_id=household.pk,
        division_code=household.division_code,
        summary=f"{household_label(household)}增加成员 {person.name}（{Relation(relation).label}，{MembershipChangeReason(reason).label}，{since:%Y-%m-%d}）",
        changed_fields={"members": ["", person.id_number_masked]},
    )
    return membership


def _leaving_membership(actor: Actor, household: Household, person: Person, errors: dict[str, str]) -> HouseholdMembership | None:
    check_division_in_scope(actor, household.division_code)
    membership = _current_membership(person)
    if membership is None or membership.household_id != household.pk:
        errors["person"] = f"{person.name}不是本户的现有成员"
        return None
    return membership


@transaction.atomic
def do_remove_household_member(
    actor: Actor, household: Household, person: Person, *, reason: str, on: dt.date | None = None
) -> None:
    """A member leaves (迁出, 死亡 …) on ``on``: the membership is closed, not deleted. The
    head leaves only as the last member (otherwise a new head is chosen first)."""
    actor.require(Perm.EDIT_REGISTRY)
    errors: dict[str, str] = {}
    if reason not in MembershipChangeReason.values:
        errors["reason"] = "离开原因不正确"
    membership = _leaving_membership(actor, household, person, errors)
    if membership is not None and reason != MembershipChangeReason.DEATH:
        on = _check_change_date(on, errors, not_before=membership.valid_from)
        others = HouseholdMembership.objects.filter(household=household, valid_to__isnull=True).exclude(pk=membership.pk)
        if household.head_id == person.pk and others.exists():
            errors["person"] = f"{person.name}是户主，请先变更户主再办理迁出"
    if errors:
        raise ValidationFailed(errors)
    on = on or clock.today()
    _close_membership(membership, on, reason)
    _recount(household.pk)
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="household",
        object_id=household.pk,
        division_code=household.division_code,
        summary=f"{household_label(household)}减少成员 {person.name}（{MembershipChangeReason(reason).label}，{on:%Y-%m-%d}）",
        changed_fields={"members": [person.id_number_masked, ""]},
    )


@transaction.atomic
def do_register_household_member(
    actor: Actor,
    household: Household,
    data: PersonInput,
    *,
    relation: str,
    reason: str = MembershipChangeReason.MOVED_IN,
    since: dt.date | None = None,
) -> HouseholdMembership:
    """A person not yet in the registry joins a household in one step: registered in the
    household's village (``do_register_person``), then added (``do_add_household_member``).
    Either both or neither: a refusal of the second undoes the first."""
    check_division_in_scope(actor, household.division_code)
    data.division_code = household.division_code
    person = do_register_person(actor, data)
    return do_add_household_member(actor, household, person, relation=relation, reason=reason, since=since)


def do_record_departure(actor: Actor, household: Household, person: Person, *, on: dt.date | None = None) -> None:
    """迁出: a member moves away (out of the district or to a household not registered here)."""
    do_remove_household_member(actor, household, person, reason=MembershipChangeReason.MOVED_OUT, on=on)


@transaction.atomic
def do_move_household_member(
    actor: Actor, person: Person, to_household: Household, *, relation: str, on: dt.date | None = None
) -> HouseholdMembership:
    """A member moves to another household of the registry: one membership closed (迁出) and
    one opened (迁入) on the same day."""
    actor.require(Perm.EDIT_REGISTRY)
    check_division_in_scope(actor, to_household.division_code)
    errors: dict[str, str] = {}
    current = _current_membership(person)
    if current is None:
        errors["person"] = f"{person.name}当前不在任何家庭中，请使用“加入家庭”"
    elif current.household_id == to_household.pk:
        errors["household"] = "请选择另一个家庭"
    if relation not in Relation.values or relation == Relation.HEAD:
        errors["relation"] = "请选择与新户主的关系"
    if current is not None:
        check_division_in_scope(actor, current.division_code)
        on = _check_change_date(on, errors, not_before=current.valid_from)
        from_household = Household.objects.get(pk=current.household_id)
        still = HouseholdMembership.objects.filter(household=from_household, valid_to__isnull=True).exclude(pk=current.pk)
        if from_household.head_id == person.pk and still.exists():
            errors["person"] = f"{person.name}是原户户主，请先变更原户户主"
    if errors:
        raise ValidationFailed(errors)
    return _transfer_member(actor, person, current, to_household, relation=relation, on=on, reason=MembershipChangeReason.MOVED_IN)


def _transfer_member(
    actor: Actor, person: Person, current: HouseholdMembership, to_household: Household, *, relation: str, on: dt.date, reason: str
) -> HouseholdMembership:
    """One membership closed (迁出) and one opened on the same day, both households recounted."""
    from_household = Household.objects.get(pk=current.household_id)
    _close_membership(current, on, MembershipChangeReason.MOVED_OUT)
    _recount(from_household.pk)
    to_household = _lock_household(to_household)
    membership = _open_membership(to_household, person, relation, on, reason)
    _recount(to_household.pk)
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="household",
        object_id=to_household.pk,
        division_code=to_household.division_code,
        summary=f"{person.name}从{household_label(from_household)}迁入{household_label(to_household)}（{MembershipChangeReason(reason).label}，{on:%Y-%m-%d}）",
        changed_fields={"household": [from_household.pk, to_household.pk]},
    )
    return membership


@transaction.atomic
def do_split_household(
    actor: Actor,
    household: Household,
    *,
    head: Person,
    members: dict[int, str] | None = None,
    address: str = "",
    on: dt.date | None = None,
) -> Household:
    """分户: ``head`` and the chosen ``members`` ({person id: relation to the new head}) leave
    ``household`` and form a new one in the same village and zone. The old household keeps
    its head and at least one member."""
    actor.require(Perm.EDIT_REGISTRY)
    check_division_in_scope(actor, household.division_code)
    household = _lock_household(household)
    members = dict(members or {})
    members.pop(head.pk, None)
    errors: dict[str, str] = {}
    address = (address or "").strip()
    if len(address) > ADDRESS_MAX:
        errors["address"] = f"住址不能超过{ADDRESS_MAX}个字符"
    current = {
        m.person_id: m
        for m in HouseholdMembership.objects.select_for_update().filter(household=household, valid_to__isnull=True).select_related("person")
    }
    leaving = [head.pk, *members]
    if any(pid not in current for pid in leaving):
        errors["members"] = "只能选择本户的现有成员"
    elif household.head_id in leaving:
        errors["members"] = "原户主不能随分户迁出；如需由原户主另立户，请先变更原户户主"
    elif len(leaving) >= len(current):
        errors["members"] = "原户至少要留下一名成员"
    for relation in members.values():
        if relation not in Relation.values or relation == Relation.HEAD:
            errors["members"] = "请为每位随迁成员选择与新户主的关系"
    latest = max((current[pid].valid_from for pid in leaving if pid in current), default=None)
    on = _check_change_date(on, errors, not_before=latest)
    if errors:
        raise ValidationFailed(errors)
    new = Household.objects.create(
        division_code=household.division_code,
        address=address or household.address,
        zone=household.zone,
        head=head,
        member_count=0,
    )
    for pid in leaving:
        _close_membership(current[pid], on, MembershipChangeReason.SPLIT)
    _open_membership(new, current[head.pk].person, Relation.HEAD, on, MembershipChangeReason.SPLIT)
    for pid, relation in members.items():
        _open_membership(new, current[pid].person, relation, on, MembershipChangeReason.SPLIT)
    _recount(household.pk)
    _recount(new.pk)
    names = "、".join(current[pid].person.name for pid in leaving)
    record_audit_event(
        actor,
        AuditAction.CREATE,
        object_type="household",
        object_id=new.pk,
        division_code=new.division_code,
        summary=f"分户：{names}从{household_label(household)}分出，另立户，户主 {head.name}（{on:%Y-%m-%d}）",
        extra={"from_household": household.pk},
    )
    new.refresh_from_db()
    return new


@transaction.atomic
def do_change_household_head(
    actor: Actor, household: Household, new_head: Person, *, old_head_relation: str = "", on: dt.date | None = None
) -> Household:
    """A new head from among the members (the head moved away or died, or the family decided).
    The two memberships whose relation changes are closed and reopened on ``on``, so the
    history shows who was head when. The old head, if still a member, takes
    ``old_head_relation`` (their relation to the new head)."""
    actor.require(Perm.EDIT_REGISTRY)
    check_division_in_scope(actor, household.division_code)
    household = _lock_household(household)
    errors: dict[str, str] = {}
    rows = {
        m.person_id: m
        for m in HouseholdMembership.objects.select_for_update().filter(household=household, valid_to__isnull=True)
    }
    new_row = rows.get(new_head.pk)
    old_row = rows.get(household.head_id) if household.head_id else None
    if new_row is None:
        errors["new_head"] = "新户主须为本户的现有成员"
    elif household.head_id == new_head.pk:
        errors["new_head"] = f"{new_head.name}已是户主"
    elif new_head.is_deceased:
        errors["new_head"] = f"{new_head.name}已登记死亡"
    if old_row is not None and (old_head_relation not in Relation.values or old_head_relation == Relation.HEAD):
        errors["old_head_relation"] = "请选择原户主与新户主的关系"
    not_before = max((r.valid_from for r in (new_row, old_row) if r is not None), default=None)
    on = _check_change_date(on, errors, not_before=not_before)
    if errors:
        raise ValidationFailed(errors)
    reason = MembershipChangeReason.HEAD_CHANGED
    for row, relation in ((new_row, Relation.HEAD), (old_row, old_head_relation)):
        if row is None:
            continue
        HouseholdMembership.objects.filter(pk=row.pk).update(valid_to=on, reason_left=reason)
        HouseholdMembership.objects.create(
            household=household,
            person_id=row.person_id,
            division_code=household.division_code,
            relation=relation,
            valid_from=on,
            reason_joined=reason,
        )
    old_name = household.head.name if household.head_id else "—"
    Household.objects.filter(pk=household.pk).update(head=new_head, version=F("version") + 1)
    household.refresh_from_db()
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="household",
        object_id=household.pk,
        division_code=household.division_code,
        summary=f"变更户主：{old_name} → {new_head.name}（{on:%Y-%m-%d}）",
        changed_fields={"head": [old_name, new_head.name]},
    )
    return household


@transaction.atomic
def do_record_death(actor: Actor, person: Person, *, death_date: dt.date) -> Person:
    actor.require(Perm.EDIT_REGISTRY)
    check_division_in_scope(actor, person.division_code)
    if person.is_deceased:
        raise ValidationFailed({"death_date": f"{person.name}已登记死亡"})
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


@transaction.atomic
def do_register_death(actor: Actor, person: Person, *, death_date: dt.date | None, note: str = "") -> DeathReport:
    """The village learns of a death (the family tells it): the same path as a department's
    record (ADR 0004) — a report from the village, checked at once by the village itself — so
    every line's ``on_report`` and ``on_confirm`` run (payments end with the month of death).
    A department's report already pending is the one confirmed."""
    actor.require(Perm.EDIT_REGISTRY)
    check_division_in_scope(actor, person.division_code)
    if person.is_deceased:
        raise ValidationFailed({"death_date": f"{person.name}已登记死亡"})
    note = (note or "").strip()
    if len(note) > DECISION_REASON_MAX:
        raise ValidationFailed({"note": f"情况说明不能超过{DECISION_REASON_MAX}个字"})
    outcome = do_report_death(
        actor, person=person, death_date=death_date, source=DeathSource.VILLAGE, reference=f"村（社区）登记：{note or '家属告知'}"
    )
    return do_confirm_death_report(actor, outcome.report, note=note)


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
        decided_by_name=actor_name_of(actor),
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


# =========================================================================== requests of other lines
def _origin_head_problem(person: Person, current: HouseholdMembership | None) -> str:
    if current is None:
        return ""
    from_household = Household.objects.get(pk=current.household_id)
    others = HouseholdMembership.objects.filter(household=from_household, valid_to__isnull=True).exclude(pk=current.pk)
    if from_household.head_id == person.pk and others.exists():
        return f"{person.name}是原户（{household_label(from_household)}）户主，请先由原户所在村（社区）变更户主"
    return ""


@transaction.atomic
def do_request_household_join(
    actor: Actor, person: Person, household: Household, *, relation: str, reason: str, source: str, source_id: int, source_label: str
) -> HouseholdJoinRequest:
    """Another line asks the household's village to put the person in the household (婚入 at the
    couple's request). Nothing changes in the registry until the village does it."""
    actor.require(Perm.REQUEST_HOUSEHOLD_CHANGE)
    check_division_in_scope(actor, household.division_code)
    errors: dict[str, str] = {}
    if relation not in Relation.values or relation == Relation.HEAD:
        errors["relation"] = "请选择与户主的关系"
    if reason not in JOIN_REASONS:
        errors["reason"] = "加入原因不正确"
    if source not in JoinRequestSource.values:
        errors["source"] = "申请来源不正确"
    if person.is_deceased:
        errors["person"] = f"{person.name}已登记死亡"
    current = HouseholdMembership.objects.filter(person=person, valid_to__isnull=True).first()
    if current is not None and current.household_id == household.pk:
        errors["household"] = f"{person.name}已是该家庭成员"
    elif HouseholdJoinRequest.objects.filter(person=person, status=JoinRequestStatus.PENDING).exists():
        errors["person"] = f"{person.name}已有一项待办理的家庭户变更申请"
    if errors:
        raise ValidationFailed(errors)
    request = HouseholdJoinRequest.objects.create(
        person=person, household=household, division_code=household.division_code, relation=relation, reason=reason,
        source=source, source_id=source_id, source_label=source_label[:120], requested_on=clock.today(),
        requested_by_name=actor_name_of(actor),
    )  # fmt: skip
    record_audit_event(
        actor, AuditAction.CREATE, object_type="household_join_request", object_id=request.pk, division_code=household.division_code,
        summary=f"申请{person.name}加入{household_label(household)}（{MembershipChangeReason(reason).label}，{source_label}）",
    )  # fmt: skip
    return request


def _pending_request(actor: Actor, request: HouseholdJoinRequest, expected_version: int | None) -> HouseholdJoinRequest:
    actor.require(Perm.EDIT_REGISTRY)
    current = access_by_id(HouseholdJoinRequest.objects.select_for_update(), actor, request.pk)
    if expected_version is not None and current.version != expected_version:
        raise DomainError("该申请已被其他用户处理，请刷新后重试", code="stale")
    if current.status != JoinRequestStatus.PENDING:
        raise DomainError(f"该申请的状态为“{current.get_status_display()}”，不能再办理", code="wrong_state")
    return current


@transaction.atomic
def do_complete_household_join(actor: Actor, request: HouseholdJoinRequest, *, expected_version: int | None = None) -> HouseholdMembership:
    """办理: the village of the household puts the person in it today — a 迁出 from the household
    they are in (wherever it is: the request is the authority for the origin) and the join with
    the request's reason (婚入), or a join when they are in none."""
    current_request = _pending_request(actor, request, expected_version)
    person = Person.objects.select_for_update().get(pk=current_request.person_id)
    household = current_request.household
    today = clock.today()
    current = _current_membership(person)
    errors: dict[str, str] = {}
    if person.is_deceased:
        errors["person"] = f"{person.name}已登记死亡"
    elif current is not None and current.household_id == household.pk:
        errors["person"] = f"{person.name}已是该家庭成员"
    elif problem := _origin_head_problem(person, current):
        errors["person"] = problem
    if errors:
        raise ValidationFailed(errors)
    if current is None:
        membership = _join(actor, household, person, relation=current_request.relation, since=today, reason=current_request.reason)
    else:
        membership = _transfer_member(actor, person, current, household, relation=current_request.relation, on=today, reason=current_request.reason)
    HouseholdJoinRequest.objects.filter(pk=current_request.pk).update(
        status=JoinRequestStatus.DONE, decided_on=today, decided_by_name=actor_name_of(actor), version=F("version") + 1
    )
    record_audit_event(
        actor, AuditAction.TRANSITION, object_type="household_join_request", object_id=current_request.pk,
        division_code=current_request.division_code, summary=f"办理家庭户变更：{person.name}加入{household_label(household)}",
    )  # fmt: skip
    return membership


@transaction.atomic
def do_decline_household_join(actor: Actor, request: HouseholdJoinRequest, *, expected_version: int | None = None, reason: str) -> HouseholdJoinRequest:
    """不予办理, with the reason the couple and the registrar will read."""
    current = _pending_request(actor, request, expected_version)
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed({"decline_reason": "请填写不予办理的理由"})
    if len(text) > 200:
        raise ValidationFailed({"decline_reason": "不能超过200个字"})
    HouseholdJoinRequest.objects.filter(pk=current.pk).update(
        status=JoinRequestStatus.DECLINED, decided_on=clock.today(), decided_by_name=actor_name_of(actor), decline_reason=text,
        version=F("version") + 1,
    )  # fmt: skip
    current.refresh_from_db()
    record_audit_event(
        actor, AuditAction.TRANSITION, object_type="household_join_request", object_id=current.pk, division_code=current.division_code,
        summary=f"不予办理家庭户变更：{current.person.name}（{text}）",
    )  # fmt: skip
    return current
