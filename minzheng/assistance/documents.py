"""Printable documents as A4 PDF (WeasyPrint + Noto CJK): approval notice, refusal letter,
public notice. Each print is audited. The same explanation the screen shows (the rules
engine's conditions, values, thresholds, 参数待确认) goes into the letter."""

from __future__ import annotations

import re

from django.template.loader import render_to_string

from minzheng.accounts.actor import Actor
from minzheng.assistance.enums import Level, Program
from minzheng.assistance.models import Application, Decision
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError
from minzheng.divisions.directory import get_directory

_MONEY = re.compile(r"^-?\d+\.\d{2}$")

DISTRICT_ORG = "重庆市涪陵区民政局"


def render_pdf(template: str, context: dict) -> bytes:
    # local import: WeasyPrint loads Pango and its fonts (about a second); only PDF rendering needs it.
    from weasyprint import HTML

    html = render_to_string(template, context)
    return HTML(string=html).write_pdf()


def format_value(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict) and {"min", "max"} <= set(value):
        return f"{format_value(value['min'])}～{format_value(value['max'])}"
    if isinstance(value, (list, tuple)) and len(value) == 2:
        return f"{format_value(value[0])}～{format_value(value[1])}"
    text = str(value)
    if _MONEY.match(text):
        return f"{text} 元"
    return text


def explain(conditions: list[dict]) -> list[dict]:
    """Conditions with display text for value and threshold."""
    return [
        {
            **c,
            "value_text": format_value(c.get("value")),
            "threshold_text": format_value(c.get("threshold")),
        }
        for c in conditions
    ]


def org_name(code: str) -> str:
    directory = get_directory()
    info = directory.get(code)
    if info is None:
        return code
    if info.kind == "街道":
        return f"{info.name}办事处"
    return f"{info.name}人民政府"


def _common(application: Application) -> tuple[dict, Decision]:
    decision = application.decisions.filter(stage="final").order_by("-id").first()
    if decision is None:
        raise DomainError("尚未作出确认决定", code="no_decision")
    directory = get_directory()
    town = directory.town_of(application.division_code)
    subject = application.person if application.subject_kind == "person" else (application.household.head if application.household and application.household.head_id else application.applicant)
    confirm_org = DISTRICT_ORG if application.confirm_level == Level.DISTRICT else org_name(application.division_code[:9])
    conditions = explain(decision.result.get("conditions", []))
    return (
        {
            "app": application,
            "decision": decision,
            "program_label": Program(application.program).label,
            "payee_name": subject.name,
            "payee_id_masked": subject.id_number_masked,
            "town_name": org_name(application.division_code[:9]) if town else "乡镇（街道）",
            "confirm_org": confirm_org,
            "conditions": conditions,
            "failed": [c for c in conditions if c.get("passed") is False],
            "lines": decision.result.get("lines", []),
            "provisional": any(c.get("provisional") for c in conditions),
            "is_temporary": application.program == Program.TEMPORARY,
        },
        decision,
    )


def decision_notice_pdf(actor: Actor, application: Application) -> bytes:
    if application.approved_amount_fen is None or application.refusal_reasons:
        raise DomainError("该申请未予批准，请打印不予保障决定书", code="wrong_state")
    context, decision = _common(application)
    enrolment = application.enrolments.order_by("id").first()
    context.update(
        title=f"准予{context['program_label']}决定书",
        heading=f"准予{context['program_label']}决定书" if application.program != Program.TEMPORARY else "临时救助审批决定书",
        amount=application.approved_amount_fen,
        people=enrolment.people_covered if enrolment else len(decision.facts.get("household", {}).get("members", [])),
        start_month=enrolment.start_month if enrolment else None,
    )
    pdf = render_pdf("assistance/pdf/decision_notice.html", context)
    _audit_print(actor, application, "准予保障决定书")
    return pdf


def refusal_letter_pdf(actor: Actor, application: Application) -> bytes:
    if not application.refusal_reasons:
        raise DomainError("该申请未作出不予保障决定", code="wrong_state")
    context, _ = _common(application)
    context.update(title=f"不予{context['program_label']}决定书", heading=f"不予{context['program_label']}决定书")
    pdf = render_pdf("assistance/pdf/refusal_letter.html", context)
    _audit_print(actor, application, "不予保障决定书")
    return pdf


def _audit_print(actor: Actor, application: Application, what: str) -> None:
    record_audit_event(
        actor,
        AuditAction.PRINT,
        object_type="application",
        object_id=application.pk,
        division_code=application.division_code,
        summary=f"打印{what}：{application.number}",
    )
