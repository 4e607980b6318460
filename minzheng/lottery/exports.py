"""Files of the lottery line: sales by month, sales by outlet, 公益金 use — written with the
platform's one xlsx writer (``core.xlsx.write_export``), scoped like the screens, audited."""

from __future__ import annotations

from minzheng.accounts.actor import Actor
from minzheng.core.audit import AuditAction, record_audit_event
from minzheng.core.periods import period_of
from minzheng.core.xlsx import Column, write_export
from minzheng.lottery import selectors
from minzheng.lottery.permissions import LotteryPerm

MONTH_COLUMNS = [Column("月份", width=10), Column("有销售额的投注站（个）", "count", 20), Column("销售额（元）", "fen", 18)]
OUTLET_COLUMNS = [
    Column("投注站编号", width=14), Column("名称", width=24), Column("类型", width=12), Column("乡镇（街道）", width=14),
    Column("状态", width=8), Column("有销售额的月数", "count", 14), Column("销售额（元）", "fen", 18),
]  # fmt: skip
FUND_COLUMNS = [
    Column("年度", "int", 8), Column("地方留存公益金（元）", "fen", 20), Column("资助项目（个）", "count", 14),
    Column("项目预算（元）", "fen", 18), Column("已支出（元）", "fen", 18), Column("已绩效评价（个）", "count", 16),
    Column("已公开（个）", "count", 12), Column("下达文件", width=30),
]  # fmt: skip


def _audit(actor: Actor, summary: str) -> None:
    record_audit_event(actor, AuditAction.EXPORT, object_type="lottery.report", object_id=None,
                       division_code=actor.scope_prefixes[0] if actor.scope_prefixes else "", summary=summary)  # fmt: skip


def sales_by_month_xlsx(actor: Actor, year: int) -> bytes:
    actor.require(LotteryPerm.VIEW_LOTTERY)
    rows = [[period_of(r["month"]), r["outlets"], r["sales_fen"]] for r in selectors.sales_by_month(actor, year)]
    content, _ = write_export(MONTH_COLUMNS, rows, sheet_name=f"{year}年月销售额", total_label="合计")
    _audit(actor, f"导出福利彩票{year}年分月销售额")
    return content


def sales_by_outlet_xlsx(actor: Actor, year: int) -> bytes:
    actor.require(LotteryPerm.VIEW_LOTTERY)
    rows = [
        [r["outlet"].licence_no, r["outlet"].name, r["outlet"].get_kind_display(), r["town"], r["outlet"].get_status_display(),
         r["months"], r["sales_fen"]]
        for r in selectors.sales_by_outlet(actor, year)
    ]  # fmt: skip
    content, _ = write_export(OUTLET_COLUMNS, rows, sheet_name=f"{year}年投注站销售额", total_label="合计",
                              empty_note="本辖区该年度没有营业的投注站")  # fmt: skip
    _audit(actor, f"导出福利彩票{year}年分投注站销售额（{len(rows)}个投注站）")
    return content


def fund_use_xlsx(actor: Actor) -> bytes:
    actor.require(LotteryPerm.VIEW_LOTTERY)
    rows = [
        [r["fund"].year, r["fund"].retained_fen, r["projects"], r["budget_fen"], r["spent_fen"], r["evaluated"], r["disclosed"],
         r["fund"].reference]
        for r in selectors.fund_use(actor)
    ]  # fmt: skip
    content, _ = write_export(FUND_COLUMNS, rows, sheet_name="公益金使用", total_label="合计", empty_note="尚未登记地方留存公益金")
    _audit(actor, "导出福利彩票公益金使用情况")
    return content
