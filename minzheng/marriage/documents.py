"""The printable 结婚登记 certificate record (结婚登记审查处理表 and certificate data) as A4 PDF,
WeasyPrint + Noto CJK as the other lines' documents. Each print is audited."""

from __future__ import annotations

from django.template.loader import render_to_string

from minzheng.accounts.actor import Actor
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.district import district_code
from minzheng.core.errors import DomainError
from minzheng.divisions.directory import get_directory
from minzheng.marriage.enums import MarriageStatus


def render_pdf(template: str, context: dict) -> bytes:
    # local import: WeasyPrint loads Pango and its fonts (about a second); only PDF rendering needs it.
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf()


def registry_office() -> str:
    return f"重庆市{get_directory().name(district_code())}民政局婚姻登记处"


def certificate_pdf(actor: Actor, marriage) -> bytes:
    if marriage.status != MarriageStatus.REGISTERED:
        raise DomainError("该结婚申请尚未登记，不能打印结婚登记证书记录", code="wrong_state")
    pdf = render_pdf("marriage/pdf/certificate.html", {"m": marriage, "office": registry_office(), "title": "结婚登记证书记录"})
    record_audit_event(
        actor, AuditAction.PRINT, object_type="marriage", object_id=marriage.pk, division_code=marriage.division_code,
        summary=f"打印结婚登记证书记录：{marriage.number}",
    )  # fmt: skip
    return pdf
