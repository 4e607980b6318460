"""Every write of the place-name and boundary line: named, atomic, audited ``do_*`` actions.
Refusals are Chinese ``ValidationFailed({field: message})`` and write nothing."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import check_division_in_scope
from minzheng.cases.actions import Step, do_transition, record_event
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DuplicateValue, PermissionDenied, ValidationFailed
from minzheng.divisions.actions import do_change_division
from minzheng.divisions.directory import get_directory
from minzheng.placenames.access import access_case_by_id, access_line_by_id, access_marker_by_id, access_place_by_id
from minzheng.placenames.enums import (
    CaseKind,
    Category,
    ChangeStatus,
    DocumentKind,
    LineLevel,
    MarkerCondition,
    NameStatus,
    NamingStatus,
)
from minzheng.placenames.geometry import check_geometry, in_bbox
from minzheng.placenames.models import BoundaryLine, DivisionChange, Inspection, Marker, NamingCase, NamingDocument, PlaceName
from minzheng.placenames.permissions import PlaceNamePerm
from minzheng.placenames.workflow import CHANGE_WORKFLOW, NAMING_WORKFLOW

_PINYIN_LETTERS = "A-Za-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüĀÁǍÀĒÉĚÈĪÍǏÌŌÓǑÒŪÚǓÙ"
# Letters with tone marks, spaces, the apostrophe (隔音符号) and hyphens, at least one letter.
PINYIN_PATTERN = rf"^[{_PINYIN_LETTERS}' \-]*[{_PINYIN_LETTERS}][{_PINYIN_LETTERS}' \-]*$"
PINYIN = re.compile(PINYIN_PATTERN)


def _audit(actor: Actor, action: str, object_type: str, obj, summary: str) -> None:
    record_audit_event(actor, action, object_type=object_type, object_id=obj.pk, division_code=obj.division_code, summary=summary)


def _division(actor: Actor, code: str, errors: dict, field: str = "division_code") -> None:
    if get_directory().get(code or "") is None or len(code) not in (9, 12):
        errors[field] = "请选择乡镇（街道）或村（社区）"
        return
    check_division_in_scope(actor, code)


def _date(value, errors: dict, field: str, label: str) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value or ""))
    except ValueError:
        errors[field] = f"请填写{label}（年-月-日）"
        return None


def duplicate_of(name: str, category: str, division_code: str, *, exclude_id: int | None = None) -> PlaceName | None:
    """A standard or proposed name of the same category in the same town (乡镇（街道）): 同一乡镇
    同类地名不得重名."""
    qs = PlaceName.objects.filter(name=name, category=category, division_code__startswith=division_code[:9]).exclude(status=NameStatus.RETIRED)
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.first()


def _name_fields(name: str, pinyin: str, category: str, geometry, errors: dict) -> tuple[str, str]:
    name, pinyin = (name or "").strip(), " ".join((pinyin or "").split())
    if not name:
        errors["name"] = "请填写名称"
    elif len(name) > 60:
        errors["name"] = "名称不能超过60个字"
    if not pinyin:
        errors["pinyin"] = "请填写汉语拼音"
    elif not PINYIN.match(pinyin):
        errors["pinyin"] = "汉语拼音只能包含拼音字母、声调、空格和隔音符号"
    if category not in Category.values:
        errors["category"] = "请选择类别"
    reason = check_geometry(geometry)
    if reason:
        errors["geometry"] = reason
    return name, pinyin


@transaction.atomic
def do_register_place(actor: Actor, *, division_code: str, category: str, name: str, pinyin: str, meaning: str = "",
                      history: str = "", geometry=None, approved_on=None, approval_no: str = "") -> PlaceName:
    """Enter an existing standard name in the register (the survey's records: 第二次全国地名普查)."""
    actor.require(PlaceNamePerm.MANAGE_PLACENAMES)
    errors: dict[str, str] = {}
    _division(actor, division_code, errors)
    name, pinyin = _name_fields(name, pinyin, category, geometry, errors)
    day = _date(approved_on, errors, "approved_on", "批准日期") if approved_on else None
    if errors:
        raise ValidationFailed(errors)
    dup = duplicate_of(name, category, division_code)
    if dup is not None:
        raise DuplicateValue({"name": f"同一乡镇（街道）已有同类地名“{dup.name}”，不能重名"})
    place = PlaceName.objects.create(division_code=division_code, category=category, name=name, pinyin=pinyin, meaning=meaning.strip(),
                                     history=history.strip(), geometry=geometry or None, approved_on=day, approval_no=approval_no.strip())  # fmt: skip
    _audit(actor, AuditAction.CREATE, "placenames.place", place, f"登记地名：{name}（{Category(category).label}）")
    return place


@transaction.atomic
def do_list_heritage(actor: Actor, place_id, *, listed_on, note: str) -> PlaceName:
    """Put a name on the district's 地名文化遗产（历史地名）保护名录."""
    actor.require(PlaceNamePerm.APPROVE_PLACENAMES)
    if actor.level != "district":
        raise PermissionDenied("地名文化遗产名录由区民政局发布")
    place = access_place_by_id(actor, place_id, for_update=True)
    errors: dict[str, str] = {}
    day = _date(listed_on, errors, "listed_on", "列入日期")
    if day and day > clock.today():
        errors["listed_on"] = "列入日期不能晚于今天"
    if not (note or "").strip():
        errors["note"] = "请填写文化价值"
    if place.heritage:
        errors["listed_on"] = "该地名已列入名录"
    if errors:
        raise ValidationFailed(errors)
    place.heritage, place.heritage_listed_on, place.heritage_note = True, day, note.strip()
    place.save(update_fields=["heritage", "heritage_listed_on", "heritage_note"])
    _audit(actor, AuditAction.UPDATE, "placenames.place", place, f"列入地名文化遗产名录：{place.name}")
    return place


@transaction.atomic
def do_apply_naming(actor: Actor, *, division_code: str, category: str, name: str, pinyin: str, applicant: str, meaning: str = "",
                    geometry=None, place_id=None) -> NamingCase:
    """A naming (or, with ``place_id``, renaming) application; it starts 已申请."""
    actor.require(PlaceNamePerm.MANAGE_PLACENAMES)
    errors: dict[str, str] = {}
    place = access_place_by_id(actor, place_id) if place_id else None
    if place is not None:
        division_code, category = place.division_code, place.category
        if place.status != NameStatus.STANDARD:
            errors["place"] = "只能更名现行标准地名"
    _division(actor, division_code, errors)
    name, pinyin = _name_fields(name, pinyin, category, geometry, errors)
    if not (applicant or "").strip():
        errors["applicant"] = "请填写申请单位"
    if not errors:
        dup = duplicate_of(name, category, division_code)
        if dup is not None:
            errors["name"] = f"同一乡镇（街道）已有同类地名“{dup.name}”，不能重名"
        elif NamingCase.objects.filter(proposed_name=name, category=category, division_code__startswith=division_code[:9],
                                       status__in=[NamingStatus.APPLIED, NamingStatus.REVIEWED, NamingStatus.NOTICED, NamingStatus.APPROVED]).exists():  # fmt: skip
            errors["name"] = "同一乡镇（街道）已有该名称的命名申请在办理中"
    if errors:
        raise ValidationFailed(errors)
    case = NamingCase.objects.create(
        division_code=division_code, kind=CaseKind.RENAMING if place else CaseKind.NAMING, place=place, category=category,
        proposed_name=name, pinyin=pinyin, meaning=(meaning or "").strip(), geometry=geometry or (place.geometry if place else None),
        applicant=applicant.strip()[:100], applied_on=clock.today(), status=NamingStatus.APPLIED, step_started_on=clock.today(),
    )  # fmt: skip
    record_event(actor, NAMING_WORKFLOW, case, action="create", label="提交申请", from_status="", to_status=case.status)
    _audit(actor, AuditAction.CREATE, "placenames.naming", case, f"地名{case.get_kind_display()}申请：{name}")
    return case


@transaction.atomic
def do_attach_document(actor: Actor, case: NamingCase, *, kind: str, title: str, number: str = "", dated=None) -> NamingDocument:
    actor.require(PlaceNamePerm.MANAGE_PLACENAMES)
    case = access_case_by_id(actor, case.pk)
    errors: dict[str, str] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = "请选择材料类型"
    if not (title or "").strip():
        errors["title"] = "请填写标题"
    day = _date(dated or clock.today(), errors, "dated", "日期")
    if day and day > clock.today():
        errors["dated"] = "日期不能晚于今天"
    if case.status in (NamingStatus.ANNOUNCED, NamingStatus.REFUSED):
        errors["kind"] = "办理已结束，不能再添加材料"
    if errors:
        raise ValidationFailed(errors)
    doc = NamingDocument.objects.create(case=case, division_code=case.division_code, kind=kind, title=title.strip()[:200],
                                        number=(number or "").strip()[:60], dated=day)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "placenames.naming", case, f"添加材料：{DocumentKind(kind).label}")
    return doc


def take_naming_step(actor: Actor, case: NamingCase, action: str, *, expected_version: int, reason: str = "",
                     notice_days: int | None = None) -> NamingCase:
    """专家论证 (review), 社会公示 (notice), 批准 (approve), 公告 (announce), 不予批准 (refuse)."""

    def prepare(current: NamingCase, transition) -> Step:
        today = clock.today()
        if transition.action == "notice":
            return Step(updates={"notice_from": today})
        if transition.action == "approve":
            dup = duplicate_of(current.proposed_name, current.category, current.division_code,
                               exclude_id=current.place_id)  # fmt: skip
            if dup is not None:
                raise ValidationFailed({"name": f"同一乡镇（街道）已有同类地名“{dup.name}”，不能重名"})
            approval = current.documents.filter(kind=DocumentKind.APPROVAL).order_by("-id").first()
            return Step(updates={"notice_to": today, "approval_no": approval.number if approval else "", "approved_on": today})
        if transition.action == "announce":
            dup = duplicate_of(current.proposed_name, current.category, current.division_code, exclude_id=current.place_id)
            if dup is not None:
                raise ValidationFailed({"name": f"同一乡镇（街道）已有同类地名“{dup.name}”，不能重名"})
            history = ""
            if current.place_id:
                old = PlaceName.objects.select_for_update().get(pk=current.place_id)
                old.status = NameStatus.RETIRED
                old.save(update_fields=["status"])
                history = f"原名{old.name}，{today.isoformat()}更名。{old.history}".strip()
            new = PlaceName.objects.create(
                division_code=current.division_code, category=current.category, name=current.proposed_name, pinyin=current.pinyin,
                meaning=current.meaning, history=history, geometry=current.geometry, status=NameStatus.STANDARD,
                approved_on=current.approved_on, approval_no=current.approval_no,
            )  # fmt: skip
            return Step(updates={"announced_on": today, "result_id": new.pk})
        return Step()

    return do_transition(actor, NAMING_WORKFLOW, case, action, expected_version=expected_version, reason=reason, prepare=prepare)


# --- boundaries ------------------------------------------------------------------------------------


@transaction.atomic
def do_register_line(actor: Actor, *, division_code: str, level: str, name: str, parties: str, agreement: str = "",
                     agreement_on=None, length_km=None, geometry=None) -> BoundaryLine:
    actor.require(PlaceNamePerm.MANAGE_PLACENAMES)
    errors: dict[str, str] = {}
    if level not in LineLevel.values:
        errors["level"] = "请选择界线级别"
    expected = 6 if level == LineLevel.DISTRICT else 9
    if get_directory().get(division_code or "") is None or len(division_code) != expected:
        errors["division_code"] = "区（县）级界线由区管理；乡镇界线请选择乡镇（街道）"
    else:
        check_division_in_scope(actor, division_code)
    if not (name or "").strip():
        errors["name"] = "请填写界线名称"
    elif BoundaryLine.objects.filter(name=name.strip()).exists():
        errors["name"] = "该界线已登记"
    if not (parties or "").strip():
        errors["parties"] = "请填写毗邻双方"
    day = _date(agreement_on, errors, "agreement_on", "协议签订日期") if agreement_on else None
    reason = check_geometry(geometry)
    if reason:
        errors["geometry"] = reason
    if errors:
        raise ValidationFailed(errors)
    line = BoundaryLine.objects.create(division_code=division_code, level=level, name=name.strip(), parties=parties.strip(),
                                       agreement=(agreement or "").strip(), agreement_on=day, length_km=length_km, geometry=geometry or None)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "placenames.line", line, f"登记界线：{line.name}")
    return line


def _coordinate(value, errors: dict, field: str, label: str) -> Decimal | None:
    try:
        number = Decimal(str(value).strip()).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = f"{label}须为数字"
        return None
    return number


@transaction.atomic
def do_save_marker(actor: Actor, *, line_id, number: str, lon, lat, condition: str = MarkerCondition.GOOD,
                   installed_on=None, marker_id=None) -> Marker:
    """Register a marker (界桩) of a line the actor manages, or correct one (``marker_id``)."""
    actor.require(PlaceNamePerm.MANAGE_PLACENAMES)
    line = access_line_by_id(actor, line_id)
    marker = access_marker_by_id(actor, marker_id, for_update=True) if marker_id else None
    errors: dict[str, str] = {}
    number = (number or "").strip()
    if not number:
        errors["number"] = "请填写界桩编号"
    elif len(number) > 30:
        errors["number"] = "界桩编号不能超过30个字符"
    x = _coordinate(lon, errors, "lon", "经度")
    y = _coordinate(lat, errors, "lat", "纬度")
    if x is not None and y is not None and not in_bbox(x, y):
        errors["lon"] = "界桩坐标不在涪陵区范围内（经度、纬度超出区界外接矩形）"
    if condition not in MarkerCondition.values:
        errors["condition"] = "请选择界桩状况"
    day = _date(installed_on, errors, "installed_on", "埋设日期") if installed_on else None
    if errors:
        raise ValidationFailed(errors)
    if line.markers.filter(number=number).exclude(pk=marker.pk if marker else None).exists():
        raise DuplicateValue({"number": "该界线已有此编号的界桩"})
    values = dict(number=number, lon=x, lat=y, condition=condition, installed_on=day)
    if marker is None:
        marker = Marker.objects.create(line=line, division_code=line.division_code, **values)
        _audit(actor, AuditAction.CREATE, "placenames.marker", marker, f"登记界桩：{line.name} {number}")
    else:
        for k, v in values.items():
            setattr(marker, k, v)
        marker.save()
        _audit(actor, AuditAction.UPDATE, "placenames.marker", marker, f"修改界桩：{line.name} {number}（{MarkerCondition(condition).label}）")
    return marker


@transaction.atomic
def do_record_inspection(actor: Actor, *, line_id, year: int, inspected_on, findings: str = "", repairs: str = "",
                         markers_repaired: int = 0) -> Inspection:
    """A 联检 of a line in a year (every 5 years per line; earlier after floods or road changes)."""
    actor.require(PlaceNamePerm.MANAGE_PLACENAMES)
    line = access_line_by_id(actor, line_id)
    errors: dict[str, str] = {}
    day = _date(inspected_on, errors, "inspected_on", "联检日期")
    if day and day > clock.today():
        errors["inspected_on"] = "联检日期不能晚于今天"
    if day and day.year != year:
        errors["year"] = "联检年度须与联检日期的年份一致"
    if not isinstance(markers_repaired, int) or markers_repaired < 0:
        errors["markers_repaired"] = "修复界桩数不能为负数"
    if not errors and line.inspections.filter(year=year).exists():
        errors["year"] = f"{year}年的联检已登记"
    if errors:
        raise ValidationFailed(errors)
    inspection = Inspection.objects.create(line=line, division_code=line.division_code, year=year, inspected_on=day,
                                           findings=findings.strip(), repairs=repairs.strip(), markers_repaired=markers_repaired)  # fmt: skip
    _audit(actor, AuditAction.CREATE, "placenames.inspection", inspection, f"{line.name} {year}年联检")
    return inspection


# --- division changes ----------------------------------------------------------------------------


@transaction.atomic
def do_apply_division_change(actor: Actor, *, division_code: str, new_name: str, new_kind: str, effective, reason: str) -> DivisionChange:
    actor.require(PlaceNamePerm.MANAGE_PLACENAMES)
    errors: dict[str, str] = {}
    if get_directory().get(division_code or "") is None or len(division_code) not in (9, 12):
        errors["division_code"] = "请选择乡镇（街道）或村（社区）"
    else:
        check_division_in_scope(actor, division_code)
    if not (new_name or "").strip():
        errors["new_name"] = "请填写新名称"
    if not (new_kind or "").strip():
        errors["new_kind"] = "请选择区划类型"
    day = _date(effective, errors, "effective", "生效日期")
    if day and day <= clock.today():
        errors["effective"] = "生效日期须晚于今天"
    if not (reason or "").strip():
        errors["reason"] = "请填写变更理由"
    if errors:
        raise ValidationFailed(errors)
    change = DivisionChange.objects.create(division_code=division_code, new_name=new_name.strip(), new_kind=new_kind, effective=day,
                                           reason=reason.strip(), applied_on=clock.today(), status=ChangeStatus.APPLIED,
                                           step_started_on=clock.today())  # fmt: skip
    record_event(actor, CHANGE_WORKFLOW, change, action="create", label="申报", from_status="", to_status=change.status)
    _audit(actor, AuditAction.CREATE, "placenames.division_change", change, f"申报区划变更：{new_name}")
    return change


def take_change_step(actor: Actor, change: DivisionChange, action: str, *, expected_version: int, reason: str = "",
                     approval_no: str = "", approved_on=None) -> DivisionChange:
    """批准 (the approval document's number and date), 登记生效 (the dated change of the division
    tree through divisions' own action), 未获批准."""

    def prepare(current: DivisionChange, transition) -> Step:
        if transition.action == "approve":
            errors: dict[str, str] = {}
            if not (approval_no or "").strip():
                errors["approval_no"] = "请填写批准文号"
            day = _date(approved_on, errors, "approved_on", "批准日期")
            if day and day > clock.today():
                errors["approved_on"] = "批准日期不能晚于今天"
            if errors:
                raise ValidationFailed(errors)
            return Step(updates={"approval_no": approval_no.strip()[:100], "approved_on": day})
        if transition.action == "record":
            version = do_change_division(actor, current.division_code, name=current.new_name, kind=current.new_kind,
                                         effective=current.effective, source=f"{current.approval_no}（{current.approved_on.isoformat()}）")  # fmt: skip
            return Step(updates={"recorded_version_id": version.pk})
        return Step()

    return do_transition(actor, CHANGE_WORKFLOW, change, action, expected_version=expected_version, reason=reason, prepare=prepare)
