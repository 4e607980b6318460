"""Files of the volunteer line: the hours certificate (PDF, WeasyPrint) and the report by town
(xlsx, the platform's one writer)."""

from __future__ import annotations

from django.template.loader import render_to_string

from minzheng.accounts.actor import Actor
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.xlsx import Column, write_export
from minzheng.divisions.directory import get_directory
from minzheng.volunteers import selectors
from minzheng.volunteers.models import Certificate

REPORT_COLUMNS = [
    Column("乡镇（街道）", width=16), Column("注册志愿者（人）", "count", 14), Column("志愿服务站点（个）", "count", 14),
    Column("其中设在社区综合服务设施（个）", "count", 20), Column("志愿服务活动（次）", "count", 14), Column("服务时长（小时）", "text", 14),
]  # fmt: skip


def report_xlsx(actor: Actor) -> bytes:
    rows = [[r["name"], r["volunteers"], r["stations"], r["in_facility"], r["activities"], str(r["hours"])]
            for r in selectors.report_by_town(actor)]  # fmt: skip
    content, _ = write_export(REPORT_COLUMNS, rows, sheet_name="志愿服务分镇街统计", total_label="合计")
    record_audit_event(actor, AuditAction.EXPORT, object_type="volunteers.report", object_id=None,
                       division_code=actor.scope_prefixes[0] if actor.scope_prefixes else "", summary="导出志愿服务分镇街统计")  # fmt: skip
    return content


def certificate_pdf(actor: Actor, cert: Certificate) -> bytes:
    # local import: WeasyPrint loads Pango and its fonts (about a second); only PDF rendering needs it.
    from weasyprint import HTML

    volunteer = cert.volunteer
    hours = [h for h in selectors.volunteer_hours(volunteer) if h.activity.held_on <= cert.issued_on]
    html = render_to_string("volunteers/certificate_pdf.html", {
        "cert": cert, "person": volunteer.person, "hours": hours, "place": get_directory().path_name(volunteer.division_code),
    })  # fmt: skip
    record_audit_event(actor, AuditAction.PRINT, object_type="volunteers.certificate", object_id=cert.pk, division_code=cert.division_code,
                       summary=f"打印志愿服务时长证明 {cert.number}")  # fmt: skip
    return HTML(string=html).write_pdf()
