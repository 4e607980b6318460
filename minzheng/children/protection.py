"""Minors' protection cases (未成年人保护, service-lines §3): the 强制报告 (a form and the
exchange feed ``children_mandatory_report``), then the case-kit workflow
``workflow.PROTECTION``: 受理并紧急处置 → 调查评估 → 干预处置 (监护干预, or the district's
国家临时监护 / 国家长期监护 decision with its legal grounds) → 跟踪回访 → 结案; 转介 to other
departments at any open step.

Visibility: only staff holding ``HANDLE_PROTECTION`` (town officers and the district) of the
case's town and the district read a case — list, page, API, counts — and every read of one
case is audited. The reporter's contact is kept encrypted and never shown.

Deadlines (the kit's step limits, read from the dated parameters in ``params.py``): 受理并
紧急处置 on the day of the report (art. 11 "立即", provisional), 调查评估 none set (no source),
跟踪回访 every 30 days from entering the step or the last 回访 (the working default of monthly
visits, provisional). Past a deadline the case is 超期 on the workbench and only the district
takes the step (督办); a 回访 recorded late starts the next period.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import xlsxwriter

from django.db import transaction
from django.utils import timezone
from django.db.models import Count, Q, QuerySet

from minzheng.accounts.actor import Actor
from minzheng.accounts.scoping import access_by_id, check_division_in_scope
from minzheng.cases.models import CaseEvent
from minzheng.cases.actions import Step, do_transition, lock_case, record_event, update_case
from minzheng.cases.calendar import work_calendar
from minzheng.children import params
from minzheng.children.documents import add_documents
from minzheng.cases.workflow import MissingDocuments
from minzheng.children.enums import (
    ClosureReason,
    DocumentKind,
    Department,
    HarmKind,
    Intervention,
    LongTermGround,
    Placement93,
    ProtectionStatus,
    ReporterKind,
    RiskLevel,
    TemporaryGround,
)
from minzheng.children.models import ProtectionCase
from minzheng.children.permissions import ChildrenPerm
from minzheng.children.workflow import PROTECTION, PROTECTION_LIMITS
from minzheng.core import clock
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import encrypt_text
from minzheng.core.errors import DomainError, ValidationFailed
from minzheng.core.masking import mask_name
from minzheng.core.numbers import placeholder_number
from minzheng.divisions.directory import get_directory
from minzheng.divisions.models import Level as DivisionLevel
from minzheng.registry.models import Person


def _text(value, key: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationFailed({key: message})
    return text


# ----------------------------------------------------------------------------------------------
# Reads
# ----------------------------------------------------------------------------------------------


def list_protection_cases_for(
    actor: Actor, *, division_code: str | None = None, status: str | None = None, q: str = ""
) -> QuerySet[ProtectionCase]:
    """The cases protection staff of the actor's divisions handle; nothing for anyone else
    (a village worker — even the reporter — sees none). ``q``: a case number or a child's name."""
    if not actor.has(ChildrenPerm.HANDLE_PROTECTION):
        return ProtectionCase.objects.none()
    qs = ProtectionCase.objects.within(actor, division_code)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(child_name__icontains=q))
    if status == "open":
        qs = qs.exclude(status=ProtectionStatus.CLOSED)
    elif status:
        qs = qs.filter(status=status)
    return qs.order_by("-id")


def protection_counts(actor: Actor) -> dict[str, int]:
    counts = {s.value: 0 for s in ProtectionStatus}
    rows = list_protection_cases_for(actor).order_by().values("status").annotate(n=Count("id"))
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


EXPORT_HEADER = ("案件编号", "未成年人", "发生地", "报告主体", "侵害或危险情形", "报告时间", "状态", "本环节时限", "干预方式")


def export_protection_cases(actor: Actor, *, status: str | None = None, q: str = "") -> tuple[bytes, int]:
    """The list as an xlsx file (no reporter contact, no ID numbers); the export is audited."""
    directory = get_directory()
    rows = list(list_protection_cases_for(actor, status=status, q=q)[:5000])
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("未成年人保护案件")
    sheet.write_row(0, 0, EXPORT_HEADER)
    for i, c in enumerate(rows, start=1):
        sheet.write_row(i, 0, (
            c.number, c.child_name, directory.name(c.division_code), c.get_reporter_kind_display(),
            "、".join(HarmKind(h).label for h in c.harm_kinds if h in HarmKind.values),
            timezone.localtime(c.reported_at).strftime("%Y-%m-%d %H:%M"), c.get_status_display(),
            c.step_deadline_on.isoformat() if c.step_deadline_on and c.status != ProtectionStatus.CLOSED else "",
            c.get_intervention_display() if c.intervention else "",
        ))
    book.close()
    record_audit_event(
        actor, AuditAction.EXPORT, object_type="protection_case", object_id="", division_code=actor.scope_prefixes[0] if actor.scope_prefixes else "",
        summary=f"导出未成年人保护案件 {len(rows)} 件",
    )
    return buf.getvalue(), len(rows)


def protection_summary(actor: Actor) -> dict | None:
    """Open cases and those past their step's deadline, for protection staff only (None for
    anyone else: a village worker gets no count, not even zero)."""
    if not actor.has(ChildrenPerm.HANDLE_PROTECTION):
        return None
    open_cases = list_protection_cases_for(actor, status="open")
    return {
        "open": open_cases.count(),
        "overdue": open_cases.filter(step_deadline_on__lt=clock.today()).count(),
        "by_status": protection_counts(actor),
    }


def protection_history(case: ProtectionCase) -> QuerySet[CaseEvent]:
    return CaseEvent.objects.for_case(PROTECTION, case).order_by("occurred_at", "id")


def access_protection_case_by_id(actor: Actor, case_id: object) -> ProtectionCase:
    actor.require(ChildrenPerm.HANDLE_PROTECTION)
    case = access_by_id(ProtectionCase.objects.select_related("person"), actor, case_id)
    record_audit_event(
        actor, AuditAction.VIEW, object_type="protection_case", object_id=case.pk, division_code=case.division_code,
        summary=f"查看未成年人保护案件 {case.number}（{mask_name(case.child_name)}）",
    )
    return case


def deadline_info(case: ProtectionCase) -> dict | None:
    """The deadline of the case's current step for the screens: its label, the date (None:
    no value set — 未设定), whether it has passed, and whether its basis is provisional."""
    limit = PROTECTION_LIMITS.get(case.status)
    if limit is None:
        return None
    basis = params.protection_deadline(case.status, case.step_started_on or clock.today())
    on = case.step_deadline_on
    return {
        "label": limit.label, "on": on, "overdue": bool(on and clock.today() > on),
        "provisional": basis is None or basis.provisional,
    }


# ----------------------------------------------------------------------------------------------
# 强制报告
# ----------------------------------------------------------------------------------------------


@dataclass
class ReportInput:
    division_code: str
    child_name: str
    reporter_kind: str
    harm_kinds: list[str]
    description: str
    person_id: int | None = None
    child_description: str = ""
    reporter_unit: str = ""
    reporter_contact: str = ""
    reported_at: object = None
    extra: dict = field(default_factory=dict)


@transaction.atomic
def do_report_minor(actor: Actor, data: ReportInput) -> ProtectionCase:
    """A 强制报告 recorded (by the village or town from a phone call, a school's or hospital's
    letter, the police, the public; or a row of the feed)."""
    actor.require(ChildrenPerm.REPORT_MINOR)
    errors: dict[str, str] = {}
    info = get_directory().get(data.division_code or "")
    if info is None or info.level != DivisionLevel.VILLAGE:
        errors["division_code"] = "请选择发生地村（社区）"
    if data.reporter_kind not in ReporterKind.values:
        errors["reporter_kind"] = "请选择报告主体"
    if not data.harm_kinds or set(data.harm_kinds) - set(HarmKind.values):
        errors["harm_kinds"] = "请选择侵害或危险情形"
    if not (data.description or "").strip():
        errors["description"] = "请填写报告内容"
    person = None
    if data.person_id:
        try:
            person = access_by_id(Person.objects.all(), actor, data.person_id)
        except DomainError:
            errors["person_id"] = "未找到该人员，或该人员不在您的管辖范围内"
    if not (data.child_name or "").strip() and person is None:
        errors["child_name"] = "请填写未成年人姓名（不知道的填“不详”并描述特征）"
    if errors:
        raise ValidationFailed(errors)
    check_division_in_scope(actor, data.division_code)
    now = clock.now()
    reported_at = data.reported_at or now
    if reported_at > now:
        raise ValidationFailed({"reported_at": "报告时间不能晚于现在"})
    reported_on = min(timezone.localtime(reported_at).date(), clock.today())
    case = ProtectionCase.objects.create(
        number=placeholder_number(),
        person=person,
        child_name=(person.name if person else data.child_name.strip())[:50],
        child_description=(data.child_description or "").strip()[:200],
        division_code=data.division_code,
        reporter_kind=data.reporter_kind,
        reporter_unit=(data.reporter_unit or "").strip()[:80],
        reporter_contact_encrypted=encrypt_text(data.reporter_contact.strip()) if (data.reporter_contact or "").strip() else "",
        harm_kinds=list(dict.fromkeys(data.harm_kinds)),
        description=data.description.strip(),
        reported_at=reported_at,
        status=ProtectionStatus.REPORTED,
        step_started_on=clock.today(),
        # 受理并紧急处置: counted from the day of the report (a feed row may come later).
        step_deadline_on=PROTECTION_LIMITS[ProtectionStatus.REPORTED].deadline(reported_on, work_calendar()),
        created_by_id=actor.user_id,
    )
    case.number = f"WB{clock.today():%Y}{case.pk:06d}"
    ProtectionCase.objects.filter(pk=case.pk).update(number=case.number)
    record_event(actor, PROTECTION, case, action="report", label="强制报告", from_status="", to_status=ProtectionStatus.REPORTED)
    record_audit_event(
        actor, AuditAction.CREATE, object_type="protection_case", object_id=case.pk, division_code=case.division_code,
        summary=f"登记强制报告 {case.number}（{ReporterKind(data.reporter_kind).label}）",
    )
    return case


# ----------------------------------------------------------------------------------------------
# Steps
# ----------------------------------------------------------------------------------------------


@transaction.atomic
def do_accept_report(actor: Actor, case: ProtectionCase, *, expected_version: int, emergency_measures: str) -> ProtectionCase:
    def prepare(current, transition) -> Step:
        text = _text(emergency_measures, "emergency_measures", "请填写紧急处置措施（无需紧急处置的写明理由）")
        return Step(updates={"emergency_measures": text}, reason=text)

    return do_transition(actor, PROTECTION, case, "accept", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_assess_case(actor: Actor, case: ProtectionCase, *, expected_version: int, risk_level: str, assessment: str) -> ProtectionCase:
    def prepare(current, transition) -> Step:
        if risk_level not in RiskLevel.values:
            raise ValidationFailed({"risk_level": "请选择风险等级"})
        text = _text(assessment, "assessment", "请填写调查评估意见")
        return Step(updates={"risk_level": risk_level, "assessment": text}, reason=text, extra={"risk_level": risk_level})

    return do_transition(actor, PROTECTION, case, "assess", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_intervene(actor: Actor, case: ProtectionCase, *, expected_version: int, intervention: str, note: str) -> ProtectionCase:
    """干预处置 by the town or district: none needed (referral, guidance) or 监护干预."""

    def prepare(current, transition) -> Step:
        if intervention not in (Intervention.NONE, Intervention.GUARDIANSHIP_INTERVENTION):
            raise ValidationFailed({"intervention": "国家临时监护、长期监护须由区民政局作出决定"})
        text = _text(note, "note", "请填写干预措施")
        return Step(
            updates={"intervention": intervention, "intervention_decided_on": clock.today()},
            reason=f"{Intervention(intervention).label}：{text}", extra={"intervention": intervention},
        )

    return do_transition(actor, PROTECTION, case, "intervene", expected_version=expected_version, prepare=prepare)


@transaction.atomic
def do_decide_guardianship(
    actor: Actor, case: ProtectionCase, *, expected_version: int, intervention: str, grounds: list[str], placement: str = "", note: str = ""
) -> ProtectionCase:
    """国家临时监护 (art. 92 grounds, art. 93 placement) or 国家长期监护 (art. 94 grounds),
    decided by the district bureau; each decision names its legal grounds."""

    def prepare(current, transition) -> Step:
        if intervention == Intervention.TEMPORARY_GUARDIANSHIP:
            allowed, label = set(TemporaryGround.values), "第九十二条"
            if placement not in Placement93.values:
                raise ValidationFailed({"placement": "请选择临时监护的安置方式"})
        elif intervention == Intervention.LONG_TERM_GUARDIANSHIP:
            allowed, label = set(LongTermGround.values), "第九十四条"
        else:
            raise ValidationFailed({"intervention": "请选择国家临时监护或国家长期监护"})
        if not grounds or set(grounds) - allowed:
            raise ValidationFailed({"grounds": f"请选择《未成年人保护法》{label}规定的情形"})
        if LongTermGround.COURT_APPOINTED in grounds and DocumentKind.COURT_JUDGMENT not in current.documents:
            # art. 94(4): the court's judgment is the ground itself — it must be on the case.
            raise MissingDocuments(transition.label, [DocumentKind.COURT_JUDGMENT.label])
        if current.status == ProtectionStatus.FOLLOW_UP and not (
            current.intervention == Intervention.TEMPORARY_GUARDIANSHIP and intervention == Intervention.LONG_TERM_GUARDIANSHIP
        ):
            raise DomainError("跟踪回访中只能由国家临时监护转为国家长期监护", code="wrong_state")
        return Step(
            updates={
                "intervention": intervention, "guardianship_grounds": list(dict.fromkeys(grounds)),
                "placement": placement if intervention == Intervention.TEMPORARY_GUARDIANSHIP else current.placement,
                "intervention_decided_on": clock.today(),
            },
            reason=f"{Intervention(intervention).label}{('：' + note.strip()) if (note or '').strip() else ''}",
            extra={"intervention": intervention, "grounds": list(grounds)},
        )

    return do_transition(actor, PROTECTION, case, "guardianship", expected_version=expected_version, prepare=prepare)


def _in_state_write(actor, case, expected_version, *, action: str, label: str, key: str, entry: dict, reason: str, more: dict | None = None):
    actor.require(ChildrenPerm.HANDLE_PROTECTION)
    current = lock_case(actor, PROTECTION, case, expected_version)
    if current.status == ProtectionStatus.CLOSED:
        raise DomainError("案件已结案", code="wrong_state")
    entries = [*getattr(current, key), entry]
    update_case(actor, PROTECTION, current, action=action, label=label, reason=reason, updates={key: entries, **(more or {})})
    record_audit_event(
        actor, AuditAction.UPDATE, object_type="protection_case", object_id=current.pk, division_code=current.division_code,
        summary=f"{label}：{current.number}",
    )
    current.refresh_from_db()
    return current


@transaction.atomic
def do_refer_case(actor: Actor, case: ProtectionCase, *, expected_version: int, department: str, note: str) -> ProtectionCase:
    """转介 to another department at any open step."""
    if department not in Department.values:
        raise ValidationFailed({"department": "请选择转介部门"})
    text = _text(note, "note", "请填写转介事项")
    entry = {"on": clock.today().isoformat(), "department": department, "label": Department(department).label, "note": text, "by": actor.display_name}
    return _in_state_write(actor, case, expected_version, action="refer", label=f"转介{Department(department).label}", key="referrals", entry=entry, reason=text)


@transaction.atomic
def do_add_case_documents(actor: Actor, case: ProtectionCase, *, expected_version: int, documents: list[str]) -> ProtectionCase:
    """登记材料 received for the case (a court's judgment for 国家长期监护 on art. 94(4))."""
    actor.require(ChildrenPerm.HANDLE_PROTECTION)
    return add_documents(
        actor, PROTECTION, case, expected_version=expected_version, documents=documents,
        allowed={DocumentKind.COURT_JUDGMENT.value}, open_states=PROTECTION.open_states, label="登记材料",
        closed_message="案件已结案",
    )


@transaction.atomic
def do_record_follow_up(actor: Actor, case: ProtectionCase, *, expected_version: int, note: str) -> ProtectionCase:
    text = _text(note, "note", "请填写回访情况")
    if case.status != ProtectionStatus.FOLLOW_UP:
        raise DomainError("案件在跟踪回访环节方可记录回访", code="wrong_state")
    today = clock.today()
    entry = {"on": today.isoformat(), "note": text, "by": actor.display_name}
    # The next 回访 is due one period after this one (no deadline where none is set).
    next_due = PROTECTION_LIMITS[ProtectionStatus.FOLLOW_UP].deadline(today, work_calendar())
    return _in_state_write(actor, case, expected_version, action="follow_up", label="跟踪回访", key="follow_ups", entry=entry,
                           reason=text, more={"step_deadline_on": next_due})


@transaction.atomic
def do_close_case(actor: Actor, case: ProtectionCase, *, expected_version: int, closure_reason: str, note: str = "") -> ProtectionCase:
    def prepare(current, transition) -> Step:
        if closure_reason not in ClosureReason.values:
            raise ValidationFailed({"closure_reason": "请选择结案原因"})
        if current.status == ProtectionStatus.ASSESSING and closure_reason != ClosureReason.UNFOUNDED:
            raise ValidationFailed({"closure_reason": "调查评估环节只能以“报告不属实”结案"})
        if current.intervention == Intervention.TEMPORARY_GUARDIANSHIP and closure_reason == ClosureReason.SAFE:
            raise ValidationFailed({"closure_reason": "国家临时监护的案件须经评估送回监护人或转入长期监护后结案"})
        return Step(
            updates={"closure_reason": closure_reason, "closed_on": clock.today()},
            reason=f"{ClosureReason(closure_reason).label}{('：' + note.strip()) if (note or '').strip() else ''}",
        )

    return do_transition(actor, PROTECTION, case, "close", expected_version=expected_version, prepare=prepare)
