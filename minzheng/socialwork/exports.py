"""The social-work report by town (xlsx, the platform's one writer)."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.xlsx import Column, write_export
from minzheng.socialwork import selectors

REPORT_COLUMNS = [
    Column("乡镇（街道）", width=16), Column("社会工作专业人才（人）", "count", 16), Column("其中持证（人）", "count", 12),
    Column("社会工作站点（个）", "count", 14), Column("购买服务项目（个）", "count", 14), Column("项目预算（元）", "fen", 16),
    Column("已拨付（元）", "fen", 14), Column("服务人次", "count", 10),
]  # fmt: skip


def report_xlsx(actor: Actor) -> bytes:
    rows = [[r["name"], r["professionals"], r["certified"], r["stations"], r["projects"], r["budget_fen"], r["paid_fen"], r["people_served"]]
            for r in selectors.report_by_town(actor)]  # fmt: skip
    content, _ = write_export(REPORT_COLUMNS, rows, sheet_name="社会工作分镇街统计", total_label="合计")
    record_audit_event(actor, AuditAction.EXPORT, object_type="socialwork.report", object_id=None,
                       division_code=actor.scope_prefixes[0] if actor.scope_prefixes else "", summary="导出社会工作分镇街统计")  # fmt: skip
    return content
