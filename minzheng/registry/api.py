"""/api/v1/death-reports — the department death reports waiting for the village's check
(ADR 0004): list those in scope, read one, confirm, refute. Scoped as the screens: another
village's or town's report is a 404."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from minzheng.core.api_errors import BodyIn
from minzheng.accounts.scoping import Division
from minzheng.registry.access import access_death_report_by_id
from minzheng.registry.actions import do_confirm_death_report, do_refute_death_report
from minzheng.registry.enums import DeathReportStatus
from minzheng.registry.selectors import list_death_reports_for

router = Router(tags=["人口与家庭"])
MAX_RESULTS = 200


class EffectOut(Schema):
    line: str
    label: str
    text: str


class DeathReportOut(Schema):
    id: int
    person_id: int
    person_name: str
    id_number: str  # masked
    division_code: str
    death_date: dt.date
    source: str
    source_label: str
    reference: str
    status: str
    status_label: str
    reported_at: dt.datetime
    decided_by_name: str
    decided_at: dt.datetime | None
    reason: str
    effects: list[EffectOut]
    version: int


class ConfirmIn(BodyIn):
    note: str = ""
    version: int | None = None


class RefuteIn(BodyIn):
    reason: str = ""
    version: int | None = None


def report_out(r) -> dict:
    return {
        "id": r.pk,
        "person_id": r.person_id,
        "person_name": r.person.name,
        "id_number": r.person.id_number_masked,
        "division_code": r.division_code,
        "death_date": r.death_date,
        "source": r.source,
        "source_label": r.get_source_display(),
        "reference": r.reference,
        "status": r.status,
        "status_label": r.get_status_display(),
        "reported_at": r.reported_at,
        "decided_by_name": r.decided_by_name,
        "decided_at": r.decided_at,
        "reason": r.reason,
        "effects": [e for step in ("report", "confirm", "refute") for e in (r.effects or {}).get(step, [])],
        "version": r.version,
    }


@router.get("", response=list[DeathReportOut])
def list_reports(request, status: str = DeathReportStatus.PENDING.value, division: Division = ""):
    """Pending reports by default; ``status=confirmed|refuted`` for decided ones, ``status=`` for all."""
    qs = list_death_reports_for(request.actor, status=status or None, division_code=division or None)
    return [report_out(r) for r in qs[:MAX_RESULTS]]


@router.get("/{report_id}", response=DeathReportOut)
def get_report(request, report_id: int):
    return report_out(access_death_report_by_id(request.actor, report_id))


@router.post("/{report_id}/confirm", response=DeathReportOut)
def confirm(request, report_id: int, data: ConfirmIn):
    report = do_confirm_death_report(request.actor, report_id, expected_version=data.version, note=data.note)
    return report_out(report)


@router.post("/{report_id}/refute", response=DeathReportOut)
def refute(request, report_id: int, data: RefuteIn):
    report = do_refute_death_report(request.actor, report_id, reason=data.reason, expected_version=data.version)
    return report_out(report)
