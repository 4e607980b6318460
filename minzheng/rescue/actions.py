"""Every write of rescue management: named, atomic, audited ``do_*`` actions.

A refusal writes nothing: field errors are ``ValidationFailed({field: 中文})``, a case out of
the actor's divisions is ``NotFound`` (the same answer as a missing one), a role without the
permission ``PermissionDenied``; the case's steps go through the case kit (``do_transition``:
state, role, level, documents, stale versions).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id, check_division_in_scope
from minzheng.cases.actions import (
    Step,
    actor_name_of,
    do_transition,
    lock_case,
    record_event,
    update_case,
)
from minzheng.core import clock
from minzheng.core.ages import age_on
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import encrypt_text
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.core.idnumber import InvalidIdNumber, mask_id_number, parse_id_number
from minzheng.core.periods import add_months
from minzheng.core.photos import MAX_PHOTOS, PhotoRejected, clean_photo
from minzheng.core.numbers import placeholder_number
from minzheng.divisions.directory import get_directory
from minzheng.registry.actions import do_report_death
from minzheng.registry.enums import DeathSource
from minzheng.registry.models import Person
from minzheng.registry.selectors import find_person_by_id_number
from minzheng.rescue import params
from minzheng.rescue.enums import (
    RefusalGround,
    PRESENT_STATUSES,
    CampaignKind,
    CaseStatus,
    HospitalOutcome,
    Medical,
    Placement,
    Receiver,
    ReturnMode,
    Risk,
    SearchKind,
    SearchResult,
    SettlementDoc,
    Sex,
    Source,
)
from minzheng.rescue.minors import open_protection_case
from minzheng.rescue.models import (
    Bed,
    BedAssignment,
    Campaign,
    DailyRecord,
    HospitalStay,
    IntakePhoto,
    Patrol,
    RescueCase,
    ReturnFollowUp,
    SearchRecord,
    SettlementDocument,
    Station,
    StayExtension,
    WanderingRisk,
)
from minzheng.rescue.permissions import RescuePerm
from minzheng.rescue.workflow import CASE_WORKFLOW

STATION = RescuePerm.STATION_WORK
FOLLOW_UP = RescuePerm.FOLLOW_UP_RETURNEES
MINOR_AGE = 18
ELDERLY_AGE = 60


def arrival_day(case: RescueCase) -> dt.date:
    return timezone.localtime(case.arrived_at).date()


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def _village(code: str) -> bool:
    info = get_directory().get(code or "")
    return info is not None and info.level == "village"


def _station_case(actor: Actor, case, *, for_update: bool = False) -> RescueCase:
    actor.require(STATION)
    pk = case.pk if isinstance(case, RescueCase) else case
    return access_by_id(RescueCase.objects.select_related("station"), actor, pk, for_update=for_update)


def _audit(actor: Actor, action: str, case: RescueCase, summary: str, **extra) -> None:
    record_audit_event(
        actor, action, object_type="rescue.case", object_id=case.pk, division_code=case.division_code,
        summary=f"{summary}：{case.number}", extra=extra,
    )  # fmt: skip


def _day(value, key: str, label: str, errors: dict, *, not_before: dt.date | None = None, before_label: str = "") -> dt.date | None:
    if value is None:
        errors[key] = f"请填写{label}"
        return None
    if value > clock.today():
        errors[key] = f"{label}不能晚于今天"
    elif not_before is not None and value < not_before:
        errors[key] = f"{label}不能早于{before_label}（{not_before:%Y-%m-%d}）"
    return value


# ----------------------------------------------------------------------------------------------
# The station and its beds
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_register_station(actor: Actor, *, name: str, address: str, location_code: str, capacity: int) -> Station:
    """The station (district-owned) with its numbered beds 001 … capacity."""
    actor.require(STATION)
    errors = {}
    if not _text(name, 60):
        errors["name"] = "请填写救助管理站名称"
    if not _text(address, 120):
        errors["address"] = "请填写地址"
    if not _village(location_code):
        errors["location_code"] = "请选择所在村（社区）"
    if not isinstance(capacity, int) or not 1 <= capacity <= 500:
        errors["capacity"] = "床位数应为1至500之间的整数"
    if errors:
        raise ValidationFailed(errors)
    code = district_code()
    check_division_in_scope(actor, code)
    station = Station.objects.create(
        name=_text(name, 60), address=_text(address, 120), location_code=location_code, division_code=code, capacity=capacity
    )
    Bed.objects.bulk_create(Bed(station=station, division_code=code, number=f"{n:03d}") for n in range(1, capacity + 1))
    record_audit_event(
        actor, AuditAction.CREATE, object_type="rescue.station", object_id=station.pk, division_code=code,
        summary=f"登记救助管理站：{station.name}（床位{capacity}张）",
    )  # fmt: skip
    return station


def _occupant(bed: Bed) -> BedAssignment | None:
    return BedAssignment.objects.filter(bed=bed, end_on__isnull=True).select_related("case").first()


def _assign(actor: Actor, case: RescueCase, bed_id, on: dt.date, key: str = "bed") -> BedAssignment:
    try:
        bed = access_by_id(Bed.objects.filter(station_id=case.station_id), actor, bed_id, for_update=True)
    except DomainError:
        raise ValidationFailed({key: "请选择本站的床位"}) from None
    if not bed.is_active:
        raise ValidationFailed({key: f"{bed.number}号床已停用"})
    taken = _occupant(bed)
    if taken is not None and taken.case_id != case.pk:
        raise ValidationFailed({key: f"{bed.number}号床已有人入住（{taken.case.number}），一张床位不能同时安排两人"})
    if taken is not None:
        return taken
    BedAssignment.objects.filter(case=case, end_on__isnull=True).update(end_on=on)
    try:
        with transaction.atomic():
            return BedAssignment.objects.create(case=case, bed=bed, division_code=case.division_code, start_on=on)
    except IntegrityError:  # someone took it between the check and the insert
        raise ValidationFailed({key: f"{bed.number}号床已有人入住，一张床位不能同时安排两人"}) from None


def _release_bed(case: RescueCase, on: dt.date) -> None:
    BedAssignment.objects.filter(case=case, end_on__isnull=True).update(end_on=on)


@transaction.atomic
def do_assign_bed(actor: Actor, case: RescueCase, *, bed_id) -> BedAssignment:
    current = _station_case(actor, case, for_update=True)
    if current.status not in PRESENT_STATUSES:
        raise DomainError("该受助人员已离站，不能安排床位", field="bed")
    assignment = _assign(actor, current, bed_id, clock.today())
    _audit(actor, AuditAction.UPDATE, current, f"安排床位{assignment.bed.number}号")
    return assignment


# ----------------------------------------------------------------------------------------------
# Intake
# ----------------------------------------------------------------------------------------------


@dataclass
class IntakeInput:
    station_id: int | None
    name: str
    sex: str
    source: str
    found_place: str
    found_division_code: str
    arrived_at: dt.datetime | None
    estimated_age: int | None = None
    id_number: str = ""
    origin_text: str = ""
    features: str = ""
    belongings: str = ""
    health: str = ""
    risks: list[str] = field(default_factory=list)
    source_unit: str = ""
    bed_id: int | None = None


def _risks_of(data: IntakeInput, age: int | None) -> list[str]:
    risks = list(dict.fromkeys(data.risks))
    if age is not None and age < MINOR_AGE and Risk.MINOR not in risks:
        risks.append(Risk.MINOR)
    if age is not None and age >= ELDERLY_AGE and Risk.ELDERLY not in risks:
        risks.append(Risk.ELDERLY)
    return [r for r in Risk.values if r in risks]


@transaction.atomic
def do_intake(actor: Actor, data: IntakeInput, *, photos: list[tuple[str, bytes]] = ()) -> RescueCase:
    """入站登记: identity as known (a name, or 不详 with the features), source and time, risk,
    belongings, photos (without EXIF). A minor opens a children's protection case in the same
    transaction; a stated ID number that the registry knows links the person."""
    actor.require(STATION)
    errors: dict[str, str] = {}
    station = None
    try:
        station = access_by_id(Station.objects.all(), actor, data.station_id)
    except DomainError:
        errors["station_id"] = "请选择救助管理站"
    name = _text(data.name, 50)
    name_known = bool(name) and name != "不详"
    if not name_known and not _text(data.features, 300):
        errors["features"] = "姓名不详时请填写体貌特征"
    if data.sex not in Sex.values:
        errors["sex"] = "请选择性别"
    if data.source not in Source.values:
        errors["source"] = "请选择来源"
    if data.source in (Source.POLICE, Source.CITY, Source.HOSPITAL) and not _text(data.source_unit, 80):
        errors["source_unit"] = "请填写护送或转来单位"
    if not _text(data.found_place, 120):
        errors["found_place"] = "请填写发现地点"
    if not _village(data.found_division_code):
        errors["found_division_code"] = "请选择发现地村（社区）"
    now = clock.now()
    if data.arrived_at is None:
        errors["arrived_at"] = "请填写入站时间"
    elif data.arrived_at > now:
        errors["arrived_at"] = "入站时间不能晚于现在"
    if data.estimated_age is not None and not 0 <= data.estimated_age <= 120:
        errors["estimated_age"] = "年龄应在0至120岁之间"
    if set(data.risks) - set(Risk.values):
        errors["risks"] = "请从列表中选择风险情形"
    parsed = None
    if _text(data.id_number, 20):
        try:
            parsed = parse_id_number(data.id_number)
        except InvalidIdNumber as e:
            errors["id_number"] = str(e)
    if len(photos) > MAX_PHOTOS:
        errors["photos"] = f"每次最多上传{MAX_PHOTOS}张照片"
    cleaned = []
    if "photos" not in errors:
        for photo_name, content in photos:
            try:
                cleaned.append(clean_photo(photo_name, content))
            except PhotoRejected as e:
                errors["photos"] = str(e)
                break
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, station.division_code)
    arrived_on = timezone.localtime(data.arrived_at).date()
    age = data.estimated_age
    person = find_person_by_id_number(actor, parsed.value) if parsed else None
    if parsed is not None:
        age = age_on(parsed.birth_date, arrived_on)
    case = RescueCase.objects.create(
        number=placeholder_number(),
        station=station,
        division_code=station.division_code,
        status=CaseStatus.IN_STATION,
        step_started_on=clock.today(),
        name=name if name_known else "不详",
        name_known=name_known,
        sex=data.sex,
        estimated_age=age,
        id_number_encrypted=encrypt_text(parsed.value) if parsed else "",
        id_number_masked=mask_id_number(parsed.value) if parsed else "",
        origin_text=_text(data.origin_text, 100),
        features=_text(data.features, 300),
        belongings=_text(data.belongings, 300),
        health=_text(data.health, 300),
        risks=_risks_of(data, age),
        source=data.source,
        source_unit=_text(data.source_unit, 80),
        found_place=_text(data.found_place, 120),
        found_division_code=data.found_division_code,
        arrived_at=data.arrived_at,
        stay_until=arrived_on + dt.timedelta(days=params.stay_days(arrived_on)),
        person=person,
    )
    case.number = f"JZ{arrived_on:%Y}{case.pk:06d}"
    RescueCase.objects.filter(pk=case.pk).update(number=case.number)
    if data.bed_id:
        _assign(actor, case, data.bed_id, arrived_on, key="bed_id")
    _store_photos(case, cleaned)
    record_event(actor, CASE_WORKFLOW, case, action="intake", label="入站登记", from_status="", to_status=CaseStatus.IN_STATION)
    _audit(actor, AuditAction.CREATE, case, f"入站登记（{Source(data.source).label}）", photos=len(cleaned))
    if person is not None:
        _record_registry_match(actor, case, person)
    if Risk.MINOR in case.risks:
        case.protection_case_number = open_protection_case(actor, case, station_name=station.name)
        RescueCase.objects.filter(pk=case.pk).update(protection_case_number=case.protection_case_number)
    case.refresh_from_db()
    return case


def _store_photos(case: RescueCase, cleaned) -> None:
    for photo in cleaned:
        IntakePhoto.store(photo, division_code=case.division_code, case=case)


@transaction.atomic
def do_add_photos(actor: Actor, case: RescueCase, *, photos: list[tuple[str, bytes]]) -> list[IntakePhoto]:
    current = _station_case(actor, case, for_update=True)
    if not photos:
        raise ValidationFailed({"photos": "请选择照片"})
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed({"photos": f"每次最多上传{MAX_PHOTOS}张照片"})
    cleaned = []
    for photo_name, content in photos:
        try:
            cleaned.append(clean_photo(photo_name, content))
        except PhotoRejected as e:
            raise ValidationFailed({"photos": str(e)}) from None
    _store_photos(current, cleaned)
    _audit(actor, AuditAction.UPDATE, current, f"上传照片{len(cleaned)}张")
    return list(current.photos.order_by("-id")[: len(cleaned)])


# ----------------------------------------------------------------------------------------------
# The stay: extensions, daily records
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_extend_stay(actor: Actor, case: RescueCase, *, expected_version: int, days: int | None, reason: str, filing: str) -> RescueCase:
    """延长在站期限: a reason and its 备案 (the superior bureau's record), no cap (working
    default, 参数待确认). An extension after the limit has passed is allowed — the person is
    still there — and says so in its history row."""
    actor.require(STATION)
    errors = {}
    if not isinstance(days, int) or not 1 <= days <= 90:
        errors["days"] = "延长天数应为1至90之间的整数"
    if not _text(reason, 200):
        errors["reason"] = "请填写延长在站期限的理由"
    if not _text(filing, 120):
        errors["filing"] = "请填写向上级民政部门备案的情况（备案日期、文号）"
    if errors:
        raise ValidationFailed(errors)
    current = lock_case(actor, CASE_WORKFLOW, _station_case(actor, case), expected_version)
    if current.status not in PRESENT_STATUSES:
        raise DomainError(f"受助记录当前处于“{current.get_status_display()}”环节，不能延长在站期限", code="wrong_state")
    new_until = current.stay_until + dt.timedelta(days=days)
    late = clock.today() > current.stay_until
    StayExtension.objects.create(
        case=current, division_code=current.division_code, days=days, previous_until=current.stay_until,
        new_until=new_until, reason=_text(reason, 200), filing=_text(filing, 120), recorded_by=actor_name_of(actor),
    )  # fmt: skip
    text = f"延长{days}天至{new_until:%Y-%m-%d}：{_text(reason, 200)}" + ("（期限届满后补办）" if late else "")
    current = update_case(actor, CASE_WORKFLOW, current, action="extend_stay", label="延长在站期限", reason=text, updates={"stay_until": new_until})
    _audit(actor, AuditAction.UPDATE, current, "延长在站期限", days=days, until=new_until.isoformat())
    return current


@transaction.atomic
def do_record_day(
    actor: Actor, case: RescueCase, *, day: dt.date | None, meals: int | None, medical: str = Medical.NONE, hospital: str = "", note: str = ""
) -> DailyRecord:
    """在站日志: one row per person per day (meals, medical care, a transfer to hospital).

    送医救治 on a day opens the hospital stay through ``do_send_to_hospital``'s own rules (one
    path): sent that day to the hospital named, escorted by the recorder, the note as the reason.
    A person already in hospital keeps the open stay (the day's record just says so)."""
    current = _station_case(actor, case, for_update=True)
    errors: dict[str, str] = {}
    _day(day, "day", "日期", errors, not_before=arrival_day(current), before_label="入站日期")
    if meals is None or not 0 <= meals <= 5:
        errors["meals"] = "供餐次数应为0至5"
    if medical not in Medical.values:
        errors["medical"] = "请选择医疗情况"
    elif medical == Medical.HOSPITAL and not _text(hospital, 80):
        errors["hospital"] = "送医救治时请填写医院名称"
    if not errors and current.status not in PRESENT_STATUSES:
        errors["day"] = "该受助人员已离站，不能再记录在站日志"
    if not errors and DailyRecord.objects.filter(case=current, day=day).exists():
        errors["day"] = f"{day:%Y-%m-%d}的在站日志已记录"
    if errors:
        raise ValidationFailed(errors)
    record = DailyRecord.objects.create(
        case=current, division_code=current.division_code, day=day, meals=meals, medical=medical,
        hospital=_text(hospital, 80) if medical == Medical.HOSPITAL else "", note=_text(note, 300),
        recorded_by=actor_name_of(actor),
    )  # fmt: skip
    _audit(actor, AuditAction.CREATE, current, f"记录在站日志{day:%Y-%m-%d}")
    if medical == Medical.HOSPITAL and open_hospital_stay(current) is None:
        try:
            _open_hospital_stay(
                actor, current, hospital=hospital, reason=_text(note, 200) or "送医救治（在站日志）", sent_on=day,
                escort=actor_name_of(actor), note="",
            )  # fmt: skip
        except ValidationFailed as e:  # the stay's own date rule, shown on the daily form's fields
            raise ValidationFailed({{"sent_on": "day"}.get(k, k): v for k, v in e.errors.items()}) from None
    return record


# ----------------------------------------------------------------------------------------------
# 送医救治: the hospital stay and its outcome
# ----------------------------------------------------------------------------------------------


def open_hospital_stay(case: RescueCase, *, for_update: bool = False) -> HospitalStay | None:
    qs = HospitalStay.objects.filter(case=case, returned_on__isnull=True)
    return (qs.select_for_update() if for_update else qs).first()


def _not_in_hospital(case: RescueCase, errors: dict, key: str) -> None:
    stay = open_hospital_stay(case)
    if stay is not None:
        errors[key] = f"该受助人员在院救治中（{stay.hospital}，{stay.sent_on:%Y-%m-%d}送医），请先登记出院结果"


def _open_hospital_stay(
    actor: Actor, current: RescueCase, *, hospital: str, reason: str, sent_on: dt.date | None, escort: str, note: str
) -> HospitalStay:
    errors: dict[str, str] = {}
    if not _text(hospital, 80):
        errors["hospital"] = "请填写医院名称"
    if not _text(reason, 200):
        errors["reason"] = "请填写送医原因"
    if not _text(escort, 50):
        errors["escort"] = "请填写护送经办人"
    _day(sent_on, "sent_on", "送医日期", errors, not_before=arrival_day(current), before_label="入站日期")
    last = HospitalStay.objects.filter(case=current, returned_on__isnull=False).order_by("-returned_on").first()
    if "sent_on" not in errors and last is not None and sent_on < last.returned_on:
        errors["sent_on"] = f"送医日期不能早于上次出院日期（{last.returned_on:%Y-%m-%d}）"
    if not errors and current.status not in PRESENT_STATUSES:
        errors["sent_on"] = "该受助人员已离站，不能登记送医救治"
    if not errors:
        _not_in_hospital(current, errors, "sent_on")
    if errors:
        raise ValidationFailed(errors)
    try:
        with transaction.atomic():
            stay = HospitalStay.objects.create(
                case=current, division_code=current.division_code, hospital=_text(hospital, 80), reason=_text(reason, 200),
                sent_on=sent_on, escort=_text(escort, 50), review_on=sent_on + dt.timedelta(days=params.hospital_review_days(sent_on)),
                note=_text(note, 200), recorded_by=actor_name_of(actor),
            )  # fmt: skip
    except IntegrityError:  # a second open stay written between the check and the insert
        raise ValidationFailed({"sent_on": "该受助人员已在院救治中，请先登记出院结果"}) from None
    record_event(
        actor, CASE_WORKFLOW, current, action="hospital", label="送医救治", from_status=current.status, to_status=current.status,
        reason=f"{stay.sent_on:%Y-%m-%d}送{stay.hospital}：{stay.reason}",
    )  # fmt: skip
    _audit(actor, AuditAction.CREATE, current, f"送医救治（{stay.hospital}）", sent_on=sent_on.isoformat())
    return stay


@transaction.atomic
def do_send_to_hospital(
    actor: Actor, case: RescueCase, *, hospital: str, reason: str, sent_on: dt.date | None, escort: str, note: str = ""
) -> HospitalStay:
    """送医救治: a person in the station sent to hospital (where, why, the day, who escorted them).
    At most one open stay per case; the bed stays reserved until the outcome is recorded."""
    current = _station_case(actor, case, for_update=True)
    return _open_hospital_stay(actor, current, hospital=hospital, reason=reason, sent_on=sent_on, escort=escort, note=note)


NOTE_REQUIRED = {
    HospitalOutcome.DISCHARGED: "请填写离开情况（出院后自行离开的经过）",
    HospitalOutcome.DIED: "请填写死亡情况（死亡时间、死亡医学证明编号）",
    HospitalOutcome.TRANSFERRED: "请填写托养的协议医疗机构及协议情况",
}


@transaction.atomic
def do_record_hospital_return(
    actor: Actor, case: RescueCase, *, expected_version: int, returned_on: dt.date | None, outcome: str, note: str = ""
) -> HospitalStay:
    """The end of the open 送医救治 and its outcome:

    - 出院返回救助管理站: the person is back in the bed kept for them;
    - 出院后自行离开: the case's 自行离站 on that day (the bed is freed);
    - 在院死亡: the case's 在院死亡 (the bed is freed); a person linked to the registry is
      reported dead to it (ADR 0004: ``do_report_death``, source 卫健死亡医学证明 — the hospital's
      certificate; the village checks it), by the system actor in the station's name, because
      station staff do not edit the registry;
    - 转协议医疗机构长期托养: the bed is freed; the case stays open (寻亲 and settlement go on).
    """
    actor.require(STATION)
    current = _station_case(actor, case)
    stay = open_hospital_stay(current, for_update=True)
    if stay is None:
        raise DomainError("该受助人员没有在院救治记录", code="no_stay", field="returned_on")
    errors: dict[str, str] = {}
    if outcome not in HospitalOutcome.values:
        errors["outcome"] = "请选择出院结果"
    _day(returned_on, "returned_on", "出院日期", errors, not_before=stay.sent_on, before_label="送医日期")
    if outcome in NOTE_REQUIRED and not _text(note, 200):
        errors["note"] = NOTE_REQUIRED[outcome]
    if errors:
        raise ValidationFailed(errors)
    label = HospitalOutcome(outcome).label
    text = f"{stay.hospital}，{returned_on:%Y-%m-%d}{label}" + (f"：{_text(note, 200)}" if _text(note, 200) else "")

    def close(current: RescueCase) -> None:
        HospitalStay.objects.filter(pk=stay.pk).update(
            returned_on=returned_on, outcome=outcome, note=_text(note, 200) or stay.note, closed_by=actor_name_of(actor)
        )
        if outcome != HospitalOutcome.RETURNED:
            _release_bed(current, returned_on)
        _audit(actor, AuditAction.UPDATE, current, f"送医救治结束（{label}）", returned_on=returned_on.isoformat())

    if outcome in (HospitalOutcome.RETURNED, HospitalOutcome.TRANSFERRED):
        current = lock_case(actor, CASE_WORKFLOW, current, expected_version)
        close(current)
        update_case(actor, CASE_WORKFLOW, current, action="hospital_return", label=label, reason=text, updates={})
    elif outcome == HospitalOutcome.DISCHARGED:

        def prepare(current: RescueCase, transition) -> Step:
            close(current)
            return Step(updates={"left_on": returned_on})

        do_transition(actor, CASE_WORKFLOW, current, "leave", expected_version=expected_version, reason=text[:200], prepare=prepare)
    else:

        def prepare(current: RescueCase, transition) -> Step:
            close(current)
            if current.person_id:
                do_report_death(
                    Actor.system(f"救助管理站登记在院死亡：{current.number}（{actor_name_of(actor)}）"), person=current.person,
                    death_date=returned_on, source=DeathSource.HEALTH, reference=f"救助管理站受助记录{current.number}，{stay.hospital}在院死亡",
                )  # fmt: skip
            return Step(updates={"left_on": returned_on}, reason=text[:200])

        do_transition(actor, CASE_WORKFLOW, current, "die", expected_version=expected_version, prepare=prepare)
    stay.refresh_from_db()
    return stay


# ----------------------------------------------------------------------------------------------
# 寻亲 and the registry
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_record_search(
    actor: Actor, case: RescueCase, *, kind: str, requested_on: dt.date | None, reference: str = "",
    result: str = SearchResult.PENDING, result_on: dt.date | None = None, note: str = "",
) -> SearchRecord:  # fmt: skip
    """A 寻亲 step (fingerprint, DNA, face comparison requested, public notice, police check):
    the request's date and reference, then the result. Never a sample."""
    current = _station_case(actor, case, for_update=True)
    errors: dict[str, str] = {}
    if kind not in SearchKind.values or kind == SearchKind.REGISTRY:
        errors["kind"] = "请选择寻亲方式"
    arrived_on = arrival_day(current)
    _day(requested_on, "requested_on", "日期", errors, not_before=arrived_on, before_label="入站日期")
    if result not in SearchResult.values:
        errors["result"] = "请选择结果"
    elif result != SearchResult.PENDING:
        _day(result_on, "result_on", "反馈日期", errors, not_before=requested_on, before_label="申请日期")
    if kind in (SearchKind.DNA, SearchKind.FACE, SearchKind.FINGERPRINT, SearchKind.POLICE) and not _text(reference, 60):
        errors["reference"] = "请填写公安机关或系统的受理编号"
    if errors:
        raise ValidationFailed(errors)
    record = SearchRecord.objects.create(
        case=current, division_code=current.division_code, kind=kind, requested_on=requested_on,
        reference=_text(reference, 60), result=result, result_on=result_on if result != SearchResult.PENDING else None,
        note=_text(note, 200), recorded_by=actor_name_of(actor),
    )  # fmt: skip
    _audit(actor, AuditAction.CREATE, current, f"寻亲：{SearchKind(kind).label}（{SearchResult(result).label}）")
    return record


@transaction.atomic
def do_record_search_result(actor: Actor, record: SearchRecord, *, result: str, result_on: dt.date | None, note: str = "") -> SearchRecord:
    actor.require(STATION)
    current = access_by_id(SearchRecord.objects.select_related("case"), actor, record.pk, for_update=True)
    errors: dict[str, str] = {}
    if result not in (SearchResult.MATCH, SearchResult.NO_MATCH):
        errors["result"] = "请选择比中或未比中"
    _day(result_on, "result_on", "反馈日期", errors, not_before=current.requested_on, before_label="申请日期")
    if errors:
        raise ValidationFailed(errors)
    SearchRecord.objects.filter(pk=current.pk).update(result=result, result_on=result_on, note=_text(note, 200) or current.note)
    _audit(actor, AuditAction.UPDATE, current.case, f"寻亲结果：{SearchKind(current.kind).label}（{SearchResult(result).label}）")
    current.refresh_from_db()
    return current


def _record_registry_match(actor: Actor, case: RescueCase, person: Person) -> SearchRecord:
    return SearchRecord.objects.create(
        case=case, division_code=case.division_code, kind=SearchKind.REGISTRY, requested_on=clock.today(),
        result=SearchResult.MATCH, result_on=clock.today(), note=f"户籍人口库比中：{person.id_number_masked}",
        recorded_by=actor_name_of(actor),
    )  # fmt: skip


@transaction.atomic
def do_match_registry(actor: Actor, case: RescueCase, *, expected_version: int, id_number: str) -> RescueCase:
    """户籍人口比对: the stated or found ID number against the district's registry (by the
    blind index). A match links the person — the case then shows on their person page."""
    actor.require(STATION)
    try:
        parsed = parse_id_number(id_number)
    except InvalidIdNumber as e:
        raise ValidationFailed({"id_number": str(e)}) from None
    current = lock_case(actor, CASE_WORKFLOW, _station_case(actor, case), expected_version)
    person = find_person_by_id_number(actor, parsed.value)
    if person is None:
        SearchRecord.objects.create(
            case=current, division_code=current.division_code, kind=SearchKind.REGISTRY, requested_on=clock.today(),
            result=SearchResult.NO_MATCH, result_on=clock.today(), note=f"户籍人口库未比中：{mask_id_number(parsed.value)}",
            recorded_by=actor_name_of(actor),
        )  # fmt: skip
        _audit(actor, AuditAction.UPDATE, current, "户籍人口比对：未比中")
        return update_case(actor, CASE_WORKFLOW, current, action="match", label="户籍人口比对", reason="未比中", updates={})
    _record_registry_match(actor, current, person)
    _audit(actor, AuditAction.UPDATE, current, "户籍人口比对：比中")
    return update_case(
        actor, CASE_WORKFLOW, current, action="match", label="户籍人口比对", reason=f"比中 {person.id_number_masked}",
        updates={"person": person, "id_number_encrypted": encrypt_text(parsed.value), "id_number_masked": mask_id_number(parsed.value)},
    )  # fmt: skip


# ----------------------------------------------------------------------------------------------
# The steps of the case
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_identify(
    actor: Actor, case: RescueCase, *, expected_version: int, name: str, identified_on: dt.date | None,
    home_division_code: str = "", home_address: str = "", how: str = "",
) -> RescueCase:  # fmt: skip
    """查明身份: the name and where home is — a Fuling village (its code; the registry's person
    when matched) or an address elsewhere."""

    def prepare(current: RescueCase, transition) -> Step:
        errors: dict[str, str] = {}
        if not _text(name, 50) or _text(name, 50) == "不详":
            errors["name"] = "请填写查明的姓名"
        _day(identified_on, "identified_on", "查明身份日期", errors, not_before=arrival_day(current), before_label="入站日期")
        home = home_division_code or (current.person.division_code if current.person_id else "")
        if home and get_directory().get(home) is None:
            errors["home_division_code"] = "请选择户籍地村（社区）"
        if not home and not _text(home_address, 120):
            errors["home_address"] = "请填写户籍地址（区外人员）或选择区内村（社区）"
        if not _text(how, 200):
            errors["how"] = "请填写查明身份的途径"
        if errors:
            raise ValidationFailed(errors)
        return Step(
            updates={"name": _text(name, 50), "name_known": True, "identified_on": identified_on,
                     "home_division_code": home, "home_address": _text(home_address, 120)},
            reason=_text(how, 200),
        )  # fmt: skip

    return do_transition(actor, CASE_WORKFLOW, _station_case(actor, case), "identify", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_return_home(
    actor: Actor, case: RescueCase, *, expected_version: int, mode: str, receiver_kind: str, receiver_name: str,
    handed_over_on: dt.date | None,
) -> RescueCase:  # fmt: skip
    """接送返回: travel support (乘车凭证), escort or collection by family; the hand-over to the
    family, the home station or the village; the bed is freed on the hand-over day."""

    def prepare(current: RescueCase, transition) -> Step:
        errors: dict[str, str] = {}
        if mode not in ReturnMode.values:
            errors["mode"] = "请选择返回方式"
        if receiver_kind not in Receiver.values:
            errors["receiver_kind"] = "请选择交接对象"
        if not _text(receiver_name, 80):
            errors["receiver_name"] = "请填写接收人或接收单位"
        _day(handed_over_on, "handed_over_on", "交接日期", errors, not_before=current.identified_on, before_label="查明身份日期")
        _not_in_hospital(current, errors, "handed_over_on")
        if errors:
            raise ValidationFailed(errors)
        _release_bed(current, handed_over_on)
        return Step(
            updates={"return_mode": mode, "receiver_kind": receiver_kind, "receiver_name": _text(receiver_name, 80),
                     "handed_over_on": handed_over_on, "left_on": handed_over_on},
            reason=f"{ReturnMode(mode).label}，交{Receiver(receiver_kind).label}{_text(receiver_name, 80)}",
        )  # fmt: skip

    return do_transition(actor, CASE_WORKFLOW, _station_case(actor, case), "return_home", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_confirm_arrival(actor: Actor, case: RescueCase, *, expected_version: int, arrived_on: dt.date | None, note: str = "") -> RescueCase:
    """确认到达 (the receiver's confirmation). A person of a Fuling village matched to the
    registry gets the village's 返乡回访 (``ReturnFollowUp``, owned by that village)."""

    def prepare(current: RescueCase, transition) -> Step:
        errors: dict[str, str] = {}
        _day(arrived_on, "arrived_on", "到达日期", errors, not_before=current.handed_over_on, before_label="交接日期")
        if errors:
            raise ValidationFailed(errors)
        if current.person_id and current.is_from_district:
            ReturnFollowUp.objects.create(
                case=current, person_id=current.person_id, division_code=current.person.division_code, returned_on=arrived_on
            )
        return Step(updates={"arrived_home_on": arrived_on}, reason=_text(note, 200) or f"{arrived_on:%Y-%m-%d}到达")

    return do_transition(actor, CASE_WORKFLOW, _station_case(actor, case), "confirm_arrival", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_leave(actor: Actor, case: RescueCase, *, expected_version: int, left_on: dt.date | None, reason: str) -> RescueCase:
    """自行离站 (the signed 自行离站声明书): the bed is freed; the case ends."""

    def prepare(current: RescueCase, transition) -> Step:
        errors: dict[str, str] = {}
        _day(left_on, "left_on", "离站日期", errors, not_before=arrival_day(current), before_label="入站日期")
        _not_in_hospital(current, errors, "left_on")
        if errors:
            raise ValidationFailed(errors)
        _release_bed(current, left_on)
        return Step(updates={"left_on": left_on})

    return do_transition(actor, CASE_WORKFLOW, _station_case(actor, case), "leave", expected_version=expected_version, reason=reason, prepare=prepare)


@transaction.atomic
def do_refuse(actor: Actor, case: RescueCase, *, expected_version: int, ground: str, refused_on: dt.date | None, reason: str) -> RescueCase:
    """不予救助 (at registration, the person does not meet the conditions of 实施细则第二条): the
    ground, the written reasons of the 不予救助通知书 and the day; the bed is freed, the case ends."""

    def prepare(current: RescueCase, transition) -> Step:
        errors: dict[str, str] = {}
        if ground not in RefusalGround.values:
            errors["ground"] = "请选择不予救助的理由"
        _day(refused_on, "refused_on", "不予救助日期", errors, not_before=arrival_day(current), before_label="入站日期")
        _not_in_hospital(current, errors, "refused_on")
        if Risk.MINOR in (current.risks or []):
            errors["ground"] = "未成年人应先行救助并转报未成年人保护，不能不予救助"
        if errors:
            raise ValidationFailed(errors)
        _release_bed(current, refused_on)
        text = (reason or "").strip()
        return Step(updates={"left_on": refused_on, "refusal_ground": ground}, reason=f"{RefusalGround(ground).label}：{text}"[:200])

    return do_transition(actor, CASE_WORKFLOW, _station_case(actor, case), "refuse", expected_version=expected_version, reason=reason, prepare=prepare)


def long_stay_from(case: RescueCase) -> dt.date:
    """The day from which an unidentified person counts as 长期滞留 (arrival + the review months)."""
    arrived_on = arrival_day(case)
    return add_months(arrived_on, params.long_stay_months(arrived_on))


@transaction.atomic
def do_mark_long_stay(actor: Actor, case: RescueCase, *, expected_version: int) -> RescueCase:
    """转为长期滞留: only when the person is still unidentified after the review period."""

    def prepare(current: RescueCase, transition) -> Step:
        start = long_stay_from(current)
        if clock.today() < start:
            months = params.long_stay_months(arrival_day(current))
            raise DomainError(f"在站未满{months}个月（{start:%Y-%m-%d}届满），不能转为长期滞留", code="too_early")
        return Step(updates={"long_stay_on": clock.today()}, reason=f"入站{arrival_day(current):%Y-%m-%d}，未查明身份")

    return do_transition(actor, CASE_WORKFLOW, _station_case(actor, case), "mark_long_stay", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_add_settlement_document(
    actor: Actor, case: RescueCase, *, expected_version: int, kind: str, reference: str, dated_on: dt.date | None
) -> RescueCase:
    """A document of the 落户安置 procedure, by its number and date."""
    actor.require(STATION)
    errors: dict[str, str] = {}
    if kind not in SettlementDoc.values:
        errors["kind"] = "请选择材料类别"
    if not _text(reference, 60):
        errors["reference"] = "请填写文号或编号"
    _day(dated_on, "dated_on", "材料日期", errors)
    if errors:
        raise ValidationFailed(errors)
    current = lock_case(actor, CASE_WORKFLOW, _station_case(actor, case), expected_version)
    if current.status not in (CaseStatus.LONG_STAY, CaseStatus.SETTLING):
        raise DomainError("只有长期滞留人员办理落户安置时可以登记材料", code="wrong_state")
    if SettlementDocument.objects.filter(case=current, kind=kind).exists():
        raise ValidationFailed({"kind": f"“{SettlementDoc(kind).label}”已登记"})
    SettlementDocument.objects.create(
        case=current, division_code=current.division_code, kind=kind, reference=_text(reference, 60), dated_on=dated_on,
        recorded_by=actor_name_of(actor),
    )  # fmt: skip
    _audit(actor, AuditAction.UPDATE, current, f"登记落户安置材料：{SettlementDoc(kind).label}")
    return update_case(actor, CASE_WORKFLOW, current, action="document", label="登记材料", reason=SettlementDoc(kind).label, updates={})


@transaction.atomic
def do_start_settlement(actor: Actor, case: RescueCase, *, expected_version: int) -> RescueCase:
    """启动落户安置 (the report on the person and the 寻亲 results are on file)."""
    return do_transition(actor, CASE_WORKFLOW, _station_case(actor, case), "start_settlement", expected_version=expected_version)


@transaction.atomic
def do_settle(
    actor: Actor, case: RescueCase, *, expected_version: int, placement: str, placement_unit: str, settled_on: dt.date | None
) -> RescueCase:
    """落户安置完成: hukou registered in the welfare institution's collective account (the
    police's opinion on file), placed in an institution (the agreement on file); the bed is freed."""

    def prepare(current: RescueCase, transition) -> Step:
        errors: dict[str, str] = {}
        if placement not in Placement.values:
            errors["placement"] = "请选择安置去向"
        if not _text(placement_unit, 80):
            errors["placement_unit"] = "请填写安置机构名称"
        _day(settled_on, "settled_on", "落户日期", errors, not_before=current.step_started_on, before_label="启动落户安置日期")
        _not_in_hospital(current, errors, "settled_on")
        if errors:
            raise ValidationFailed(errors)
        _release_bed(current, settled_on)
        return Step(
            updates={"placement": placement, "placement_unit": _text(placement_unit, 80), "settled_on": settled_on, "left_on": settled_on},
            reason=f"安置于{_text(placement_unit, 80)}（{Placement(placement).label}）",
        )

    return do_transition(actor, CASE_WORKFLOW, _station_case(actor, case), "settle", expected_version=expected_version, prepare=prepare)


# ----------------------------------------------------------------------------------------------
# The villages: visits after a return, the 防走失 register
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_record_follow_up_visit(
    actor: Actor, follow_up: ReturnFollowUp, *, expected_version: int, visited_on: dt.date | None, found_at_home: bool | None, note: str
) -> ReturnFollowUp:
    """返乡回访 by the person's village (or town): the date, whether the person is at home, what was found."""
    actor.require(FOLLOW_UP)
    current = access_by_id(ReturnFollowUp.objects.select_related("case"), actor, follow_up.pk, for_update=True)
    if current.version != expected_version:
        raise DomainError("该回访记录已被其他用户处理，请刷新后重试", code="stale")
    errors: dict[str, str] = {}
    _day(visited_on, "visited_on", "回访日期", errors, not_before=current.returned_on, before_label="返回日期")
    if found_at_home is None:
        errors["found_at_home"] = "请选择是否在家"
    if not _text(note, 300):
        errors["note"] = "请填写回访情况"
    if not errors and current.closed_on:
        errors["visited_on"] = "该回访已结束"
    if errors:
        raise ValidationFailed(errors)
    visits = [*current.visits, {"on": visited_on.isoformat(), "at_home": found_at_home, "note": _text(note, 300), "by": actor_name_of(actor)}]
    ReturnFollowUp.objects.filter(pk=current.pk).update(visits=visits, version=F("version") + 1)
    record_audit_event(
        actor, AuditAction.CREATE, object_type="rescue.follow_up", object_id=current.pk, division_code=current.division_code,
        summary=f"返乡回访：{current.case.number}（{'在家' if found_at_home else '不在家'}）",
    )  # fmt: skip
    current.refresh_from_db()
    return current


def next_check_after(day: dt.date) -> dt.date:
    """The next January or July check (service-lines §4, Prevention): the 1st of the next such month."""
    if day.month < 7:
        return dt.date(day.year, 7, 1)
    return dt.date(day.year + 1, 1, 1)


@transaction.atomic
def do_register_wandering_risk(actor: Actor, *, person_id, reason: str, guardian: str = "", case: RescueCase | None = None) -> WanderingRisk:
    """易流浪走失人员登记 in the person's village."""
    actor.require(FOLLOW_UP)
    errors: dict[str, str] = {}
    person = None
    try:
        person = access_by_id(Person.objects.all(), actor, person_id)
    except DomainError:
        errors["person_id"] = "请从列表中选择本辖区内的在册人员"
    if not _text(reason, 200):
        errors["reason"] = "请填写登记原因（如智力、精神障碍，曾走失）"
    if person is not None and person.is_deceased:
        errors["person_id"] = "该人员已登记死亡"
    if person is not None and WanderingRisk.objects.filter(person=person, ended_on__isnull=True).exists():
        errors["person_id"] = "该人员已在易流浪走失人员名册中"
    if errors:
        raise ValidationFailed(errors)
    today = clock.today()
    entry = WanderingRisk.objects.create(
        person=person, division_code=person.division_code, reason=_text(reason, 200), guardian=_text(guardian, 50),
        registered_on=today, next_check_on=next_check_after(today), case=case,
    )  # fmt: skip
    record_audit_event(
        actor, AuditAction.CREATE, object_type="rescue.wandering", object_id=entry.pk, division_code=entry.division_code,
        summary="登记易流浪走失人员",
    )  # fmt: skip
    return entry


@transaction.atomic
def do_check_wandering_risk(actor: Actor, entry: WanderingRisk, *, checked_on: dt.date | None, keep: bool, note: str = "") -> WanderingRisk:
    """The half-yearly check: kept on the register (next check in January or July) or taken off."""
    actor.require(FOLLOW_UP)
    current = access_by_id(WanderingRisk.objects.all(), actor, entry.pk, for_update=True)
    errors: dict[str, str] = {}
    _day(checked_on, "checked_on", "核查日期", errors, not_before=current.registered_on, before_label="登记日期")
    if current.ended_on:
        errors["checked_on"] = "该人员已移出名册"
    if errors:
        raise ValidationFailed(errors)
    updates = {"last_checked_on": checked_on}
    updates.update({"next_check_on": next_check_after(checked_on)} if keep else {"ended_on": checked_on})
    WanderingRisk.objects.filter(pk=current.pk).update(**updates)
    record_audit_event(
        actor, AuditAction.UPDATE, object_type="rescue.wandering", object_id=current.pk, division_code=current.division_code,
        summary="易流浪走失人员核查：" + ("继续在册" if keep else "移出名册") + (f"（{_text(note, 100)}）" if note else ""),
    )  # fmt: skip
    current.refresh_from_db()
    return current


# ----------------------------------------------------------------------------------------------
# Campaigns and patrols
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_create_campaign(actor: Actor, *, kind: str, name: str, start_on: dt.date | None, end_on: dt.date | None) -> Campaign:
    actor.require(STATION)
    errors: dict[str, str] = {}
    if kind not in CampaignKind.values:
        errors["kind"] = "请选择行动类别"
    if not _text(name, 60):
        errors["name"] = "请填写行动名称"
    if start_on is None:
        errors["start_on"] = "请填写开始日期"
    if end_on is None or (start_on and end_on < start_on):
        errors["end_on"] = "结束日期不能早于开始日期"
    if errors:
        raise ValidationFailed(errors)
    code = district_code()
    check_division_in_scope(actor, code)
    campaign = Campaign.objects.create(kind=kind, name=_text(name, 60), division_code=code, start_on=start_on, end_on=end_on)
    record_audit_event(
        actor, AuditAction.CREATE, object_type="rescue.campaign", object_id=campaign.pk, division_code=code,
        summary=f"专项救助行动：{campaign.name}",
    )  # fmt: skip
    return campaign


@transaction.atomic
def do_record_patrol(
    actor: Actor, *, campaign_id=None, town_code: str, on: dt.date | None, area: str, staff: int | None, met: int | None,
    aided: int | None, brought_in: int | None,
) -> Patrol:  # fmt: skip
    """街面巡查 (within a campaign or not): where, how many staff, people met, aided, brought in."""
    actor.require(STATION)
    errors: dict[str, str] = {}
    campaign = None
    if campaign_id:
        try:
            campaign = access_by_id(Campaign.objects.all(), actor, campaign_id)
        except DomainError:
            errors["campaign_id"] = "请选择专项行动"
    info = get_directory().get(town_code or "")
    if info is None or info.level != "town":
        errors["town_code"] = "请选择巡查的乡镇（街道）"
    _day(on, "on", "巡查日期", errors)
    if campaign is not None and on is not None and not campaign.start_on <= on <= campaign.end_on:
        errors["on"] = f"巡查日期不在行动期间（{campaign.start_on:%Y-%m-%d}至{campaign.end_on:%Y-%m-%d}）内"
    if not _text(area, 120):
        errors["area"] = "请填写巡查区域"
    counts = {"staff": staff, "met": met, "aided": aided, "brought_in": brought_in}
    labels = {"staff": "出动人次", "met": "发现人数", "aided": "现场救助人次", "brought_in": "引导入站人数"}
    for key, value in counts.items():
        if value is None or not 0 <= value <= 1000:
            errors[key] = f"{labels[key]}应为0至1000之间的整数"
    if not errors and (brought_in > met):
        errors["brought_in"] = "引导入站人数不能多于发现人数"
    if errors:
        raise ValidationFailed(errors)
    patrol = Patrol.objects.create(
        campaign=campaign, division_code=district_code(), town_code=town_code, on=on, area=_text(area, 120),
        recorded_by=actor_name_of(actor), **counts,
    )  # fmt: skip
    record_audit_event(
        actor, AuditAction.CREATE, object_type="rescue.patrol", object_id=patrol.pk, division_code=patrol.division_code,
        summary=f"街面巡查：{info.name} {on:%Y-%m-%d}，发现{met}人",
    )  # fmt: skip
    return patrol
