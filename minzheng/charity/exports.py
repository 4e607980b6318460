"""Charity downloads: donations by month of a year, and the donation ledger (xlsx), audited."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.charity.selectors import donations_by_month, list_donations_for
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.xlsx import Column, write_export

MONTH_COLUMNS = [Column("月份", width=10), Column("笔数", "count", 8), Column("货币捐赠（元）", "fen", 16), Column("物资折价（元）", "fen", 16),
                 Column("合计（元）", "fen", 16)]  # fmt: skip
LEDGER_COLUMNS = [Column("接受日期", "date", 12), Column("慈善组织", width=28), Column("募捐活动", width=20), Column("捐赠人类型", width=12),
                  Column("捐赠人", width=20), Column("货币捐赠（元）", "fen", 14), Column("物资折价（元）", "fen", 14), Column("捐赠物资", width=20),
                  Column("捐赠票据号", width=16)]  # fmt: skip


def _scope(actor: Actor) -> str:
    return actor.scope_prefixes[0] if actor.scope_prefixes else ""


def months_xlsx(actor: Actor, year: int) -> bytes:
    rows = [[r["month"], r["count"], r["cash_fen"], r["in_kind_fen"], r["total_fen"]] for r in donations_by_month(actor, year)]
    content, _ = write_export(MONTH_COLUMNS, rows, sheet_name=f"{year}年按月捐赠", total_label="合计")
    record_audit_event(actor, AuditAction.EXPORT, object_type="charity.donation", object_id="", division_code=_scope(actor),
                       summary=f"导出{year}年按月捐赠统计")  # fmt: skip
    return content


def ledger_xlsx(actor: Actor, year: int) -> bytes:
    rows = [[d.received_on, d.charity.name, d.campaign.name if d.campaign_id else "", d.get_donor_kind_display(), d.donor_name or "（匿名）"
             if d.donor_kind == "anonymous" else d.donor_name, d.amount_fen, d.in_kind_value_fen, d.in_kind_description,
             d.receipt_no or "（捐赠人不要票据）"] for d in list_donations_for(actor, year=year).order_by("received_on", "id")]  # fmt: skip
    content, n = write_export(LEDGER_COLUMNS, rows, sheet_name=f"{year}年捐赠台账", total_label="合计", empty_note="暂无捐赠记录")
    record_audit_event(actor, AuditAction.EXPORT, object_type="charity.donation", object_id="", division_code=_scope(actor),
                       summary=f"导出{year}年捐赠台账 {n} 条")  # fmt: skip
    return content
