"""Every write of the funeral line: a named, atomic, audited ``do_*`` action. A refusal is a
Chinese ``ValidationFailed({field: message})`` (or the kit's refusal) and writes nothing."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Sum
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import check_division_in_scope
from minzheng.assistance.selectors import active_programs_of
from minzheng.cases.actions import (
    Step,
    do_transition,
    lock_case,
    record_event,
    update_case,
)
from minzheng.cases.levels import Level
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import encrypt_text
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError, PermissionDenied, ValidationFailed
from minzheng.core.masking import mask_account, mask_phone
from minzheng.core.money import MoneyFormatError, format_yuan, to_decimal, yuan_to_fen
from minzheng.core.periods import PeriodError, month_start, parse_period, period_of
from minzheng.core.photos import CleanPhoto, PhotoRejected, clean_photo
from minzheng.divisions.directory import get_directory
from minzheng.funerals.access import access_illegal_grave_by_id
from minzheng.lowincome.enums import ListingKind
from minzheng.lowincome.selectors import listed_kinds_of
from minzheng.funerals.enums import (
    ECO_PLOT_KINDS,
    FUNERAL_SERVICE_KINDS,
    FacilityKind,
    FacilityStatus,
    GraveStatus,
    HardshipGroup,
    MessageStatus,
    MourningKind,
    PlotKind,
    PlotStatus,
    PriceItem,
    RecordSource,
    RecordStatus,
    SettlementStatus,
    ZoneKind,
)
from minzheng.funerals.models import (
    Facility,
    FuneralRecord,
    IllegalGrave,
    Inspection,
    Memorial,
    MemorialMessage,
    MemorialPhoto,
    Plot,
    PriceFiling,
    Waiver,
    WaiverSettlement,
    Zone,
)
from minzheng.funerals.permissions import FuneralPerm
from minzheng.funerals.services import waiver_quote, zone_since
from minzheng.funerals.workflow import INSPECTION_WORKFLOW, RECORD_WORKFLOW
from minzheng.registry.actions import do_report_death
from minzheng.registry.enums import DeathSource
from minzheng.registry.models import Person

PHONE_RE = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
MANAGE = FuneralPerm.MANAGE_FUNERALS
FACILITIES = FuneralPerm.MANAGE_FUNERAL_FACILITIES


def _date_not_future(value: dt.date | None, field: str, label: str, errors: dict[str, str]) -> None:
    if value is None:
        errors[field] = f"请填写{label}"
    elif value > clock.today():
        errors[field] = f"{label}不能晚于今天"


def _audit(actor: Actor, action: str, object_type: str, obj, division_code: str, summary: str, **extra) -> None:
    record_audit_event(
        actor, action, object_type=object_type, object_id=obj.pk, division_code=division_code, summary=summary, extra=extra or None
    )


# =========================================================================== facilities
@transaction.atomic
def do_register_facility(
    actor: Actor,
    *,
    name: str,
    kind: str,
    division_code: str,
    capacity: int = 0,
    opened_on: dt.date | None = None,
    status: str = FacilityStatus.OPERATING,
    demonstration: bool = False,
    address: str = "",
    bank_name: str = "",
    bank_account: str = "",
) -> Facility:
    """A funeral home, 殡仪服务站, public-welfare cemetery (a town's or a village's) or commercial
    cemetery. A cemetery has a design capacity; the funeral home is the district's."""
    actor.require(FACILITIES)
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = "请填写设施名称"
    if kind not in FacilityKind.values:
        errors["kind"] = "请选择设施类型"
    if status not in FacilityStatus.values:
        errors["status"] = "请选择状态"
    division = get_directory().get(division_code or "")
    if division is None and division_code != district_code():
        errors["division_code"] = "请选择所在乡镇（街道）或村（社区）"
    elif kind == FacilityKind.PUBLIC_CEMETERY and len(division_code) == 6:
        errors["division_code"] = "农村公益性公墓应选择所在乡镇或村"
    cemetery = kind in (FacilityKind.PUBLIC_CEMETERY, FacilityKind.COMMERCIAL_CEMETERY)
    if cemetery and (capacity is None or capacity < 1):
        errors["capacity"] = "请填写公墓设计墓位数（大于0）"
    if demonstration and kind != FacilityKind.PUBLIC_CEMETERY:
        errors["demonstration"] = "只有农村公益性公墓可以标为示范公墓"
    if opened_on is not None and opened_on > clock.today():
        errors["opened_on"] = "建成日期不能晚于今天"
    if status == FacilityStatus.OPERATING and opened_on is None:
        errors["opened_on"] = "运营中的设施请填写建成（投入使用）日期"
    account = re.sub(r"\s", "", bank_account or "")
    if account and not account.isdigit():
        errors["bank_account"] = "银行账号只能是数字"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, division_code)
    facility = Facility.objects.create(
        name=name, kind=kind, division_code=division_code, capacity=capacity if cemetery else 0, opened_on=opened_on,
        status=status, demonstration=demonstration, address=address.strip()[:200], bank_name=bank_name.strip()[:60],
        bank_account_encrypted=encrypt_text(account) if account else "", bank_account_masked=mask_account(account) if account else "",
    )  # fmt: skip
    _audit(actor, AuditAction.CREATE, "funerals.facility", facility, division_code, f"登记殡葬设施：{facility.name}（{facility.get_kind_display()}）")
    return facility


@transaction.atomic
def do_add_plots(actor: Actor, cemetery: Facility, *, kind: str, numbers: Sequence[str]) -> list[Plot]:
    """Plots of one kind; never beyond the cemetery's design capacity."""
    actor.require(FACILITIES)
    check_division_in_scope(actor, cemetery.division_code)
    cemetery = Facility.objects.select_for_update().get(pk=cemetery.pk)
    errors: dict[str, str] = {}
    if not cemetery.is_cemetery:
        raise ValidationFailed({"cemetery": "只有公墓可以登记墓位"})
    if kind not in PlotKind.values:
        errors["kind"] = "请选择葬式"
    cleaned = [n.strip() for n in numbers if n and n.strip()]
    if not cleaned:
        errors["numbers"] = "请填写墓位编号"
    elif len(set(cleaned)) != len(cleaned):
        errors["numbers"] = "墓位编号有重复"
    else:
        taken = set(Plot.objects.filter(cemetery=cemetery, number__in=cleaned).values_list("number", flat=True))
        existing = Plot.objects.filter(cemetery=cemetery).count()
        if taken:
            errors["numbers"] = f"墓位编号已存在：{'、'.join(sorted(taken)[:5])}"
        elif existing + len(cleaned) > cemetery.capacity:
            errors["numbers"] = f"超出公墓设计容量：设计{cemetery.capacity}穴，已登记{existing}穴，本次{len(cleaned)}穴"
    if errors:
        raise ValidationFailed(errors)
    plots = Plot.objects.bulk_create(
        [Plot(cemetery=cemetery, division_code=cemetery.division_code, number=n, kind=kind) for n in cleaned]
    )
    _audit(actor, AuditAction.CREATE, "funerals.plot", cemetery, cemetery.division_code,
           f"登记墓位：{cemetery.name} {PlotKind(kind).label} {len(plots)}穴")  # fmt: skip
    return plots


@transaction.atomic
def do_file_price(
    actor: Actor, facility: Facility, *, item: str, price_yuan, effective_from: dt.date | None, reference: str
) -> PriceFiling:
    actor.require(FACILITIES)
    check_division_in_scope(actor, facility.division_code)
    errors: dict[str, str] = {}
    if item not in PriceItem.values:
        errors["item"] = "请选择收费项目"
    try:
        fen = yuan_to_fen(to_decimal(price_yuan))
        if fen < 0:
            raise ValueError
    except (MoneyFormatError, ValueError, TypeError, ArithmeticError):
        errors["price"] = "价格应为不小于0、最多两位小数的金额（元）"
        fen = 0
    if effective_from is None:
        errors["effective_from"] = "请填写执行日期"
    if not (reference or "").strip():
        errors["reference"] = "请填写备案文号"
    if not errors and PriceFiling.objects.filter(facility=facility, item=item, effective_from=effective_from).exists():
        errors["effective_from"] = "该项目在这一日期已有备案价格"
    if errors:
        raise ValidationFailed(errors)
    filing = PriceFiling.objects.create(
        facility=facility, division_code=facility.division_code, item=item, price_fen=fen,
        effective_from=effective_from, reference=reference.strip()[:100],
    )  # fmt: skip
    _audit(actor, AuditAction.CREATE, "funerals.price", filing, facility.division_code,
           f"价格备案：{facility.name} {PriceItem(item).label} {format_yuan(fen)}元，{effective_from:%Y-%m-%d}起执行")  # fmt: skip
    return filing


@transaction.atomic
def do_record_inspection(actor: Actor, facility: Facility, *, inspected_on: dt.date | None, findings: str) -> Inspection:
    """Findings with a rectification deadline (the kit's TimeLimit from the inspection day)."""
    actor.require(FACILITIES)
    check_division_in_scope(actor, facility.division_code)
    errors: dict[str, str] = {}
    _date_not_future(inspected_on, "inspected_on", "检查日期", errors)
    if not (findings or "").strip():
        errors["findings"] = "请填写发现的问题"
    if errors:
        raise ValidationFailed(errors)
    limit = INSPECTION_WORKFLOW.time_limit
    inspection = Inspection.objects.create(
        facility=facility, division_code=facility.division_code, inspected_on=inspected_on, findings=findings.strip()[:1000],
        step_started_on=inspected_on, clock_started_on=inspected_on, deadline_on=limit.deadline(inspected_on, None),
    )  # fmt: skip
    record_event(actor, INSPECTION_WORKFLOW, inspection, action="create", label="检查登记", from_status="", to_status=inspection.status,
                 reason=f"整改期限 {inspection.deadline_on:%Y-%m-%d}")  # fmt: skip
    _audit(actor, AuditAction.CREATE, "funerals.inspection", inspection, facility.division_code,
           f"监督检查：{facility.name}，整改期限{inspection.deadline_on:%Y-%m-%d}")  # fmt: skip
    return inspection


@transaction.atomic
def do_close_inspection(actor: Actor, inspection: Inspection, *, expected_version: int, rectification: str) -> Inspection:
    def prepare(current, transition) -> Step:
        if not (rectification or "").strip():
            raise ValidationFailed({"rectification": "请填写整改情况"})
        return Step(updates={"rectification": rectification.strip()[:1000]}, reason=rectification.strip()[:200])

    return do_transition(actor, INSPECTION_WORKFLOW, inspection, "close", expected_version=expected_version, prepare=prepare)


# =========================================================================== zones
@transaction.atomic
def do_set_zone(actor: Actor, *, division_code: str, kind: str, since: dt.date | None, reference: str) -> Zone:
    """A town or village is a 火化区 / 文明治丧区 from a date (the municipal decision); the
    district keeps the map."""
    actor.require(FACILITIES)
    if not actor.is_system and actor.level != Level.DISTRICT:
        raise PermissionDenied("火化区和文明治丧区须由区民政局登记")
    errors: dict[str, str] = {}
    division = get_directory().get(division_code or "")
    if division is None or len(division_code) not in (9, 12):
        errors["division_code"] = "请选择乡镇（街道）或村（社区）"
    if kind not in ZoneKind.values:
        errors["kind"] = "请选择区域类型"
    if since is None:
        errors["since"] = "请填写划定日期"
    if not (reference or "").strip():
        errors["reference"] = "请填写依据文件"
    if not errors and Zone.objects.filter(division_code=division_code, kind=kind).exists():
        errors["division_code"] = f"该区划已登记为{ZoneKind(kind).label}"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, division_code)
    zone = Zone.objects.create(division_code=division_code, kind=kind, since=since, reference=reference.strip()[:200])
    _audit(actor, AuditAction.CREATE, "funerals.zone", zone, division_code,
           f"划定{ZoneKind(kind).label}：{division.name}，{since:%Y-%m-%d}起")  # fmt: skip
    return zone


# =========================================================================== illegal graves
@transaction.atomic
def do_report_illegal_grave(actor: Actor, *, division_code: str, found_on: dt.date | None, location: str, description: str = "") -> IllegalGrave:
    actor.require(MANAGE)
    errors: dict[str, str] = {}
    if get_directory().get(division_code or "") is None or len(division_code or "") != 12:
        errors["division_code"] = "请选择村（社区）"
    _date_not_future(found_on, "found_on", "发现日期", errors)
    if not (location or "").strip():
        errors["location"] = "请填写位置"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, division_code)
    grave = IllegalGrave.objects.create(
        division_code=division_code, found_on=found_on, location=location.strip()[:200], description=(description or "").strip()[:500]
    )
    _audit(actor, AuditAction.CREATE, "funerals.illegal_grave", grave, division_code, f"发现散埋乱葬：{grave.location}")
    return grave


def _locked_grave(actor: Actor, grave: IllegalGrave, expected_version: int, status: str) -> IllegalGrave:
    current = access_illegal_grave_by_id(actor, grave.pk, for_update=True)
    if current.version != expected_version:
        raise DomainError("该整改案件已被其他用户处理，请刷新后重试", code="stale")
    if current.status != status:
        raise DomainError(f"整改案件当前处于“{current.get_status_display()}”，不能办理此操作", code="wrong_state")
    return current


@transaction.atomic
def do_order_grave_rectification(actor: Actor, grave: IllegalGrave, *, expected_version: int, deadline_on: dt.date | None) -> IllegalGrave:
    """The town orders the rectification by a date it sets (no statutory period is known)."""
    actor.require(FACILITIES)
    current = _locked_grave(actor, grave, expected_version, GraveStatus.FOUND)
    if deadline_on is None:
        raise ValidationFailed({"deadline_on": "请填写整改期限"})
    if deadline_on <= clock.today():
        raise ValidationFailed({"deadline_on": "整改期限应晚于今天"})
    IllegalGrave.objects.filter(pk=current.pk).update(status=GraveStatus.RECTIFYING, deadline_on=deadline_on, version=F("version") + 1)
    current.refresh_from_db()
    _audit(actor, AuditAction.TRANSITION, "funerals.illegal_grave", current, current.division_code,
           f"下达整改：{current.location}，期限{deadline_on:%Y-%m-%d}")  # fmt: skip
    return current


@transaction.atomic
def do_close_illegal_grave(actor: Actor, grave: IllegalGrave, *, expected_version: int, rectified_on: dt.date | None, rectification: str) -> IllegalGrave:
    actor.require(MANAGE)
    current = _locked_grave(actor, grave, expected_version, GraveStatus.RECTIFYING)
    errors: dict[str, str] = {}
    _date_not_future(rectified_on, "rectified_on", "整改完成日期", errors)
    if rectified_on is not None and rectified_on < current.found_on:
        errors["rectified_on"] = "整改完成日期不能早于发现日期"
    if not (rectification or "").strip():
        errors["rectification"] = "请填写整改情况（迁入公墓、深埋、平坟等）"
    if errors:
        raise ValidationFailed(errors)
    IllegalGrave.objects.filter(pk=current.pk).update(
        status=GraveStatus.RECTIFIED, rectified_on=rectified_on, rectification=rectification.strip()[:500], version=F("version") + 1
    )
    current.refresh_from_db()
    _audit(actor, AuditAction.TRANSITION, "funerals.illegal_grave", current, current.division_code, f"整改完成：{current.location}")
    return current


# =========================================================================== funeral records
def _next_number(on: dt.date) -> str:
    prefix = f"BZ{on:%Y}"
    last = FuneralRecord.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    seq = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{seq:06d}"


def _funeral_home_for(division_code: str, home: Facility | None, errors: dict[str, str], field: str = "funeral_home") -> None:
    if home is None:
        return
    if home.kind not in FUNERAL_SERVICE_KINDS or home.status != FacilityStatus.OPERATING:
        errors[field] = "请选择运营中的殡仪馆或殡仪服务站"
    elif not division_code.startswith(home.division_code):
        errors[field] = "该殡仪服务站不服务逝者所在地"


@transaction.atomic
def do_notify_death(
    actor: Actor,
    *,
    person: Person,
    source: str,
    death_date: dt.date | None,
    death_place: str,
    contact_name: str,
    contact_phone: str = "",
    death_certificate_no: str = "",
    funeral_home: Facility | None = None,
) -> FuneralRecord:
    """报丧: the funeral record of a death (from the death feed, the registry, or the family at
    the funeral home). The registry is not touched until the cremation (or the village's check)."""
    actor.require(MANAGE)
    errors: dict[str, str] = {}
    if source not in RecordSource.values:
        errors["source"] = "请选择信息来源"
    _date_not_future(death_date, "death_date", "死亡日期", errors)
    if death_date is not None and death_date < person.birth_date:
        errors["death_date"] = "死亡日期不能早于出生日期"
    if not (death_place or "").strip():
        errors["death_place"] = "请填写死亡地点"
    if not (contact_name or "").strip():
        errors["contact_name"] = "请填写家属联系人"
    phone = (contact_phone or "").strip()
    if phone and not PHONE_RE.match(phone):
        errors["contact_phone"] = "联系电话格式不正确（11位手机号或带区号的固定电话）"
    _funeral_home_for(person.division_code, funeral_home, errors)
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, person.division_code)
    if FuneralRecord.objects.filter(person=person).exists():
        raise ValidationFailed({"person": "该逝者已有殡葬服务记录"})
    today = clock.today()
    record = FuneralRecord.objects.create(
        number=_next_number(today), person=person, division_code=person.division_code, source=source,
        death_date=death_date, death_place=death_place.strip()[:100], death_certificate_no=(death_certificate_no or "").strip()[:40],
        contact_name=contact_name.strip()[:50], contact_phone_encrypted=encrypt_text(phone) if phone else "",
        contact_phone_masked=mask_phone(phone) if phone else "", funeral_home=funeral_home, notified_on=today, step_started_on=today,
    )  # fmt: skip
    record_event(actor, RECORD_WORKFLOW, record, action="create", label="报丧", from_status="", to_status=RecordStatus.NOTIFIED,
                 reason=RecordSource(source).label)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "funerals.record", record, record.division_code,
           f"报丧登记：殡葬服务记录 {record.number}（{RecordSource(source).label}）")  # fmt: skip
    return record


def _step_date(value: dt.date | None, field: str, label: str, after: dt.date, after_label: str) -> None:
    errors: dict[str, str] = {}
    _date_not_future(value, field, label, errors)
    if value is not None and value < after:
        errors[field] = f"{label}不能早于{after_label}（{after:%Y-%m-%d}）"
    if errors:
        raise ValidationFailed(errors)


@transaction.atomic
def do_transport_body(
    actor: Actor, record: FuneralRecord, *, expected_version: int, transported_on: dt.date | None, funeral_home: Facility | None
) -> FuneralRecord:
    """接运: the funeral home collects the body (重庆市殡葬管理条例 art. 9)."""

    def prepare(current: FuneralRecord, transition) -> Step:
        _step_date(transported_on, "transported_on", "接运日期", current.death_date, "死亡日期")
        home = funeral_home or current.funeral_home
        errors: dict[str, str] = {}
        if home is None:
            errors["funeral_home"] = "请选择承办的殡仪馆或殡仪服务站"
        _funeral_home_for(current.division_code, home, errors)
        if errors:
            raise ValidationFailed(errors)
        return Step(updates={"transported_on": transported_on, "funeral_home": home}, reason=home.name)

    return do_transition(actor, RECORD_WORKFLOW, record, "transport", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_record_services(
    actor: Actor,
    record: FuneralRecord,
    *,
    expected_version: int,
    storage_days: int | None,
    farewell_on: dt.date | None = None,
    mourning_kind: str = "",
    mourning_venue: str = "",
) -> FuneralRecord:
    """暂存（冷藏天数）, 告别 and 治丧 (集中治丧 at a venue, or at home): an in-state change."""
    actor.require(MANAGE)
    current = lock_case(actor, RECORD_WORKFLOW, record, expected_version)
    errors: dict[str, str] = {}
    if current.status in (RecordStatus.BURIED, RecordStatus.INTERRED):
        raise DomainError("殡葬服务已办结，不能再修改服务记录", code="wrong_state")
    if storage_days is None or storage_days < 0 or storage_days > 365:
        errors["storage_days"] = "冷藏天数应为0至365的整数"
    if farewell_on is not None:
        if farewell_on < current.death_date:
            errors["farewell_on"] = f"告别仪式日期不能早于死亡日期（{current.death_date:%Y-%m-%d}）"
        elif farewell_on > clock.today():
            errors["farewell_on"] = "告别仪式日期不能晚于今天"
    if mourning_kind and mourning_kind not in MourningKind.values:
        errors["mourning_kind"] = "请选择治丧方式"
    if mourning_kind == MourningKind.CENTRALIZED and not (mourning_venue or "").strip():
        errors["mourning_venue"] = "集中治丧请填写治丧场所"
    if errors:
        raise ValidationFailed(errors)
    updates = {
        "storage_days": storage_days, "farewell_on": farewell_on, "mourning_kind": mourning_kind,
        "mourning_venue": (mourning_venue or "").strip()[:100],
    }  # fmt: skip
    parts = [f"冷藏{storage_days}天"]
    if farewell_on:
        parts.append(f"告别{farewell_on:%Y-%m-%d}")
    if mourning_kind:
        parts.append(MourningKind(mourning_kind).label + (f"（{updates['mourning_venue']}）" if updates["mourning_venue"] else ""))
    current = update_case(actor, RECORD_WORKFLOW, current, action="services", label="暂存、告别与治丧", reason="，".join(parts), updates=updates)
    _audit(actor, AuditAction.UPDATE, "funerals.record", current, current.division_code, f"服务记录：殡葬服务记录 {current.number}，{'，'.join(parts)}")
    return current


def hardship_group_of(actor: Actor, person: Person) -> str:
    """The waiver group, never typed in: 特困 first, then 低保 (social assistance's enrolments),
    then 困难重点优抚对象 (the 退役军人事务局's roster in the 低收入人口 line)."""
    programs = active_programs_of(actor, person)
    if "tekun" in programs:
        return HardshipGroup.TEKUN
    if "dibao" in programs:
        return HardshipGroup.DIBAO
    if ListingKind.YOUFU in listed_kinds_of(actor, person.pk):
        return HardshipGroup.YOUFU
    return ""


@transaction.atomic
def do_cremate(
    actor: Actor, record: FuneralRecord, *, expected_version: int, cremated_on: dt.date | None, certificate_no: str, urn_price_yuan=None
) -> FuneralRecord:
    """火化 with the cremation certificate. The cremation is a death notification under ADR 0004
    (``registry.do_report_death``, source 殡葬火化): payments are suspended in the next payroll
    and the village is asked to confirm. A deceased of a hardship group gets the 惠民殡葬 waiver
    at the amount the rules engine computes."""
    outcome: dict = {}

    def prepare(current: FuneralRecord, transition) -> Step:
        _step_date(cremated_on, "cremated_on", "火化日期", current.death_date, "死亡日期")
        if current.transported_on and cremated_on < current.transported_on:
            raise ValidationFailed({"cremated_on": f"火化日期不能早于接运日期（{current.transported_on:%Y-%m-%d}）"})
        number = (certificate_no or "").strip()
        if not number:
            raise ValidationFailed({"certificate_no": "请填写火化证明编号"})
        if FuneralRecord.objects.filter(cremation_certificate_no=number).exclude(pk=current.pk).exists():
            raise ValidationFailed({"certificate_no": "该火化证明编号已被使用"})
        person = Person.objects.get(pk=current.person_id)
        group = hardship_group_of(actor, person)  # before the report suspends the enrolments
        if group and current.funeral_home_id:
            _grant_waiver(actor, current, group, cremated_on, urn_price_yuan)
        report = do_report_death(
            actor, person=person, death_date=current.death_date, source=DeathSource.FUNERAL,
            reference=f"殡葬服务记录{current.number}，火化证明{number}",
        )  # fmt: skip
        outcome["report"] = report
        report_id = report.report.pk if report.report is not None else None
        return Step(
            updates={"cremated_on": cremated_on, "cremation_certificate_no": number[:40], "death_report_id": report_id},
            reason=f"火化证明{number}" + ("，已报送死亡信息待村（社区）核实" if report.created else ""),
            extra={"death_report_id": report_id},
        )

    return do_transition(actor, RECORD_WORKFLOW, record, "cremate", expected_version=expected_version, prepare=prepare)


def _grant_waiver(actor: Actor, record: FuneralRecord, group: str, on: dt.date, urn_price_yuan) -> Waiver:
    quote = waiver_quote(record, group=group, on=on, urn_price_yuan=urn_price_yuan)
    if quote.errors:
        raise ValidationFailed(quote.errors)
    if not quote.eligible:
        return None
    waiver = Waiver.objects.create(
        record=record, funeral_home_id=record.funeral_home_id, division_code=record.division_code, group=group,
        period=period_of(on), amount_fen=quote.amount_fen, lines=quote.lines, decision=quote.result, provisional=quote.provisional,
    )  # fmt: skip
    _audit(actor, AuditAction.CREATE, "funerals.waiver", waiver, record.division_code,
           f"惠民殡葬减免：殡葬服务记录 {record.number}，{HardshipGroup(group).label}，{format_yuan(waiver.amount_fen)}元")  # fmt: skip
    return waiver


@transaction.atomic
def do_bury(actor: Actor, record: FuneralRecord, *, expected_version: int, buried_on: dt.date | None, place: str) -> FuneralRecord:
    """土葬 — only where the deceased's village was not a 火化区 on the day of death."""

    def prepare(current: FuneralRecord, transition) -> Step:
        since = zone_since(current.division_code, ZoneKind.CREMATION)
        if since is not None and since <= current.death_date:
            raise ValidationFailed(
                {"buried_on": f"逝者所在地自{since:%Y-%m-%d}起为火化区，死亡时已在火化区内，应当火化，不能土葬"}
            )
        _step_date(buried_on, "buried_on", "土葬日期", current.death_date, "死亡日期")
        if not (place or "").strip():
            raise ValidationFailed({"place": "请填写安葬地点（应在公墓内，不得占用耕地、林地）"})
        return Step(updates={"buried_on": buried_on}, reason=place.strip()[:100])

    return do_transition(actor, RECORD_WORKFLOW, record, "bury", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_store_ashes(actor: Actor, record: FuneralRecord, *, expected_version: int, stored_on: dt.date | None) -> FuneralRecord:
    def prepare(current: FuneralRecord, transition) -> Step:
        _step_date(stored_on, "stored_on", "骨灰寄存日期", current.cremated_on, "火化日期")
        return Step(updates={"ashes_stored_on": stored_on})

    return do_transition(actor, RECORD_WORKFLOW, record, "store_ashes", expected_version=expected_version, prepare=prepare)


def _serves(cemetery: Facility, division_code: str) -> bool:
    return cemetery.kind != FacilityKind.PUBLIC_CEMETERY or division_code.startswith(cemetery.division_code)


@transaction.atomic
def do_inter(
    actor: Actor, record: FuneralRecord, *, expected_version: int, interred_on: dt.date | None, cemetery: Facility | None, plot: Plot | None
) -> FuneralRecord:
    """安葬 of the ashes in a plot of a cemetery. A plot is sold once (a unique key); a
    public-welfare cemetery takes its own town's (village's) residents."""

    def prepare(current: FuneralRecord, transition) -> Step:
        _step_date(interred_on, "interred_on", "安葬日期", current.cremated_on, "火化日期")
        errors: dict[str, str] = {}
        if cemetery is None or not cemetery.is_cemetery:
            errors["cemetery"] = "请选择公墓"
        elif cemetery.status != FacilityStatus.OPERATING:
            errors["cemetery"] = "该公墓未在运营"
        elif not _serves(cemetery, current.division_code):
            errors["cemetery"] = "农村公益性公墓只安葬本乡镇（村）居民"
        if plot is None:
            errors["plot"] = "请选择墓位"
        elif cemetery is not None and plot.cemetery_id != cemetery.pk:
            errors["plot"] = "该墓位不属于所选公墓"
        if errors:
            raise ValidationFailed(errors)
        locked = Plot.objects.select_for_update().get(pk=plot.pk)
        if locked.status == PlotStatus.SOLD or FuneralRecord.objects.filter(plot=locked).exists():
            raise ValidationFailed({"plot": f"墓位{locked.number}已售出，不能重复出售"})
        Plot.objects.filter(pk=locked.pk).update(status=PlotStatus.SOLD)
        eco = locked.kind in ECO_PLOT_KINDS
        return Step(
            updates={"interred_on": interred_on, "cemetery": cemetery, "plot": locked, "eco_burial": eco},
            reason=f"{cemetery.name} {locked.number}（{locked.get_kind_display()}）",
        )

    try:
        with transaction.atomic():
            return do_transition(actor, RECORD_WORKFLOW, record, "inter", expected_version=expected_version, prepare=prepare)
    except IntegrityError:
        # Two sales of the same plot at once: the database's unique key refused the second.
        raise ValidationFailed({"plot": "该墓位已售出，不能重复出售"}) from None


# =========================================================================== waiver settlement
def _require_district(actor: Actor, what: str) -> None:
    if actor.is_system:
        return
    actor.require(FuneralPerm.SETTLE_FUNERAL_WAIVERS)
    if actor.level != Level.DISTRICT:
        raise PermissionDenied(f"{what}须由区民政局办理")


def _check_period(period: str) -> dt.date:
    try:
        first = parse_period(period)
    except (PeriodError, ValueError):
        raise ValidationFailed({"period": "结算月份格式应为 YYYY-MM"}) from None
    if first >= month_start(clock.today()):
        raise ValidationFailed({"period": "只能结算已结束的月份"})
    return first


@transaction.atomic
def do_prepare_settlement(actor: Actor, funeral_home: Facility, *, period: str) -> WaiverSettlement:
    """制表: the home's waivers of the month and of earlier months not yet settled. Idempotent:
    one batch per (home, month); a rerun of a prepared batch takes the same waivers again; an
    approved batch is never changed, and a waiver belongs to one batch only."""
    _require_district(actor, "惠民殡葬结算制表")
    _check_period(period)
    if funeral_home.kind != FacilityKind.FUNERAL_HOME:
        raise ValidationFailed({"funeral_home": "请选择殡仪馆"})
    batch, _ = WaiverSettlement.objects.get_or_create(
        funeral_home=funeral_home, period=period, defaults={"division_code": funeral_home.division_code}
    )
    batch = WaiverSettlement.objects.select_for_update().get(pk=batch.pk)
    if batch.status == SettlementStatus.APPROVED:
        return batch
    Waiver.objects.filter(settlement=batch).update(settlement=None)
    due = Waiver.objects.select_for_update().filter(funeral_home=funeral_home, settlement__isnull=True, period__lte=period)
    ids = list(due.values_list("pk", flat=True))
    Waiver.objects.filter(pk__in=ids).update(settlement=batch)
    totals = [a for a in Waiver.objects.filter(settlement=batch).values_list("amount_fen", flat=True)]
    WaiverSettlement.objects.filter(pk=batch.pk).update(
        waiver_count=len(totals), total_fen=sum(totals), prepared_by_id=actor.user_id,
        prepared_by_name=f"系统（{actor.reason}）" if actor.is_system else (actor.display_name or actor.username),
        prepared_at=timezone.now(), run_count=F("run_count") + 1, version=F("version") + 1,
    )  # fmt: skip
    batch.refresh_from_db()
    _audit(actor, AuditAction.CREATE, "funerals.settlement", batch, batch.division_code,
           f"惠民殡葬结算制表：{funeral_home.name} {period}，{batch.waiver_count}笔，{format_yuan(batch.total_fen)}元（第{batch.run_count}次生成）")  # fmt: skip
    return batch


@transaction.atomic
def do_approve_settlement(actor: Actor, settlement: WaiverSettlement, *, expected_version: int) -> WaiverSettlement:
    """审批 (checker): another user than the one who prepared it."""
    _require_district(actor, "惠民殡葬结算审批")
    if actor.is_system:
        raise PermissionDenied("结算表须由工作人员审批")
    current = WaiverSettlement.objects.select_for_update().get(pk=settlement.pk)
    if current.version != expected_version:
        raise DomainError("该结算表已被其他用户处理或重新生成，请刷新后重试", code="stale")
    if current.status == SettlementStatus.APPROVED:
        raise DomainError("该结算表已审批", code="wrong_state")
    if current.prepared_by_id is not None and current.prepared_by_id == actor.user_id:
        raise PermissionDenied("制表人与审批人不能为同一人")
    if not current.prepared_at or not current.prepared_by_name:
        raise DomainError("该结算表未生成完成（没有制表人），请重新生成后再审批", code="incomplete")
    rows = Waiver.objects.filter(settlement=current).aggregate(n=Count("id"), total=Sum("amount_fen"))
    if not rows["n"]:
        raise DomainError("该结算表没有减免记录，不能审批；请核对后重新生成", code="incomplete")
    if rows["n"] != current.waiver_count or (rows["total"] or 0) != current.total_fen:
        raise DomainError("该结算表的笔数或金额与明细不一致，请重新生成后再审批", code="incomplete")
    WaiverSettlement.objects.filter(pk=current.pk).update(
        status=SettlementStatus.APPROVED, approved_by_id=actor.user_id, approved_at=timezone.now(), version=F("version") + 1
    )
    current.refresh_from_db()
    _audit(actor, AuditAction.TRANSITION, "funerals.settlement", current, current.division_code,
           f"惠民殡葬结算审批：{current.funeral_home.name} {current.period}，{current.waiver_count}笔，{format_yuan(current.total_fen)}元")  # fmt: skip
    return current


# =========================================================================== online memorial
def _clean_memorial_photo(photo: tuple[str, bytes] | None, errors: dict[str, str]) -> CleanPhoto | None:
    if photo is None:
        return None
    name, content = photo
    try:
        return clean_photo(name, content)
    except PhotoRejected as e:
        errors["photo"] = str(e)
        return None


def _drop_photo_file(row: MemorialPhoto) -> None:
    """The old file goes once the transaction that replaced or removed its row has committed."""
    storage, name = row.file.storage, row.file.name
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def do_open_memorial(
    actor: Actor, record: FuneralRecord, *, consent_by: str, consent_relation: str, epitaph: str = "",
    photo: tuple[str, bytes] | None = None,
) -> Memorial:
    """网上祭扫: a read-only page, only with a family member's consent; ``photo`` (file name,
    bytes) is the deceased's photo, re-encoded without EXIF (core.photos)."""
    actor.require(MANAGE)
    check_division_in_scope(actor, record.division_code)
    errors: dict[str, str] = {}
    if not (consent_by or "").strip():
        errors["consent_by"] = "请填写同意开通的家属姓名"
    if not (consent_relation or "").strip():
        errors["consent_relation"] = "请填写与逝者关系"
    if Memorial.objects.filter(record=record).exists():
        errors["consent_by"] = "该逝者已开通网上祭扫"
    cleaned = _clean_memorial_photo(photo, errors)
    if errors:
        raise ValidationFailed(errors)
    memorial = Memorial.objects.create(
        record=record, division_code=record.division_code, token=secrets.token_urlsafe(18), consent_by=consent_by.strip()[:50],
        consent_relation=consent_relation.strip()[:20], consent_on=clock.today(), epitaph=(epitaph or "").strip()[:200],
    )  # fmt: skip
    if cleaned is not None:
        MemorialPhoto.store(cleaned, division_code=memorial.division_code, memorial=memorial)
    _audit(actor, AuditAction.CREATE, "funerals.memorial", memorial, record.division_code,
           f"开通网上祭扫：殡葬服务记录 {record.number}（家属同意）", photo=cleaned is not None)  # fmt: skip
    return memorial


@transaction.atomic
def do_set_memorial_photo(actor: Actor, memorial: Memorial, *, photo: tuple[str, bytes] | None) -> MemorialPhoto:
    """Upload or replace the deceased's photo on the memorial page."""
    actor.require(MANAGE)
    check_division_in_scope(actor, memorial.division_code)
    memorial = Memorial.objects.select_for_update().get(pk=memorial.pk)
    errors: dict[str, str] = {}
    if photo is None:
        errors["photo"] = "请选择照片"
    cleaned = _clean_memorial_photo(photo, errors)
    if errors:
        raise ValidationFailed(errors)
    old = MemorialPhoto.objects.filter(memorial=memorial).first()
    if old is not None:
        _drop_photo_file(old)
        old.delete()
    row = MemorialPhoto.store(cleaned, division_code=memorial.division_code, memorial=memorial)
    _audit(actor, AuditAction.UPDATE, "funerals.memorial", memorial, memorial.division_code,
           f"{'更换' if old else '上传'}网上祭扫照片：殡葬服务记录 {memorial.record.number}")  # fmt: skip
    return row


@transaction.atomic
def do_remove_memorial_photo(actor: Actor, memorial: Memorial) -> None:
    actor.require(MANAGE)
    check_division_in_scope(actor, memorial.division_code)
    old = MemorialPhoto.objects.select_for_update().filter(memorial_id=memorial.pk).first()
    if old is None:
        raise DomainError("该纪念页没有照片", code="wrong_state")
    _drop_photo_file(old)
    old.delete()
    _audit(actor, AuditAction.DELETE, "funerals.memorial", memorial, memorial.division_code,
           f"删除网上祭扫照片：殡葬服务记录 {memorial.record.number}")  # fmt: skip


@transaction.atomic
def do_post_memorial_message(memorial: Memorial, *, author: str, text: str) -> MemorialMessage:
    """A visitor's message: kept back until staff approve it."""
    errors: dict[str, str] = {}
    if not memorial.is_open:
        raise DomainError("该纪念页已关闭", code="closed")
    if not (author or "").strip():
        errors["author"] = "请填写留言人"
    if not (text or "").strip():
        errors["text"] = "请填写留言内容"
    elif len(text.strip()) > 300:
        errors["text"] = "留言不能超过300字"
    if errors:
        raise ValidationFailed(errors)
    message = MemorialMessage.objects.create(
        memorial=memorial, division_code=memorial.division_code, author=author.strip()[:30], text=text.strip()
    )
    record_audit_event(
        Actor.system("网上祭扫留言"), AuditAction.CREATE, object_type="funerals.memorial_message", object_id=message.pk,
        division_code=memorial.division_code, summary="网上祭扫收到留言，待审核",
    )  # fmt: skip
    return message


@transaction.atomic
def do_moderate_message(actor: Actor, message: MemorialMessage, *, approve: bool) -> MemorialMessage:
    actor.require(MANAGE)
    check_division_in_scope(actor, message.division_code)
    if message.status != MessageStatus.PENDING:
        raise DomainError("该留言已审核", code="wrong_state")
    message.status = MessageStatus.APPROVED if approve else MessageStatus.REJECTED
    message.moderated_by_id = actor.user_id
    message.save(update_fields=["status", "moderated_by"])
    _audit(actor, AuditAction.UPDATE, "funerals.memorial_message", message, message.division_code,
           f"审核祭扫留言：{message.get_status_display()}")  # fmt: skip
    return message
