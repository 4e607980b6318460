"""Printable documents as A4 PDF (WeasyPrint + Noto CJK, as assistance's): the 收养登记证, the
不予登记决定书 naming every unmet condition, and the 收养评估报告. Each print is audited. The
birth parents are never printed (service-lines §2: kept out of the adopters' views)."""

from __future__ import annotations

from django.template.loader import render_to_string

from minzheng.accounts.actor import Actor
from minzheng.adoption.enums import ASSESSMENT_SECTIONS, Status
from minzheng.adoption.models import Adoption, Assessment
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError
from minzheng.divisions.directory import get_directory


def render_pdf(template: str, context: dict) -> bytes:
    # local import: WeasyPrint loads Pango and its fonts (about a second); only PDF rendering needs it.
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def registry_office() -> str:
    return f"重庆市{get_directory().name(district_code())}民政局"


def _people(adoption: Adoption) -> dict:
    return {
        "a": adoption,
        "adopters": [p for p in (adoption.adopter, adoption.co_adopter) if p is not None],
        "child": adoption.child,
        "office": registry_office(),
    }


def certificate_pdf(actor: Actor, adoption: Adoption) -> bytes:
    if adoption.status not in (Status.REGISTERED, Status.DISSOLVED) or not adoption.certificate_number:
        raise DomainError("该收养尚未登记，不能打印收养登记证", code="wrong_state")
    pdf = render_pdf("adoption/pdf/certificate.html", {**_people(adoption), "title": "收养登记证"})
    _audit(actor, adoption, "收养登记证")
    return pdf


def refusal_pdf(actor: Actor, adoption: Adoption) -> bytes:
    if adoption.status != Status.REFUSED:
        raise DomainError("该收养登记申请未作出不予登记决定", code="wrong_state")
    pdf = render_pdf("adoption/pdf/refusal.html", {**_people(adoption), "title": "不予办理收养登记决定书"})
    _audit(actor, adoption, "不予办理收养登记决定书")
    return pdf


def assessment_pdf(actor: Actor, assessment: Assessment) -> bytes:
    adoption = assessment.adoption
    sections = [(label, assessment.sections.get(key, "")) for key, label in ASSESSMENT_SECTIONS]
    pdf = render_pdf(
        "adoption/pdf/assessment.html",
        {**_people(adoption), "title": "收养评估报告", "s": assessment, "sections": sections},
    )
    _audit(actor, adoption, "收养评估报告")
    return pdf


def _audit(actor: Actor, adoption: Adoption, what: str) -> None:
    record_audit_event(
        actor, AuditAction.PRINT, object_type="adoption", object_id=adoption.pk, division_code=adoption.division_code,
        summary=f"打印{what}：{adoption.number}",
    )  # fmt: skip
