"""Files of the funeral line: the monthly report (xlsx and PDF) and the settlement's bank file.
Written with the platform's one xlsx writer (``core.xlsx.write_export``) and WeasyPrint."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils import timezone

from minzheng.accounts.actor import Actor
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.crypto import decrypt_text
from minzheng.core.errors import DomainError
from minzheng.core.periods import month_end, period_of
from minzheng.core.xlsx import Column, write_export
from minzheng.divisions.directory import get_directory
from minzheng.funerals import selectors
from minzheng.funerals.enums import SettlementStatus
from minzheng.funerals.models import WaiverSettlement
from minzheng.funerals.permissions import FuneralPerm

REPORT_ROWS = (
    ("notified", "报丧登记（人）"), ("cremated", "火化（人）"), ("buried", "土葬（人）"), ("interred", "安葬（人）"),
    ("eco", "其中节地生态安葬（人）"), ("centralized", "集中治丧（人）"), ("waivers", "惠民殡葬减免（人）"),
)  # fmt: skip
REPORT_COLUMNS = [Column("项目", width=24), Column("数量", "count", 10)]


def monthly_report_rows(actor: Actor, first: dt.date) -> tuple[dict, list[list]]:
    figures = selectors.monthly_report(actor, first, month_end(first))
    rows = [[label, figures[key]] for key, label in REPORT_ROWS]
    return figures, rows


def monthly_report_xlsx(actor: Actor, first: dt.date) -> bytes:
    figures, rows = monthly_report_rows(actor, first)
    content, _ = write_export(
        [Column("项目", width=24), Column("数量", "count", 10), Column("金额（元）", "fen", 14)],
        [[label, n, None] for label, n in rows] + [["惠民殡葬减免金额（元）", None, figures["waiver_fen"]]],
        sheet_name=f"月报{period_of(first)}",
    )
    record_audit_event(actor, AuditAction.EXPORT, object_type="funerals.report", object_id=None,
                       division_code=actor.scope_prefixes[0] if actor.scope_prefixes else "",
                       summary=f"导出殡葬管理月报 {period_of(first)}")  # fmt: skip
    return content


def monthly_report_pdf(actor: Actor, first: dt.date) -> bytes:
    # local import: WeasyPrint loads Pango and its fonts (about a second); only PDF rendering needs it.
    from weasyprint import HTML

    figures, rows = monthly_report_rows(actor, first)
    html = render_to_string("funerals/report_pdf.html", {
        "month": period_of(first), "rows": rows, "figures": figures, "printed_at": timezone.localtime(),
        "scope": "、".join(get_directory().name(p) for p in actor.scope_prefixes),
    })  # fmt: skip
    record_audit_event(actor, AuditAction.EXPORT, object_type="funerals.report", object_id=None,
                       division_code=actor.scope_prefixes[0] if actor.scope_prefixes else "",
                       summary=f"打印殡葬管理月报 {period_of(first)}（PDF）")  # fmt: skip
    return HTML(string=html).write_pdf()


BANK_COLUMNS = [
    Column("序号", "int", 6), Column("收款单位", width=24), Column("开户银行", width=16), Column("银行账号", width=24),
    Column("结算月份", width=10), Column("减免笔数", "count", 10), Column("金额（元）", "fen", 14),
]

def settlement_bank_file(actor: Actor, settlement: WaiverSettlement) -> bytes:
    """The bank file of an approved settlement: one transfer to the funeral home, its full
    account number (only here); the waivers it pays are listed on the settlement screen."""
    actor.require(FuneralPerm.SETTLE_FUNERAL_WAIVERS)
    if settlement.status != SettlementStatus.APPROVED:
        raise DomainError("结算表审批后方可导出银行代发文件", code="wrong_state")
    home = settlement.funeral_home
    account = decrypt_text(home.bank_account_encrypted) if home.bank_account_encrypted else ""
    rows = [[1, home.name, home.bank_name, account, settlement.period, settlement.waiver_count, settlement.total_fen]]
    content, _ = write_export(BANK_COLUMNS, rows, sheet_name="代发明细", total_label="合计")
    record_audit_event(
        actor, AuditAction.EXPORT, object_type="funerals.settlement", object_id=settlement.pk, division_code=settlement.division_code,
        summary=f"导出惠民殡葬结算银行文件：{home.name} {settlement.period}，{settlement.waiver_count}笔（含完整银行账号）",
    )  # fmt: skip
    return content
