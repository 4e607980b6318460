"""Downloads of the social-organisation line: the scoped register and the summary report (xlsx),
and the registration certificate (PDF). Each is audited."""

from __future__ import annotations

import io

import xlsxwriter
from django.template.loader import render_to_string
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.errors import DomainError
from minzheng.core.xlsx import Column, safe_cell, write_export
from minzheng.divisions.directory import get_directory
from minzheng.sociorgs.enums import (
    Grade,
    InspectionResult,
    OrgType,
    ProcedureStatus,
    Sector,
)
from minzheng.sociorgs.models import Procedure
from minzheng.sociorgs.selectors import (
    current_grades,
    list_organisations_for,
    summary_for,
)

REGISTER_COLUMNS = [
    Column("名称", width=30), Column("统一社会信用代码", width=20), Column("类型", width=12), Column("行业类别", width=14),
    Column("住所所在地", width=24), Column("法定代表人", width=10), Column("业务主管单位", width=20), Column("注册资金（元）", "fen", 14),
    Column("党建情况", width=16), Column("评估等级", width=8), Column("成立登记日期", "date", 12), Column("状态", width=10),
]


def _scope(actor: Actor) -> str:
    return actor.scope_prefixes[0] if actor.scope_prefixes else ""


def register_xlsx(actor: Actor, **filters) -> bytes:
    orgs = list_organisations_for(actor, **filters)
    grades = current_grades(orgs)
    directory = get_directory()
    rows = [[o.name, o.credit_code, o.get_org_type_display(), o.get_sector_display(), directory.path_name(o.division_code), o.legal_representative, o.supervising_unit or "（直接登记）",
             o.registered_capital_fen, o.get_party_status_display(), grades.get(o.pk, ""), o.registered_on, o.get_status_display()]
            for o in orgs]  # fmt: skip
    content, n = write_export(REGISTER_COLUMNS, rows, sheet_name="社会组织名录", total_label="合计", empty_note="暂无社会组织")
    record_audit_event(actor, AuditAction.EXPORT, object_type="sociorgs.organisation", object_id="", division_code=_scope(actor),
                       summary=f"导出社会组织名录 {n} 条")  # fmt: skip
    return content


def report_xlsx(actor: Actor, *, year: int) -> bytes:
    """Four sheets: by type, by sector, by town, by grade; the inspection pass rate of ``year``."""
    s = summary_for(actor, year=year)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"strings_to_numbers": False, "strings_to_formulas": False})
    bold = wb.add_format({"bold": True})

    def sheet(name: str, header: list[str], rows: list[list]) -> None:
        ws = wb.add_worksheet(name)
        ws.set_column(0, 0, 24)
        for c, h in enumerate(header):
            ws.write_string(0, c, h, bold)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row):
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    ws.write_number(r, c, v)
                else:
                    ws.write_string(r, c, safe_cell(str(v)))

    sheet("按类型", ["类型", "数量"], [[t.label, s["by_type"].get(t.value, 0)] for t in OrgType] + [["合计", s["total"]]])
    sheet("按行业", ["行业类别", "数量"], [[t.label, s["by_sector"].get(t.value, 0)] for t in Sector])
    sheet("按乡镇（街道）", ["乡镇（街道）", "数量"], [[v["name"], v["count"]] for v in s["by_town"].values()])
    sheet("按评估等级", ["评估等级", "数量"], [[g.label, s["by_grade"].get(g.value, 0)] for g in Grade] + [["未评估或已过期", s["total"] - sum(s["by_grade"].values())]])
    ins = s["inspection"]
    sheet(f"{year}年度年检", ["结论", "数量"], [[r.label, ins["results"].get(r.value, 0)] for r in InspectionResult]
          + [["合格率（%）", ins["pass_rate"] if ins["pass_rate"] is not None else "—"]])  # fmt: skip
    wb.close()
    record_audit_event(actor, AuditAction.EXPORT, object_type="sociorgs.report", object_id="", division_code=_scope(actor),
                       summary=f"导出社会组织统计表（{year}年度年检）")  # fmt: skip
    return buf.getvalue()


def certificate_pdf(actor: Actor, procedure: Procedure) -> bytes:
    from weasyprint import HTML  # local import: loads Pango (about a second)

    if procedure.status != ProcedureStatus.APPROVED or procedure.organisation is None:
        raise DomainError("准予登记后方可打印登记证书", code="wrong_state")
    org = procedure.organisation
    html = render_to_string("sociorgs/certificate_pdf.html", {
        "org": org, "procedure": procedure, "division": get_directory().name(org.division_code), "printed_at": timezone.localtime(),
        "title": "民办非企业单位（社会服务机构）登记证书" if org.org_type == "service" else "社会团体法人登记证书",
    })  # fmt: skip
    record_audit_event(actor, AuditAction.PRINT, object_type="sociorgs.procedure", object_id=procedure.pk, division_code=procedure.division_code,
                       summary=f"打印登记证书：{org.name}（{org.certificate_no}）")  # fmt: skip
    return HTML(string=html).write_pdf()
