"""Changes to divisions: dated, so history is kept (a 乡 becoming a 镇 keeps its past)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import NotFound, ValidationFailed
from minzheng.divisions.directory import invalidate_directory
from minzheng.divisions.models import Division, Kind, Level, Zone
from minzheng.divisions.permissions import DivisionPerm


def _current(code: str) -> Division:
    division = Division.objects.select_for_update().filter(code=code, valid_to__isnull=True).first()
    if division is None:
        raise NotFound("区划不存在")
    return division


@transaction.atomic
def do_change_division(actor, code: str, *, name: str, kind: str, full_name: str = "", effective: dt.date, source: str) -> Division:
    """Close the current version the day before `effective` and open a new one."""
    actor.require(DivisionPerm.MANAGE_DIVISIONS)
    old = _current(code)
    errors = {}
    allowed = {Level.TOWN: {Kind.SUBDISTRICT, Kind.TOWN, Kind.TOWNSHIP}, Level.VILLAGE: {Kind.COMMUNITY, Kind.VILLAGE}}
    if kind not in allowed.get(old.level, {old.kind}):
        errors["kind"] = "区划类型与层级不符"
    if not name.strip() or len(name) > 60:
        errors["name"] = "名称不能为空且不超过60个字符"
    if old.valid_from and effective <= old.valid_from:
        errors["effective"] = "生效日期须晚于现行版本的生效日期"
    if not source.strip():
        errors["source"] = "请填写批准文号或依据"
    if errors:
        raise ValidationFailed(errors)
    old.valid_to = effective - dt.timedelta(days=1)
    old.save(update_fields=["valid_to"])
    new = Division.objects.create(
        code=old.code,
        name=name.strip(),
        full_name=full_name or name.strip(),
        level=old.level,
        kind=kind,
        parent_code=old.parent_code,
        zone=old.zone,
        zone_is_manual=old.zone_is_manual,
        valid_from=effective,
        source=source,
    )
    invalidate_directory()
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="division",
        object_id=code,
        division_code=code,
        summary=f"区划变更 {old.name}→{new.name}，{effective.isoformat()}起",
        changed_fields={"name": [old.name, new.name], "kind": [old.kind, new.kind]},
    )
    return new


@transaction.atomic
def do_set_division_zone(actor, code: str, *, zone: str) -> Division:
    """社区 default urban and 村 rural; an administrator may correct a village."""
    actor.require(DivisionPerm.MANAGE_DIVISIONS)
    if zone not in Zone.values:
        raise ValidationFailed({"zone": "城乡属性应为城镇或农村"})
    division = _current(code)
    if division.level != Level.VILLAGE:
        raise ValidationFailed({"zone": "城乡属性只设置到村（社区）"})
    before = division.zone
    division.zone, division.zone_is_manual = zone, True
    division.save(update_fields=["zone", "zone_is_manual"])
    invalidate_directory()
    record_audit_event(
        actor,
        AuditAction.UPDATE,
        object_type="division",
        object_id=code,
        division_code=code,
        summary=f"调整城乡属性 {division.name}",
        changed_fields={"zone": [before, zone]},
    )
    return division
